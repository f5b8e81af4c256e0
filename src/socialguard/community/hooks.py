from __future__ import annotations


def register() -> None:
    from socialguard.community import outcomes
    from socialguard.community.demo import load_demo_community
    from socialguard.core.demo import register_demo_loader
    from socialguard.moderation.outcomes import register_outcomes

    register_demo_loader(load_demo_community)
    # The review queue reaches content and membership only through these (community owns them).
    register_outcomes(outcomes)
