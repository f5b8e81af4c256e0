"""The smaller services: aliases, the annual filtering review, the leads returning a search,
retention's registration, the default source."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from socialguard.core.errors import ApplicationError
from socialguard.monitoring.models import FilteringReview, LogSource, MonitoringFinding
from socialguard.monitoring.services import alias_set, filtering_review_record, source_default
from socialguard.monitoring.tests.helpers import at, squid, write

pytestmark = pytest.mark.django_db


def test_the_default_source_is_made_once_and_audited(cast: Any) -> None:
    from socialguard.audit.models import AuditEvent

    first = source_default(organisation=cast.organisation)
    assert source_default(organisation=cast.organisation) == first
    assert LogSource.objects.filter(organisation=cast.organisation).count() == 1
    assert AuditEvent.objects.filter(action="monitoring.source.create").count() == 1


def test_an_alias_names_a_person_of_the_same_organisation_only(cast: Any, source: Any) -> None:
    alias = alias_set(source=source, proxy_name="  RS\\HAshdown ", user=cast.head, by=cast.it_lead)
    assert alias.proxy_name == "rs\\hashdown"
    with pytest.raises(ApplicationError, match="not in this organisation"):
        alias_set(source=source, proxy_name="x", user=cast.outsider, by=cast.it_lead)
    with pytest.raises(ApplicationError, match="user name"):
        alias_set(source=source, proxy_name="  ", user=cast.head, by=cast.it_lead)


def test_the_annual_review_is_recorded_with_its_next_date(cast: Any) -> None:
    today = timezone.localdate()
    review = filtering_review_record(
        organisation=cast.organisation,
        by=cast.it_lead,
        reviewed_on=today,
        notes="Checked the block lists with the DSL; YouTube restricted mode stays on.",
    )
    assert review.next_due == today.replace(year=today.year + 1)
    leap = filtering_review_record(
        organisation=cast.organisation,
        by=cast.it_lead,
        reviewed_on=date(2024, 2, 29),
        notes="Leap day review.",
    )
    assert leap.next_due == date(2025, 2, 28)
    for bad in (
        {"reviewed_on": today, "notes": "  "},
        {"reviewed_on": today + timedelta(days=1), "notes": "Too soon"},
        {"reviewed_on": today, "notes": "Backwards", "next_due": today},
    ):
        with pytest.raises(ApplicationError):
            filtering_review_record(organisation=cast.organisation, by=cast.it_lead, **bad)
    assert FilteringReview.objects.count() == 2


def test_when_the_leads_return_a_search_the_finding_says_so(
    cast: Any, tmp_path, ingest, django_capture_on_commit_callbacks: Any
) -> None:
    from socialguard.safeguarding.escalations import escalation_return

    url = "http://www.google.co.uk/search?q=how+to+hurt+myself+without+anyone+knowing"
    with django_capture_on_commit_callbacks(execute=True):
        ingest(write(tmp_path / "a.log", [squid(at(0, 1), url, cast.pupil.username)]))
    finding = MonitoringFinding.objects.get()
    escalation_return(
        escalation=finding.escalation, by=cast.dsl, reason="A science lesson on first aid."
    )
    finding.refresh_from_db()
    assert finding.details["returned_by_leads"]["reason"] == "A science lesson on first aid."
    assert finding.status == "open"


def test_retention_lists_monitoring_with_the_others(cast: Any, tmp_path, ingest) -> None:
    from socialguard.core.retention import retention_due
    from socialguard.monitoring.models import MonitoringSettings
    from socialguard.monitoring.tests.conftest import no_screening

    MonitoringSettings.objects.create(organisation=cast.organisation, retention_days=7)
    ingest(
        write(tmp_path / "a.log", [squid(at(0, 1), "http://www.bbc.co.uk/", "-")]),
        screen=no_screening,
    )
    due = [
        d for d in retention_due(cast.organisation, timezone.localdate()) if "monitoring" in d.label
    ]
    assert len(due) == 1 and "1 daily traffic totals" in due[0].label
    due[0].delete()
    assert not retention_due(cast.organisation, timezone.localdate()) or all(
        "monitoring" not in d.label for d in retention_due(cast.organisation, timezone.localdate())
    )
