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

from django.db.models import QuerySet

from socialguard.accounts.models import Organisation, User
from socialguard.cases.models import BreachCase, BreachReport, CaseEvidence, MediaEnquiry, Stage
from socialguard.core.retention import DueForDeletion, delete_for_retention


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


def _stage_reached(case: BreachCase) -> str:
    if hasattr(case, "appeal"):
        return Stage.APPEAL
    if case.outcome:
        return Stage.OUTCOME
    return str(case.stage)


def _case_fact(case: BreachCase) -> dict[str, Any]:
    files = [e for e in case.evidence.all() if e.file]
    return {
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


def _delete_case_and_report(case: BreachCase) -> None:
    report = case.report
    case.delete()
    if report is not None:
        report.delete()


# The caller chooses what is due (``*_due_for_deletion`` with its own ``today``, so that a dry
# run can look ahead); an open record is never deleted, whatever the date.
def case_delete_for_retention(*, case: BreachCase, by: User | None = None) -> None:
    delete_for_retention(
        BreachCase.objects.select_related("organisation", "school", "report"),
        pk=case.pk,
        by=by,
        is_due=lambda locked: locked.closed_at is not None,
        refusal="The case is still open.",
        action="cases.case.retention_delete",
        clauses=["9.1"],
        fact=_case_fact,
        files=lambda locked: [e.file.name for e in locked.evidence.all() if e.file],
        storage=CaseEvidence._meta.get_field("file").storage,
        delete=_delete_case_and_report,
    )


def _enquiry_fact(enquiry: MediaEnquiry) -> dict[str, Any]:
    return {
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
    }


def enquiry_delete_for_retention(*, enquiry: MediaEnquiry, by: User | None = None) -> None:
    delete_for_retention(
        MediaEnquiry.objects.select_related("organisation", "school"),
        pk=enquiry.pk,
        by=by,
        is_due=lambda locked: locked.closed_at is not None,
        refusal="The media enquiry is still open.",
        action="cases.media.retention_delete",
        clauses=["A.3.7"],
        fact=_enquiry_fact,
    )


def _report_fact(report: BreachReport) -> dict[str, Any]:
    return {
        "reference": report.reference,
        "school": report.school.name if report.school else None,
        "school_id": report.school_id,
        "received_at": _iso(report.created_at),
        "closed_at": _iso(report.triaged_at),
        "status": report.status,
        "relationship": report.reporter_relationship,
        "retention_years": report.organisation.case_retention_years,
    }


def report_delete_for_retention(*, report: BreachReport, by: User | None = None) -> None:
    """A report closed as not a breach (a triaged one goes with its case)."""
    delete_for_retention(
        BreachReport.objects.select_related("organisation", "school"),
        pk=report.pk,
        by=by,
        is_due=lambda locked: (
            locked.status == BreachReport.Status.NOT_A_BREACH and locked.triaged_at is not None
        ),
        refusal="Only reports closed as not a breach are deleted on their own.",
        action="cases.report.retention_delete",
        clauses=["9.1"],
        fact=_report_fact,
    )


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
