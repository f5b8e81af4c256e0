from __future__ import annotations


def register() -> None:
    from socialguard.core.dashboard import register_dashboard_provider
    from socialguard.postcheck.dashboard import postcheck_cards

    register_dashboard_provider(postcheck_cards)
