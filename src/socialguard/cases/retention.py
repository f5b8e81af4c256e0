"""Retention (issue 6): closed breach cases and closed media enquiries are kept for
``Organisation.case_retention_years`` after they close (IRMS toolkit: staff disciplinary
files, 6 years by default), then deleted. The deletion writes one audit event that keeps the
fact (reference, school, dates, stage reached, counts) and not the content: no names, no
account of what happened, no outcome reasons, no evidence.

The command that runs these lives elsewhere; each function here is safe to call on its own and
refuses a record that is still open."""

from __future__ import annotations

import functools
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from socialguard.accounts.models import Organisation, User
from socialguard.audit.services import audit_record
from socialguard.cases.models import BreachCase, BreachReport, CaseEvidence, MediaEnquiry, Stage
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.core.retention import DueForDeletion


def retention_cutoff(*, years: int, today: date) -> date:
    """The last closing date whose records are due: today less ``years`` (29 February -> 28)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def _cutoff(organisation: Organisation, today: date) -> date:
    return retention_cutoff(years=organisation.case_retention_years, today=today)


def cases_due_for_deletion(*, organisation: Organisation, today: date) -> QuerySet[BreachCase]:
    return BreachCase.objects.filter(
        organisation=organisation,
        stage=Stage.CLOSED,
        closed_at__date__lte=_cutoff(organisation, today),
    ).order_by("closed_at")


def enquiries_due_for_deletion(
    *, organisation: Organisation, today: date
) -> QuerySet[MediaEnquiry]:
    return MediaEnquiry.objects.filter(
        organisation=organisation,
        status=MediaEnquiry.Status.RESPONDED,
        closed_at__date__lte=_cutoff(organisation, today),
    ).order_by("closed_at")


def reports_due_for_deletion(*, organisation: Organisation, today: date) -> QuerySet[BreachReport]:
    """Reports closed as not a breach. A report that became a case goes with its case."""
    return BreachReport.objects.filter(
        organisation=organisation,
        status=BreachReport.Status.NOT_A_BREACH,
        triaged_at__date__lte=_cutoff(organisation, today),
    ).order_by("triaged_at")


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def _require_closed(closed: Any, what: str) -> None:
    # The caller chooses what is due (``*_due_for_deletion`` with its own ``today``, so that a
    # dry run can look ahead); an open record is never deleted, whatever the date.
    if closed is None:
        raise ApplicationError(f"The {what} is still open.", code=ErrorCode.CONFLICT)


def _stage_reached(case: BreachCase) -> str:
    if hasattr(case, "appeal"):
        return Stage.APPEAL
    if case.outcome:
        return Stage.OUTCOME
    return str(case.stage)


@transaction.atomic
def case_delete_for_retention(*, case: BreachCase, by: User | None = None) -> None:
    case = (
        BreachCase.objects.select_for_update(of=("self",))
        .select_related("organisation", "school", "report")
        .get(pk=case.pk)
    )
    _require_closed(case.closed_at, "case")
    files = [e.file.name for e in case.evidence.all() if e.file]
    fact = {
        "reference": case.reference,
        "school": case.school.name if case.school else None,
        "school_id": case.school_id,
        "report": case.report.reference if case.report else None,
        "report_received_at": _iso(case.report.created_at) if case.report else None,
        "opened_at": _iso(case.created_at),
        "outcome_at": _iso(case.outcome_at),
        "closed_at": _iso(case.closed_at),
        "stage_reached": _stage_reached(case),
        "appealed": hasattr(case, "appeal"),
        "entries": case.entries.count(),
        "evidence": case.evidence.count(),
        "files": len(files),
        "clauses": case.clauses,
        "retention_years": case.organisation.case_retention_years,
    }
    audit_record(
        actor=by,
        action="cases.case.retention_delete",
        target=case,
        target_repr=case.reference,
        clauses=["9.1"],
        organisation_id=case.organisation_id,
        details=fact,
    )
    report = case.report
    case.delete()
    if report is not None:
        report.delete()
    # Files go only once the rows are gone for good: a rolled-back deletion keeps its evidence.
    transaction.on_commit(lambda: _delete_files(files))


def _delete_files(names: list[str]) -> None:
    storage = CaseEvidence._meta.get_field("file").storage
    for name in names:
        storage.delete(name)


@transaction.atomic
def enquiry_delete_for_retention(*, enquiry: MediaEnquiry, by: User | None = None) -> None:
    enquiry = (
        MediaEnquiry.objects.select_for_update(of=("self",))
        .select_related("organisation", "school")
        .get(pk=enquiry.pk)
    )
    _require_closed(enquiry.closed_at, "media enquiry")
    audit_record(
        actor=by,
        action="cases.media.retention_delete",
        target=enquiry,
        target_repr=enquiry.reference,
        clauses=["A.3.7"],
        organisation_id=enquiry.organisation_id,
        details={
            "reference": enquiry.reference,
            "school": enquiry.school.name if enquiry.school else None,
            "school_id": enquiry.school_id,
            "logged_at": _iso(enquiry.created_at),
            "deadline": _iso(enquiry.deadline),
            "responded_at": _iso(enquiry.responded_at),
            "closed_at": _iso(enquiry.closed_at),
            "status": enquiry.status,
            "linked_site": enquiry.site_id is not None,
            "linked_contribution": enquiry.contribution_id is not None,
            "retention_years": enquiry.organisation.case_retention_years,
        },
    )
    enquiry.delete()


@transaction.atomic
def report_delete_for_retention(*, report: BreachReport, by: User | None = None) -> None:
    """A report closed as not a breach (a triaged one goes with its case)."""
    report = (
        BreachReport.objects.select_for_update(of=("self",))
        .select_related("organisation", "school")
        .get(pk=report.pk)
    )
    if report.status != BreachReport.Status.NOT_A_BREACH:
        raise ApplicationError(
            "Only reports closed as not a breach are deleted on their own.",
            code=ErrorCode.CONFLICT,
        )
    _require_closed(report.triaged_at, "report")
    audit_record(
        actor=by,
        action="cases.report.retention_delete",
        target=report,
        target_repr=report.reference,
        clauses=["9.1"],
        organisation_id=report.organisation_id,
        details={
            "reference": report.reference,
            "school": report.school.name if report.school else None,
            "school_id": report.school_id,
            "received_at": _iso(report.created_at),
            "closed_at": _iso(report.triaged_at),
            "status": report.status,
            "relationship": report.reporter_relationship,
            "retention_years": report.organisation.case_retention_years,
        },
    )
    report.delete()


def cases_due(organisation: Organisation, today: date) -> list[DueForDeletion]:
    """For ``socialguard retention``: closed cases, reports closed as not a breach and answered
    media enquiries past their period, each with its deletion."""
    return [
        *(
            DueForDeletion(
                f"breach case {case.reference} (closed {case.closed_at:%Y-%m-%d})",
                functools.partial(case_delete_for_retention, case=case),
            )
            for case in cases_due_for_deletion(organisation=organisation, today=today)
        ),
        *(
            DueForDeletion(
                f"breach report {report.reference} "
                f"(closed as not a breach {report.triaged_at:%Y-%m-%d})",
                functools.partial(report_delete_for_retention, report=report),
            )
            for report in reports_due_for_deletion(organisation=organisation, today=today)
        ),
        *(
            DueForDeletion(
                f"media enquiry {enquiry.reference} (closed {enquiry.closed_at:%Y-%m-%d})",
                functools.partial(enquiry_delete_for_retention, enquiry=enquiry),
            )
            for enquiry in enquiries_due_for_deletion(organisation=organisation, today=today)
        ),
    ]
