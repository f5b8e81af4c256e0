"""The review's reminders (header: 'Next review date'): the person preparing the new version
is told a week before its due date, and once it has passed. Each level is sent once
(``review_reminder_level``, set with a conditional update), so the check is safe to run often
and from several workers."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from socialguard.policy.models import PolicyVersion
from socialguard.policy.services import REVIEW_DUE_SOON, policy_review_remind

SOON, LATE = 1, 2


def _level(draft: PolicyVersion, now: datetime) -> int:
    assert draft.review_due_on is not None
    today = timezone.localdate(now)
    if draft.review_due_on < today:
        return LATE
    return SOON if draft.review_due_on - today <= REVIEW_DUE_SOON else 0


def policy_review_check_all(*, now: datetime | None = None) -> list[str]:
    now = now or timezone.now()
    lines: list[str] = []
    drafts = PolicyVersion.objects.filter(
        status=PolicyVersion.Status.DRAFT,
        review_assignee__isnull=False,
        review_due_on__isnull=False,
        review_due_on__lte=timezone.localdate(now) + REVIEW_DUE_SOON,
        review_reminder_level__lt=LATE,
    ).select_related("review_assignee", "organisation")
    for draft in drafts:
        level = _level(draft, now)
        if level <= draft.review_reminder_level:
            continue
        with transaction.atomic():
            updated = PolicyVersion.objects.filter(
                pk=draft.pk,
                status=PolicyVersion.Status.DRAFT,
                review_reminder_level=draft.review_reminder_level,
            ).update(review_reminder_level=level)
            if not updated:  # published meanwhile, or another worker reminded first
                continue
            policy_review_remind(draft=draft, late=level == LATE)
        state = "overdue" if level == LATE else "due within a week"
        lines.append(
            f"Policy review ({draft.organisation.name}, {draft.label}) {state}: "
            f"{draft.review_assignee} reminded"
        )
    return lines
