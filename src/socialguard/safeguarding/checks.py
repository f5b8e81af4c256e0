"""Nothing sits unseen (A.2.3): one escalation ladder for everything with the safeguarding
leads, a concern no lead has opened and an escalated item no lead has acknowledged alike.

A concern recorded on the form tells the DSL and deputies of its school at once. If none of them
has opened it after 15 minutes, the cover DSLs (the other safeguarding leads of the
organisation: in a federation, the other school's) are told; after 30 minutes the head teacher
is told and, so that a child at risk never waits on an empty office, may open that record: the
sharing is written in the chronology and the audit trail, and the DSL can withdraw it. Every
step is sent once; concerns escalate, they never expire. E-mails carry the category and a link,
never the account or a pupil's name. An escalated item climbs the same two steps (cover DSL
at 15 minutes, head teacher at 30); the head is told that it waits, and opens nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from socialguard.accounts.selectors import safeguarding_escalation
from socialguard.audit.services import audit_record
from socialguard.notifications.services import email_after_commit
from socialguard.safeguarding.escalations import tell_leads
from socialguard.safeguarding.models import Concern, ConcernEntry, Escalation
from socialguard.safeguarding.permissions import lead_opens
from socialguard.safeguarding.services import category_label

STEP = timedelta(minutes=15)
CLAUSES = ("A.2.3", "A.5.6")


def _escalate(concern: Concern, level: int, now: datetime) -> str | None:
    level, people = safeguarding_escalation(
        organisation=concern.organisation,
        school=concern.school,
        level=level,
        exclude=[concern.reporter_id],
    )
    # A new lead whose role began after the concern was recorded does not open it until
    # confirmed (A.2.3), so the chase is not theirs either: not even its category.
    people = [p for p in people if lead_opens(p, concern.created_at)]
    if not people and level == 1:  # no cover lead who may open it: straight to the head
        level, people = safeguarding_escalation(
            organisation=concern.organisation, school=concern.school, level=2
        )
    updated = Concern.objects.filter(
        pk=concern.pk, reminder_level=concern.reminder_level, acknowledged_at__isnull=True
    ).update(reminder_level=level, **({"head_teacher_may_view": True} if level == 2 else {}))
    if not updated:  # acknowledged, or another worker escalated it first
        return None
    minutes = int((now - concern.created_at).total_seconds() // 60)
    if level == 2:
        ConcernEntry.objects.create(
            concern=concern,
            kind=ConcernEntry.Kind.ACCESS,
            body=f"No safeguarding lead had opened this concern after {minutes} minutes: the "
            "head teacher was told and may open it. A DSL can withdraw the sharing.",
            author=None,
        )
    labels = [category_label(c) for c in concern.categories] or ["Safeguarding concern"]
    email_after_commit(
        recipients=people,
        subject=f"Unacknowledged safeguarding concern: {labels[0]}",
        template="safeguarding/email/concern_escalated.txt",
        context={
            "labels": labels,
            "minutes": minutes,
            "level": level,
            "link": reverse("safeguarding:concern", args=[concern.pk]),
            "at": concern.created_at,
        },
        organisation_id=concern.organisation_id,
        category="safeguarding.concern.escalated",
    )
    audit_record(
        actor=None,
        action="safeguarding.concern.escalated",
        target=concern,
        target_repr=concern.reference,
        clauses=CLAUSES,
        organisation_id=concern.organisation_id,
        details={
            "level": level,
            "told": sorted(p.pk for p in people),
            "minutes": minutes,
            "head_teacher_may_view": level == 2,
        },
    )
    return f"Concern {concern.reference} unacknowledged for {minutes} minutes: told " + (
        "the cover DSL" if level == 1 else "the head teacher"
    )


def _level_due(started: datetime, now: datetime, current: int) -> int | None:
    """The one ladder: level 1 after 15 minutes, level 2 after 30; each level once."""
    level = 2 if now - started >= 2 * STEP else 1
    return level if level > current else None


def _escalate_item(escalation: Escalation, level: int, now: datetime) -> str | None:
    level, people = safeguarding_escalation(
        organisation=escalation.organisation, school=escalation.school, level=level
    )
    people = [p for p in people if lead_opens(p, escalation.escalated_at)]
    updated = Escalation.objects.filter(
        pk=escalation.pk,
        reminder_level=escalation.reminder_level,
        acknowledged_at__isnull=True,
        status=Escalation.Status.WITH_LEADS,
    ).update(reminder_level=level)
    if not updated:
        return None
    tell_leads(escalation, people, level=level)
    audit_record(
        actor=None,
        action="safeguarding.escalation.escalated",
        target=escalation,
        clauses=CLAUSES,
        organisation_id=escalation.organisation_id,
        details={"level": level, "told": sorted(p.pk for p in people)},
    )
    return f"Escalated item {escalation.pk} unacknowledged: told " + (
        "the cover DSL" if level == 1 else "the head teacher"
    )


def _climb(rows: Any, started: str, step: Any, now: datetime) -> list[str]:
    lines: list[str] = []
    for row in rows:
        level = _level_due(getattr(row, started), now, row.reminder_level)
        if level is None:
            continue
        with transaction.atomic():
            line = step(row, level, now)
        if line:
            lines.append(line)
    return lines


def safeguarding_check_all(*, now: datetime | None = None) -> list[str]:
    """Climb the ladder for escalated items, then for concerns."""
    now = now or timezone.now()
    items = Escalation.objects.filter(
        status=Escalation.Status.WITH_LEADS,
        acknowledged_at__isnull=True,
        reminder_level__lt=2,
        escalated_at__lte=now - STEP,
    ).select_related("organisation", "school")
    concerns = Concern.objects.filter(
        status=Concern.Status.OPEN,
        acknowledged_at__isnull=True,
        reminder_level__lt=2,
        created_at__lte=now - STEP,
    ).select_related("organisation", "school")
    return _climb(items, "escalated_at", _escalate_item, now) + _climb(
        concerns, "created_at", _escalate, now
    )


# The name the CLI and the tests have used since concerns first had a ladder.
concern_check_all = safeguarding_check_all
