"""New safeguarding leads waiting for confirmation (A.2.3): the head teacher and the leads who
open the whole record see whom to confirm; the new lead sees why earlier concerns are closed."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from socialguard.accounts.models import User
from socialguard.accounts.selectors import lead_confirmations_waiting, lead_history_from
from socialguard.core.dashboard import DashboardCard


def lead_confirmation_cards(user: User) -> list[DashboardCard]:
    cards = []
    waiting = list(lead_confirmations_waiting(user=user)[:5])
    if waiting:
        cards.append(
            DashboardCard(
                title="A new safeguarding lead to confirm"
                if len(waiting) == 1
                else f"{len(waiting)} new safeguarding leads to confirm",
                body="They open only the concerns recorded since their role began until an "
                "existing lead or the head teacher confirms them.",
                tone="todo",
                link_url=reverse("accounts:role_confirm", args=[waiting[0].pk]),
                link_text="Confirm or query",
                clauses=("A.2.3",),
                items=tuple(
                    f"{a.user}: {a.get_role_display()}"
                    + (f", given by {a.granted_by}" if a.granted_by else "")
                    for a in waiting
                ),
                order=4,
            )
        )
    since = lead_history_from(user)
    if since is not None:
        cards.append(
            DashboardCard(
                title="Your access to earlier concerns waits for confirmation",
                body=f"You open the concerns recorded since "
                f"{timezone.localtime(since):%d %B %Y %H:%M}. An existing safeguarding lead or "
                "the head teacher confirms your role before you open the earlier ones.",
                tone="info",
                clauses=("A.2.3",),
                order=40,
            )
        )
    return cards
