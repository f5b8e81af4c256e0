"""The annual review of filtering and monitoring (DfE standards)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from socialguard.accounts.models import Organisation, User
from socialguard.audit.services import audit_record
from socialguard.core.errors import ApplicationError
from socialguard.monitoring.models import (
    FilteringReview,
)


@transaction.atomic
def filtering_review_record(
    *,
    organisation: Organisation,
    by: User,
    reviewed_on: date,
    notes: str,
    next_due: date | None = None,
) -> FilteringReview:
    """The DfE filtering and monitoring standards: a review at least every year."""
    notes = notes.strip()
    if not notes:
        raise ApplicationError("Say what the review looked at and what it decided.")
    if reviewed_on > timezone.localdate():
        raise ApplicationError("A review cannot be recorded for a day still to come.")
    if next_due is not None:
        due = next_due
    else:
        try:
            due = reviewed_on.replace(year=reviewed_on.year + 1)
        except ValueError:  # 29 February
            due = reviewed_on + timedelta(days=365)
    if due <= reviewed_on:
        raise ApplicationError("The next review must fall after this one.")
    review = FilteringReview.objects.create(
        organisation=organisation,
        reviewed_on=reviewed_on,
        reviewed_by=by,
        notes=notes,
        next_due=due,
    )
    audit_record(
        actor=by,
        action="monitoring.review.record",
        target=review,
        clauses=("8.1",),
        organisation_id=organisation.pk,
        details={"reviewed_on": str(reviewed_on), "next_due": str(due)},
    )
    return review
