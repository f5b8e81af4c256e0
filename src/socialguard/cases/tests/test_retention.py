"""Retention (issue 6): closed cases and answered enquiries go after
``case_retention_years``; the audit trail keeps the fact, not the content."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from socialguard.audit.models import AuditEvent
from socialguard.cases import media, retention, services
from socialguard.cases.models import (
    BreachCase,
    BreachReport,
    CaseAppeal,
    CaseEntry,
    CaseEvidence,
    MediaEnquiry,
)
from socialguard.cases.tests.factories import WHAT, decided, enquiry, named, report
from socialguard.core.errors import ApplicationError

pytestmark = pytest.mark.django_db
TODAY = date(2031, 9, 1)
LONDON = ZoneInfo("Europe/London")


def _closed_on(model, pk: int, day: date, field: str = "closed_at") -> None:
    model.objects.filter(pk=pk).update(
        **{field: datetime(day.year, day.month, day.day, 12, tzinfo=LONDON)}
    )


@pytest.fixture
def appealed(cast):
    named(cast, cast.governor)
    found = decided(cast)
    services.case_evidence_add(
        case=found,
        by=cast.head,
        source_type="upload",
        description="Screenshot",
        upload=SimpleUploadedFile("shot.png", b"png"),
    )
    services.case_appeal_file(case=found, by=cast.head, text="Grounds of appeal.")
    services.case_appeal_decide(case=found, by=cast.governor, decision="upheld", reason="Fair.")
    return found


def test_closed_cases_are_due_after_the_retention_period(cast, appealed):
    years = cast.organisation.case_retention_years
    _closed_on(BreachCase, appealed.pk, TODAY.replace(year=TODAY.year - years))
    still_open = decided(cast)
    assert list(retention.cases_due_for_deletion(organisation=cast.organisation, today=TODAY)) == [
        appealed
    ]
    day_before = TODAY - timedelta(days=1)
    assert not retention.cases_due_for_deletion(organisation=cast.organisation, today=day_before)
    assert still_open not in retention.cases_due_for_deletion(
        organisation=cast.organisation, today=TODAY.replace(year=2099)
    )
    assert not retention.cases_due_for_deletion(
        organisation=cast.outsider.organisation, today=TODAY
    )


def test_deleting_a_case_keeps_the_fact_and_not_the_content(
    cast, appealed, django_capture_on_commit_callbacks
):
    reference, report_ref = appealed.reference, appealed.report.reference
    file_name = appealed.evidence.get().file.name
    storage = CaseEvidence._meta.get_field("file").storage
    assert storage.exists(file_name)
    with django_capture_on_commit_callbacks(execute=True):
        retention.case_delete_for_retention(case=appealed, by=cast.admin)

    assert not BreachCase.objects.exists() and not BreachReport.objects.exists()
    assert not CaseEntry.objects.exists() and not CaseEvidence.objects.exists()
    assert not CaseAppeal.objects.exists()
    assert not storage.exists(file_name)
    event = AuditEvent.objects.get(action="cases.case.retention_delete")
    details = event.details
    assert details["reference"] == reference and details["report"] == report_ref
    assert details["stage_reached"] == "appeal" and details["appealed"] is True
    assert details["evidence"] == 1 and details["files"] == 1 and details["entries"] == 6
    assert details["closed_at"] and details["outcome_at"] and details["opened_at"]
    text = str(details) + event.target_repr
    for content in ("Grounds of appeal", "Proven", WHAT, cast.teacher.last_name, "shot.png"):
        assert content not in text


def test_an_open_case_is_never_deleted(cast):
    with pytest.raises(ApplicationError, match="still open"):
        retention.case_delete_for_retention(case=decided(cast))
    assert BreachCase.objects.exists()


def test_answered_enquiries_are_due_and_deleted_with_the_fact_kept(cast):
    answered = enquiry(cast)
    media.media_enquiry_respond(enquiry=answered, by=cast.head, response="No comment from us.")
    waiting = enquiry(cast)
    years = cast.organisation.case_retention_years
    _closed_on(MediaEnquiry, answered.pk, TODAY.replace(year=TODAY.year - years))
    due = list(retention.enquiries_due_for_deletion(organisation=cast.organisation, today=TODAY))
    assert due == [answered]
    with pytest.raises(ApplicationError):
        retention.enquiry_delete_for_retention(enquiry=waiting)
    retention.enquiry_delete_for_retention(enquiry=answered)
    assert list(MediaEnquiry.objects.all()) == [waiting]
    details = AuditEvent.objects.get(action="cases.media.retention_delete").details
    assert details["reference"] == answered.reference and details["responded_at"]
    assert "No comment" not in str(details) and "Herald" not in str(details)


def test_reports_closed_as_not_a_breach_follow_the_same_period(cast):
    closed = services.breach_report_close(report=report(cast), by=cast.head, reason="Not ours.")
    report(cast)  # new, never due
    years = cast.organisation.case_retention_years
    _closed_on(BreachReport, closed.pk, TODAY.replace(year=TODAY.year - years), "triaged_at")
    due = list(retention.reports_due_for_deletion(organisation=cast.organisation, today=TODAY))
    assert due == [closed]
    retention.report_delete_for_retention(report=closed)
    assert BreachReport.objects.count() == 1
    details = AuditEvent.objects.get(action="cases.report.retention_delete").details
    assert "Not ours" not in str(details) and "Dave" not in str(details)


def test_the_cutoff_handles_a_leap_day():
    assert retention.retention_cutoff(years=6, today=date(2032, 2, 29)) == date(2026, 2, 28)
