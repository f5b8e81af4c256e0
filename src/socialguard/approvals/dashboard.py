"""Approvals waiting for the signed-in person: a line manager, Comms or the head teacher sees a
request only when their step has been reached."""

from __future__ import annotations

from django.urls import reverse

from socialguard.accounts.models import User
from socialguard.approvals.selectors import approval_requests_awaiting
from socialguard.core.dashboard import DashboardCard


def approval_cards(user: User) -> list[DashboardCard]:
    waiting = approval_requests_awaiting(user)
    if not waiting:
        return []
    return [
        DashboardCard(
            title=f"{len(waiting)} {'requests' if len(waiting) != 1 else 'request'} to sign off",
            body="Read each one and approve, return it for changes, or reject it with a reason.",
            tone="todo",
            link_url=reverse("approvals:inbox"),
            link_text="Review requests",
            clauses=("A.3.2",),
            items=tuple(f"{r.kind_label}: {r.title} (from {r.submitted_by})" for r in waiting[:5]),
            order=5,
        )
    ]
