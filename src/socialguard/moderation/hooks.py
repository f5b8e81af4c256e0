from __future__ import annotations


def register() -> None:
    from socialguard.cases.evidence import register_snapshot
    from socialguard.core.dashboard import register_dashboard_provider
    from socialguard.moderation import rules  # noqa: F401  (registers permissions)
    from socialguard.moderation.casework import snapshot_review_item
    from socialguard.moderation.dashboard import moderation_cards
    from socialguard.moderation.services.handover import SOURCE_TYPE, review_item_returned
    from socialguard.safeguarding.escalations import register_return_handler

    register_dashboard_provider(moderation_cards)
    register_return_handler(SOURCE_TYPE, review_item_returned)
    register_snapshot("review_item", snapshot_review_item)
