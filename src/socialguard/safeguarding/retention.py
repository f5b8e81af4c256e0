"""Retention of closed concerns (issue 6). A closed concern is kept for the organisation's
``concern_retention_years`` after it was closed, then deleted as a whole: account, entries,
actions, referrals and evidence. The audit trail keeps the fact that it existed and was
deleted (reference, school, dates, counts), never its content.

The CLI command that calls these lives elsewhere; these two functions are its whole contract."""

from __future__ import annotations

import functools
from datetime import date, datetime, time
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from socialguard.accounts.models import Organisation, User
from socialguard.core.retention import DueForDeletion, delete_for_retention
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


def _fact(concern: Concern) -> dict[str, Any]:
    return {
        "reference": concern.reference,
        "school": concern.school.name if concern.school else "",
        "school_id": concern.school_id,
        "created_at": concern.created_at.isoformat(),
        "closed_at": concern.closed_at.isoformat() if concern.closed_at else None,
        "retention_years": concern.organisation.concern_retention_years,
        "counts": {
            "pupils": concern.pupils.count(),
            "entries": concern.entries.count(),
            "actions": concern.actions.count(),
            "referrals": concern.referrals.count(),
            "evidence": concern.evidence.count(),
        },
    }


def concern_delete_for_retention(*, concern: Concern, by: User | None = None) -> None:
    """Delete one closed concern whose retention period has passed, with everything in it.
    Refuses an open concern or one still within its period: nothing is deleted early."""

    def is_due(locked: Concern) -> bool:
        due = concerns_due_for_deletion(
            organisation=locked.organisation, today=timezone.localdate()
        )
        return due.filter(pk=locked.pk).exists()

    delete_for_retention(
        Concern.objects.select_related("organisation", "school"),
        pk=concern.pk,
        by=by,
        is_due=is_due,
        refusal=f"{concern.reference} is open or still within its retention period.",
        action="safeguarding.concern.deleted_for_retention",
        clauses=("A.2.3",),
        fact=_fact,
        files=lambda locked: [e.file.name for e in locked.evidence.exclude(file="")],
    )


def concerns_due(organisation: Organisation, today: date) -> list[DueForDeletion]:
    """For ``socialguard retention``: each concern past its period, with its deletion."""
    return [
        DueForDeletion(
            f"safeguarding concern {concern.reference} (closed {concern.closed_at:%Y-%m-%d})",
            functools.partial(concern_delete_for_retention, concern=concern),
        )
        for concern in concerns_due_for_deletion(organisation=organisation, today=today)
    ]
