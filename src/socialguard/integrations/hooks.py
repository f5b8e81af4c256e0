"""What integrations registers with other apps at start-up."""

from __future__ import annotations


def register() -> None:
    from socialguard.accounts.roster import register_names_provider
    from socialguard.integrations.services import preferred_names

    register_names_provider(preferred_names)

    from socialguard.integrations.webhooks import concern_notice_queue
    from socialguard.safeguarding.services import register_concern_hook

    register_concern_hook(concern_notice_queue)

    from socialguard.core.demo import register_demo_loader
    from socialguard.integrations.demo import load_demo_roster_import

    register_demo_loader(load_demo_roster_import)
