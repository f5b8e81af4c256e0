"""Open concerns and overdue actions on the dashboards of the DSL and deputies; concerns the
DSL has shared on the head teacher's."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from socialguard.accounts.models import User
from socialguard.core.dashboard import DashboardCard
from socialguard.safeguarding.permissions import is_safeguarding_lead
from socialguard.safeguarding.selectors import (
    actions_assigned_to,
    concerns_shared_with_head,
    open_work_of,
)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def safeguarding_cards(user: User) -> list[DashboardCard]:
    return _actions_card(user) + _concern_cards(user)


def _actions_card(user: User) -> list[DashboardCard]:
    """Actions a lead gave this person: what and by when, never the account (A.2.3)."""
    actions = list(actions_assigned_to(user=user).filter(done_at__isnull=True)[:10])
    if not actions:
        return []
    today = timezone.localdate()
    overdue = sum(1 for a in actions if a.due_on < today)
    return [
        DashboardCard(
            title=f"{_plural(len(actions), 'safeguarding action')} for you",
            body="A safeguarding lead asked you to do "
            + ("this" if len(actions) == 1 else "these")
            + ". Mark each one done when it is.",
            tone="urgent" if overdue else "todo",
            link_url=reverse("safeguarding:my_actions"),
            link_text="See your actions",
            clauses=("A.2.3",),
            items=tuple(
                f"{a.description} (by {a.due_on:%a %d %b}{', overdue' if a.due_on < today else ''})"
                for a in actions
            ),
            order=1,
        )
    ]


def _concern_cards(user: User) -> list[DashboardCard]:
    if is_safeguarding_lead(user):
        work = open_work_of(user=user)
        body = "Keep each record up to date: entries, actions, referrals and the outcome."
        items = []
        if work.unacknowledged:
            items.append(f"{_plural(work.unacknowledged, 'new concern')} not yet opened")
        if work.overdue:
            items.append(f"{_plural(work.overdue, 'overdue action')}")
        urgent = work.overdue or work.unacknowledged
        return [
            DashboardCard(
                title=f"{_plural(work.open, 'open safeguarding concern')}",
                body=body,
                tone="urgent" if urgent else ("warning" if work.open else "done"),
                link_url=reverse("safeguarding:list"),
                link_text="Open the concerns",
                clauses=("A.2.3", "A.5.6"),
                items=tuple(items),
                order=1,
            )
        ]
    shared = list(concerns_shared_with_head(user=user)[:10])
    if not shared:
        return []
    return [
        DashboardCard(
            title=f"{_plural(len(shared), 'concern')} shared with you by the DSL",
            body="The DSL decided you need to know about these safeguarding concerns.",
            tone="info",
            link_url=reverse("safeguarding:concern", args=[shared[0].pk]),
            link_text=f"Open {shared[0].reference}",
            clauses=("A.2.3",),
            items=tuple(concern.reference for concern in shared),
            order=5,
        )
    ]
