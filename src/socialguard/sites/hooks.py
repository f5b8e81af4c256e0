"""How the sites app plugs into the shared registries (approvals, dashboard)."""

from __future__ import annotations


def register() -> None:
    from socialguard.approvals.services import register_subject_handler
    from socialguard.approvals.workflows import Kind
    from socialguard.sites.services import site_follow_approval

    register_subject_handler(Kind.SITE_PROPOSAL, site_follow_approval)

    from socialguard.accounts.services import register_leaving_hook
    from socialguard.sites.staffing import leaver_loses_site_roles

    register_leaving_hook(leaver_loses_site_roles)

    from socialguard.core.demo import register_demo_loader
    from socialguard.sites.demo import load_demo_sites

    register_demo_loader(load_demo_sites)

    from socialguard.core.dashboard import register_dashboard_provider
    from socialguard.sites.dashboard import sites_cards

    register_dashboard_provider(sites_cards)
