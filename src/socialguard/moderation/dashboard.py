"""The queue and safeguarding items on the dashboards of those who must act."""

from __future__ import annotations

from django.urls import reverse

from socialguard.accounts.models import User
from socialguard.core.dashboard import DashboardCard
from socialguard.moderation.permissions import reviewer_for
from socialguard.moderation.selectors import open_counts


def moderation_cards(user: User) -> list[DashboardCard]:
    reviewer = reviewer_for(user)
    waiting, urgent = open_counts(reviewer)
    cards = []
    if urgent:
        cards.append(
            DashboardCard(
                title=f"{urgent} safeguarding item{'s' if urgent != 1 else ''} not acknowledged",
                body="A contribution may show a child at risk. Read it and acknowledge it: after "
                "15 minutes it goes to the cover DSL, after 30 to the head teacher.",
                tone="urgent",
                link_url=reverse("moderation:safeguarding"),
                link_text="Open escalated posts",
                clauses=("A.2.3", "A.5.6"),
                order=0,
            )
        )
    if reviewer.reviews_anything:
        cards.append(
            DashboardCard(
                title=f"{waiting} item{'s' if waiting != 1 else ''} waiting for review",
                body="Posts, comments, images, join requests and reports on the sites you "
                "moderate. Nothing appears until a moderator approves it.",
                tone="warning" if waiting else "done",
                link_url=reverse("moderation:queue"),
                link_text="Open the review queue",
                clauses=("A.5.3",),
                order=2,
            )
        )
    return cards
