"""Retention of closed concerns (issue 6). A closed concern is kept for the organisation's
``concern_retention_years`` after it was closed, then deleted as a whole: account, entries,
actions, referrals and evidence. The audit trail keeps the fact that it existed and was
deleted (reference, school, dates, counts), never its content.

The CLI command that calls these lives elsewhere; these two functions are its whole contract."""

from __future__ import annotations

import functools
from datetime import date, datetime, time

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from socialguard.accounts.models import Organisation, User
from socialguard.audit.services import audit_record
from socialguard.core.append_only import retention_deletion
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.core.retention import DueForDeletion
from socialguard.safeguarding.models import Concern


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def retention_cutoff(*, organisation: Organisation, today: date) -> datetime:
    """Concerns closed before this moment have passed their retention period."""
    start = _years_before(today, organisation.concern_retention_years)
    return timezone.make_aware(datetime.combine(start, time.min))


def concerns_due_for_deletion(*, organisation: Organisation, today: date) -> QuerySet[Concern]:
    return Concern.objects.filter(
        organisation=organisation,
        status=Concern.Status.CLOSED,
        closed_at__lt=retention_cutoff(organisation=organisation, today=today),
    ).order_by("closed_at", "pk")


def concern_delete_for_retention(*, concern: Concern, by: User | None = None) -> None:
    """Delete one closed concern whose retention period has passed, with everything in it.
    Refuses an open concern or one still within its period: nothing is deleted early."""
    with transaction.atomic():
        concern = (
            Concern.objects.select_for_update(of=("self",))
            .select_related("organisation", "school")
            .get(pk=concern.pk)
        )
        due = concerns_due_for_deletion(
            organisation=concern.organisation, today=timezone.localdate()
        )
        if not due.filter(pk=concern.pk).exists():
            raise ApplicationError(
                f"{concern.reference} is open or still within its retention period.",
                code=ErrorCode.CONFLICT,
            )
        files = [e.file.name for e in concern.evidence.exclude(file="")]
        counts = {
            "pupils": concern.pupils.count(),
            "entries": concern.entries.count(),
            "actions": concern.actions.count(),
            "referrals": concern.referrals.count(),
            "evidence": concern.evidence.count(),
        }
        audit_record(
            actor=by,
            action="safeguarding.concern.deleted_for_retention",
            target=concern,
            clauses=("A.2.3",),
            organisation_id=concern.organisation_id,
            details={
                "reference": concern.reference,
                "school": concern.school.name if concern.school else "",
                "school_id": concern.school_id,
                "created_at": concern.created_at.isoformat(),
                "closed_at": concern.closed_at.isoformat() if concern.closed_at else None,
                "retention_years": concern.organisation.concern_retention_years,
                "counts": counts,
            },
        )
        with retention_deletion():
            concern.delete()
        transaction.on_commit(lambda: _delete_files(files))


def _delete_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)


def concerns_due(organisation: Organisation, today: date) -> list[DueForDeletion]:
    """For ``socialguard retention``: each concern past its period, with its deletion."""
    return [
        DueForDeletion(
            f"safeguarding concern {concern.reference} (closed {concern.closed_at:%Y-%m-%d})",
            functools.partial(concern_delete_for_retention, concern=concern),
        )
        for concern in concerns_due_for_deletion(organisation=organisation, today=today)
    ]
