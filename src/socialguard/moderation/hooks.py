from __future__ import annotations


def register() -> None:
    from socialguard.core.dashboard import register_dashboard_provider
    from socialguard.moderation import rules  # noqa: F401  (registers permissions)
    from socialguard.moderation.dashboard import moderation_cards

    register_dashboard_provider(moderation_cards)
