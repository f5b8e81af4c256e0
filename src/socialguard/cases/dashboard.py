"""Breach reports waiting for triage and media enquiries against the clock, on the dashboard
of the head teacher (and, for reports, of the people the head has named, and of the governors
when a report or case is about a head teacher)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from socialguard.accounts.models import User
from socialguard.cases import selectors
from socialguard.cases.permissions import can_handle_media, handler_for
from socialguard.core.dashboard import DashboardCard, Tone


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def cases_cards(user: User) -> list[DashboardCard]:
    cards: list[DashboardCard] = []
    handler = handler_for(user)
    to_triage, open_cases = selectors.handler_counts(handler=handler)  # (0, 0), no query, if none
    # A governor who is not named gets a card only while a matter about a head teacher is open.
    if handler.handles_cases or to_triage or open_cases:
        cards.append(
            DashboardCard(
                title=f"{_plural(to_triage, 'breach report')} to triage",
                body=f"Open each as a case or close it as not a breach, with a reason. "
                f"{_plural(open_cases, 'case')} open.",
                tone="warning" if to_triage else "done",
                link_url=reverse("cases:inbox"),
                link_text="Open breach cases",
                clauses=("9.1", "9.4"),
                order=5,
            )
        )
    if can_handle_media(user):
        cards += _media_card(user)
    return cards


def _media_card(user: User) -> list[DashboardCard]:
    waiting = selectors.media_enquiries_for(user=user, open_only=True)
    count = waiting.count()
    if not count:
        return []
    enquiries = list(waiting[:6])
    now = timezone.now()
    urgency = [selectors.enquiry_urgency(e, now) for e in enquiries]
    tone: Tone = "urgent" if "overdue" in urgency or "near" in urgency else "warning"
    return [
        DashboardCard(
            title=f"{count} media {'enquiry' if count == 1 else 'enquiries'} waiting for you",
            body="Staff must not answer the media themselves: each enquiry waits for your "
            "response. Record what was said to close it.",
            tone=tone,
            items=tuple(
                f"{e.outlet}: {Truncator(e.about).words(16)} "
                f"({selectors.time_left(e.deadline, now)})"
                for e in enquiries
            ),
            link_url=reverse("cases:media_list"),
            link_text="Open media enquiries",
            clauses=("A.3.7",),
            order=1,
        )
    ]
