"""Retention (8.1): daily traffic totals, weekly tallies and address leases are kept for the
school's ``retention_days``; findings once triaged (confirmed or a false positive) for as long
again after triage, then deleted with their evidence lines. Open findings are never deleted
(nothing that may matter expires silently); a breach case or concern keeps its own frozen copy."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from socialguard.accounts.models import Organisation
from socialguard.audit.services import audit_record
from socialguard.core.retention import DueForDeletion
from socialguard.monitoring.models import (
    AddressLease,
    FindingStatus,
    MonitoringFinding,
    TrafficSummary,
    WeeklyTally,
)


def _due(organisation: Organisation, now: datetime) -> tuple[datetime, dict[str, QuerySet[Any]]]:
    from socialguard.monitoring.services import settings_for

    cutoff = now - timedelta(days=settings_for(organisation=organisation).retention_days)
    day = cutoff.date()
    return cutoff, {
        "traffic_totals": TrafficSummary.objects.filter(organisation=organisation, day__lt=day),
        "weekly_tallies": WeeklyTally.objects.filter(
            organisation=organisation, week_starts__lt=day - timedelta(days=6)
        ),
        "address_leases": AddressLease.objects.filter(
            source__organisation=organisation, ends_at__lt=cutoff
        ),
        "findings": MonitoringFinding.objects.filter(
            organisation=organisation,
            status__in=[FindingStatus.CONFIRMED, FindingStatus.FALSE_POSITIVE],
            triaged_at__lt=cutoff,
        ),
    }


@transaction.atomic
def monitoring_purge(*, organisation: Organisation, now: datetime) -> dict[str, int]:
    cutoff, due = _due(organisation, now)
    counts: dict[str, int] = {}
    references: list[str] = []
    for name, queryset in due.items():
        if name == "findings":
            references = list(queryset.values_list("reference", flat=True))
        counts[name] = queryset.count()
        queryset.delete()
    if any(counts.values()):
        audit_record(
            actor=None,
            action="monitoring.retention.purge",
            target=organisation,
            clauses=("8.1",),
            organisation_id=organisation.pk,
            details={**counts, "before": str(cutoff), "findings_deleted": references[:200]},
        )
    return counts


def monitoring_due(organisation: Organisation, today: date) -> list[DueForDeletion]:
    _, due = _due(organisation, timezone.now())
    counts = {name: queryset.count() for name, queryset in due.items()}
    if not any(counts.values()):
        return []
    label = (
        f"monitoring: {counts['traffic_totals']} daily traffic totals, "
        f"{counts['weekly_tallies']} weekly tallies, {counts['address_leases']} address leases "
        f"and {counts['findings']} triaged findings past the retention period"
    )
    return [DueForDeletion(label=label, delete=lambda: _purge_now(organisation))]


def _purge_now(organisation: Organisation) -> None:
    monitoring_purge(organisation=organisation, now=timezone.now())
