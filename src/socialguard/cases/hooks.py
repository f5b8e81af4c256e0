from __future__ import annotations


def register() -> None:
    from socialguard.audit.selectors import register_audit_scope
    from socialguard.cases import rules  # noqa: F401  (registers permissions)
    from socialguard.cases.dashboard import cases_cards
    from socialguard.cases.demo import load_demo_cases
    from socialguard.cases.retention import cases_due
    from socialguard.cases.selectors import audit_scope
    from socialguard.core.dashboard import register_dashboard_provider
    from socialguard.core.demo import register_demo_loader
    from socialguard.core.retention import register_retention_provider

    register_dashboard_provider(cases_cards)
    register_demo_loader(load_demo_cases)
    register_audit_scope(audit_scope)
    register_retention_provider(cases_due)
