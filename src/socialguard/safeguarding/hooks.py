from __future__ import annotations


def register() -> None:
    from socialguard.audit.selectors import register_audit_scope
    from socialguard.core.dashboard import register_dashboard_provider
    from socialguard.core.demo import register_demo_loader
    from socialguard.core.retention import register_retention_provider
    from socialguard.safeguarding import rules  # noqa: F401  (registers permissions)
    from socialguard.safeguarding.dashboard import safeguarding_cards
    from socialguard.safeguarding.demo import load_demo_concerns
    from socialguard.safeguarding.retention import concerns_due
    from socialguard.safeguarding.selectors import audit_scope

    register_dashboard_provider(safeguarding_cards)
    register_demo_loader(load_demo_concerns)
    register_audit_scope(audit_scope)
    register_retention_provider(concerns_due)
