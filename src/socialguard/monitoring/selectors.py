"""Monitoring's reads, scoped by need to know (8.1): findings about staff are for the IT /
monitoring lead and the head teacher only; findings about pupils also for the DSL and deputies.
Traffic totals carry no names (the governors' charts)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from socialguard.accounts.models import Organisation, Role
from socialguard.accounts.selectors import roles_of
from socialguard.monitoring.findings import evidence_hash
from socialguard.monitoring.models import (
    Category,
    DomainCategory,
    IngestRun,
    MonitoringFinding,
    TrafficSummary,
)

STAFF_FINDINGS_ROLES = frozenset({Role.IT_LEAD, Role.HEAD_TEACHER})
PUPIL_FINDINGS_ROLES = STAFF_FINDINGS_ROLES | {Role.DSL, Role.DEPUTY_DSL}


def _roles(user: Any, organisation: Organisation) -> frozenset[str]:
    if user is None or getattr(user, "organisation_id", None) != organisation.pk:
        return frozenset()
    return roles_of(user)


def can_see_monitoring(user: Any, organisation: Organisation) -> bool:
    return bool(_roles(user, organisation) & PUPIL_FINDINGS_ROLES)


def findings_visible_to(*, user: Any, organisation: Organisation) -> QuerySet[MonitoringFinding]:
    roles = _roles(user, organisation)
    found = MonitoringFinding.objects.filter(organisation=organisation).select_related(
        "subject", "school"
    )
    if roles & STAFF_FINDINGS_ROLES:
        return found
    if roles & PUPIL_FINDINGS_ROLES:
        return found.filter(subject_is_pupil=True)
    return found.none()


def finding_for(*, user: Any, organisation: Organisation, pk: int) -> MonitoringFinding | None:
    return findings_visible_to(user=user, organisation=organisation).filter(pk=pk).first()


def runs_recent(*, organisation: Organisation, limit: int = 20) -> QuerySet[IngestRun]:
    return (
        IngestRun.objects.filter(source__organisation=organisation)
        .select_related("source", "started_by")
        .order_by("-started_at", "-pk")[:limit]
    )


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def traffic_by_week(*, organisation: Organisation, weeks: int = 12) -> list[dict[str, Any]]:
    """Requests per week, category and audience, for the governors: no names, no addresses."""
    since = _monday(timezone.localdate()) - timedelta(weeks=weeks - 1)
    rows = (
        TrafficSummary.objects.filter(organisation=organisation, day__gte=since)
        .values("day", "category", "audience")
        .annotate(total=Sum("hits"))
    )
    totals: dict[tuple[date, str, str], int] = {}
    for row in rows:
        key = (_monday(row["day"]), row["category"], row["audience"])
        totals[key] = totals.get(key, 0) + int(row["total"] or 0)
    return [
        {"week_starts": week, "category": category, "audience": audience, "hits": hits}
        for (week, category, audience), hits in sorted(totals.items())
    ]


def evidence_verifies(*, finding: MonitoringFinding) -> bool:
    """Each kept line still matches its sha256, and the finding's hash matches them all."""
    import hashlib

    lines = list(finding.evidence.order_by("at", "line_number", "pk"))
    if any(hashlib.sha256(e.line.encode()).hexdigest() != e.sha256 for e in lines):
        return False
    return evidence_hash(e.sha256 for e in lines) == finding.evidence_sha256


def open_findings_count(*, user: Any, organisation: Organisation) -> int:
    return (
        findings_visible_to(user=user, organisation=organisation)
        .filter(~Q(status__in=["confirmed", "false_positive"]))
        .count()
    )


def category_groups(
    *, organisation: Organisation
) -> list[tuple[str, list[DomainCategory], list[DomainCategory]]]:
    """Per category: its label, the school's own domains, and the shipped defaults the school
    has not overridden."""
    own = list(DomainCategory.objects.filter(organisation=organisation))
    shipped = list(
        DomainCategory.objects.filter(organisation__isnull=True).exclude(
            domain__in=[r.domain for r in own]
        )
    )
    return [
        (
            str(label),
            [r for r in own if r.category == value],
            [r for r in shipped if r.category == value],
        )
        for value, label in Category.choices
    ]
