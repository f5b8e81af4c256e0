"""The daily count of checks, for the governors' report: numbers only."""

from __future__ import annotations

from datetime import date

from django.db.models import Sum

from socialguard.accounts.models import Organisation
from socialguard.postcheck.models import PostCheckDay


def post_checks_by_day(
    *, organisation: Organisation, since: date, until: date
) -> list[tuple[date, int]]:
    """(day, checks) for each day with any check, oldest first."""
    rows = PostCheckDay.objects.filter(
        organisation=organisation, day__gte=since, day__lte=until
    ).order_by("day")
    return [(row.day, row.checks) for row in rows]


def post_checks_total(*, organisation: Organisation, since: date, until: date) -> int:
    total = PostCheckDay.objects.filter(
        organisation=organisation, day__gte=since, day__lte=until
    ).aggregate(total=Sum("checks"))["total"]
    return int(total or 0)
