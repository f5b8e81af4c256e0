"""Nothing sits unseen (A.2.3): a concern no safeguarding lead has opened.

A concern recorded on the form tells the DSL and deputies of its school at once. If none of them
has opened it after 15 minutes, the cover DSLs (the other safeguarding leads of the
organisation: in a federation, the other school's) are told; after 30 minutes the head teacher
is told and, so that a child at risk never waits on an empty office, may open that record: the
sharing is written in the chronology and the audit trail, and the DSL can withdraw it. Every
step is sent once; concerns escalate, they never expire. E-mails carry the category and a link,
never the account or a pupil's name.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from socialguard.accounts.selectors import safeguarding_escalation
from socialguard.audit.services import audit_record
from socialguard.moderation.services import safeguarding_label
from socialguard.notifications.services import email_after_commit
from socialguard.safeguarding.models import Concern, ConcernEntry

STEP = timedelta(minutes=15)
CLAUSES = ("A.2.3", "A.5.6")


def _escalate(concern: Concern, level: int, now: datetime) -> str | None:
    level, people = safeguarding_escalation(
        organisation=concern.organisation,
        school=concern.school,
        level=level,
        exclude=[concern.reporter_id],
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
    labels = [safeguarding_label(c) for c in concern.categories] or ["Safeguarding concern"]
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


def concern_check_all(*, now: datetime | None = None) -> list[str]:
    now = now or timezone.now()
    lines: list[str] = []
    waiting = Concern.objects.filter(
        status=Concern.Status.OPEN,
        acknowledged_at__isnull=True,
        reminder_level__lt=2,
        created_at__lte=now - STEP,
    ).select_related("organisation", "school")
    for concern in waiting:
        level = 2 if now - concern.created_at >= 2 * STEP else 1
        if level <= concern.reminder_level:
            continue
        with transaction.atomic():
            line = _escalate(concern, level, now)
        if line:
            lines.append(line)
    return lines
