"""The media enquiry timer (A.3.7): the head teacher is reminded when a journalist's deadline
is within two hours, and again once it has passed. Each level is sent once
(``reminder_level``, set with a conditional update), so the check is safe to run often and
from several workers."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from socialguard.audit.services import audit_record
from socialguard.cases.media import head_teachers_for
from socialguard.cases.models import MediaEnquiry
from socialguard.cases.selectors import NEAR_DEADLINE, time_left
from socialguard.notifications.services import email_after_commit

NEAR, PASSED = 1, 2


def _level(enquiry: MediaEnquiry, now: datetime) -> int:
    if enquiry.deadline <= now:
        return PASSED
    return NEAR if enquiry.deadline - now <= NEAR_DEADLINE else 0


def _remind(enquiry: MediaEnquiry, level: int, now: datetime) -> bool:
    with transaction.atomic():
        updated = MediaEnquiry.objects.filter(
            pk=enquiry.pk, status=MediaEnquiry.Status.OPEN, reminder_level=enquiry.reminder_level
        ).update(reminder_level=level)
        if not updated:
            return False
        heads = head_teachers_for(enquiry)
        left = time_left(enquiry.deadline, now)
        email_after_commit(
            recipients=heads,
            subject=f"Media enquiry from {enquiry.outlet}: {left}",
            template="cases/email/media_reminder.txt",
            context={
                "enquiry": enquiry,
                "passed": level == PASSED,
                "time_left": left,
                "link": reverse("cases:media_detail", args=[enquiry.pk]),
            },
            organisation_id=enquiry.organisation_id,
            category="cases.media.reminder",
        )
        audit_record(
            actor=None,
            action="cases.media.overdue" if level == PASSED else "cases.media.remind",
            target=enquiry,
            clauses=["A.3.7"],
            organisation_id=enquiry.organisation_id,
            details={"level": level, "told": sorted(p.pk for p in heads)},
        )
    return True


def media_enquiry_check_all(*, now: datetime | None = None) -> list[str]:
    now = now or timezone.now()
    lines: list[str] = []
    waiting = MediaEnquiry.objects.filter(
        status=MediaEnquiry.Status.OPEN,
        reminder_level__lt=PASSED,
        deadline__lte=now + NEAR_DEADLINE,
    ).select_related("organisation", "school")
    for enquiry in waiting:
        level = _level(enquiry, now)
        if level > enquiry.reminder_level and _remind(enquiry, level, now):
            state = "deadline passed" if level == PASSED else "deadline within two hours"
            lines.append(
                f"Media enquiry {enquiry.reference} ({enquiry.outlet}): {state}; "
                "head teacher reminded"
            )
    return lines
