"""Breach reports (9.x): a report made, triaged or closed, and the case it opens."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from socialguard.accounts.models import Organisation, Role, School, User
from socialguard.accounts.selectors import has_role, is_staff_member
from socialguard.audit.services import audit_record
from socialguard.cases.models import (
    BreachCase,
    BreachReport,
    CaseEntry,
    ReporterRelationship,
)
from socialguard.cases.permissions import (
    case_is_head_matter,
    handler_for,
    report_actions_for,
)
from socialguard.cases.services._common import (
    _clauses,
    _entry,
    _required,
    _tell_about_new_report,
    head_matter_handlers,
    new_reference,
)
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.notifications.services import email_after_commit


@transaction.atomic
def breach_report_submit(
    *,
    organisation: Organisation,
    reporter_name: str,
    reporter_relationship: str,
    what_happened: str,
    reporter_email: str = "",
    when: str = "",
    person_concerned_name: str = "",
    clause_number: str = "",
    school: School | None = None,
    reporter: User | None = None,
    about_head_teacher: bool = False,
) -> BreachReport:
    """Anyone may report, signed in or not (9.4: contractors tell the school immediately).
    The reporter gets the reference; the head teacher (the governors, for a report about the
    head teacher) is told a report is waiting, not what it says."""
    if reporter_relationship not in ReporterRelationship.values:
        raise ApplicationError("Say how you are connected to the school.")
    if school is not None and school.organisation_id != organisation.pk:
        raise ApplicationError("Choose one of the organisation's schools.")
    clause = _clauses(organisation, [clause_number]) if clause_number else []
    signed_in = reporter if reporter and reporter.organisation_id == organisation.pk else None
    report = BreachReport.objects.create(
        organisation=organisation,
        school=school,
        reference=new_reference("BR", BreachReport),
        reporter_name=_required(reporter_name, "Give your name.")[:120],
        reporter_email=reporter_email.strip(),
        reporter_relationship=reporter_relationship,
        reporter=signed_in,
        clause_number=clause[0] if clause else "",
        what_happened=_required(what_happened, "Say what happened."),
        when=when.strip()[:200],
        person_concerned_name=person_concerned_name.strip()[:200],
        about_head_teacher=about_head_teacher,
    )
    audit_record(
        actor=signed_in,
        action="cases.report.submit",
        target=report,
        clauses=["9.4" if reporter_relationship == "contractor" else "9.1", *clause],
        organisation_id=organisation.pk,
        details={
            "relationship": reporter_relationship,
            "school": school.pk if school else None,
            "about_head_teacher": about_head_teacher,
        },
    )
    if report.reporter_email:
        email_after_commit(
            recipients=[report.reporter_email],
            subject=f"Your report to {organisation.name}: {report.reference}",
            template="cases/email/report_receipt.txt",
            context={"report": report, "organisation": organisation},
            organisation_id=organisation.pk,
            category="cases.report.receipt",
        )
    _tell_about_new_report(report)
    return report


def _locked_report(report: BreachReport, by: User, action: str) -> BreachReport:
    locked = BreachReport.objects.select_for_update(of=("self",)).get(pk=report.pk)
    if action not in report_actions_for(locked, handler_for(by)):
        if locked.status != BreachReport.Status.NEW:
            raise ApplicationError(
                "Someone has already triaged this report.", code=ErrorCode.ALREADY_DONE
            )
        raise ApplicationError("You cannot triage this report.", code=ErrorCode.FORBIDDEN)
    return locked


def _tell_reporter(report: BreachReport, *, outcome: str) -> None:
    """9.4: a reporter who left an address hears that their report was considered (``closed``:
    not a breach; ``considered``: a case was opened), by reference only."""
    if not report.reporter_email:
        return
    email_after_commit(
        recipients=[report.reporter_email],
        subject=f"Your report {report.reference} has been considered",
        template=f"cases/email/report_{outcome}.txt",
        context={"report": report},
        organisation_id=report.organisation_id,
        category=f"cases.report.{outcome}",
    )


@transaction.atomic
def breach_report_close(*, report: BreachReport, by: User, reason: str) -> BreachReport:
    """Not a breach: the report is closed with a reason, which the reporter is sent."""
    report = _locked_report(report, by, "not_a_breach")
    report.status = BreachReport.Status.NOT_A_BREACH
    report.triage_reason = _required(reason, "Say why this is not a breach of the policy.")
    report.triaged_by, report.triaged_at = by, timezone.now()
    report.save(update_fields=["status", "triage_reason", "triaged_by", "triaged_at"])
    audit_record(
        actor=by,
        action="cases.report.not_a_breach",
        target=report,
        clauses=["9.1"],
        details={"status": report.status},
    )
    _tell_reporter(report, outcome="closed")
    return report


@transaction.atomic
def breach_report_triage(
    *,
    report: BreachReport,
    by: User,
    staff_member: User,
    clauses: Iterable[str],
    summary: str,
    school: School | None = None,
) -> BreachCase:
    """Open a case from a report (9.1, 9.2)."""
    report = _locked_report(report, by, "open_case")
    case = _case_create(
        organisation=report.organisation,
        by=by,
        staff_member=staff_member,
        clauses=clauses,
        summary=summary,
        school=school or report.school,
        report=report,
    )
    report.status = BreachReport.Status.TRIAGED
    report.triage_reason = f"Opened as case {case.reference}."
    report.triaged_by, report.triaged_at = by, timezone.now()
    report.save(update_fields=["status", "triage_reason", "triaged_by", "triaged_at"])
    # The reporter learns that their report was considered, never whom the case is about.
    _tell_reporter(report, outcome="considered")
    return case


@transaction.atomic
def case_open(
    *,
    organisation: Organisation,
    by: User,
    staff_member: User,
    clauses: Iterable[str],
    summary: str,
    school: School | None = None,
) -> BreachCase:
    """Open a case with no report behind it (the head learned of the breach directly). A
    governor who is not named opens only a case about a head teacher."""
    handler = handler_for(by)
    may_open = handler.handles_cases or (
        handler.handles_head_matters and has_role(staff_member, Role.HEAD_TEACHER)
    )
    if not may_open or by.organisation_id != organisation.pk:
        raise ApplicationError("You do not handle breach cases.", code=ErrorCode.FORBIDDEN)
    return _case_create(
        organisation=organisation,
        by=by,
        staff_member=staff_member,
        clauses=clauses,
        summary=summary,
        school=school,
    )


def _case_create(
    *,
    organisation: Organisation,
    by: User,
    staff_member: User,
    clauses: Iterable[str],
    summary: str,
    school: School | None,
    report: BreachReport | None = None,
) -> BreachCase:
    if staff_member.organisation_id != organisation.pk or not is_staff_member(staff_member):
        raise ApplicationError("Choose the staff member the case is about.")
    if staff_member.pk == by.pk:
        raise ApplicationError(
            "You cannot handle a case about yourself: ask the head teacher or a governor.",
            code=ErrorCode.FORBIDDEN,
        )
    chosen = _clauses(organisation, clauses)
    if not chosen:
        raise ApplicationError("Choose at least one clause the staff member may have breached.")
    case = BreachCase.objects.create(
        organisation=organisation,
        school=school if school is None or school.organisation_id == organisation.pk else None,
        reference=new_reference("BC", BreachCase),
        report=report,
        staff_member=staff_member,
        summary=_required(summary, "Summarise what the case is about."),
        clauses=chosen,
        opened_by=by,
    )
    source = f" from report {report.reference}" if report else ""
    opened = f"Case opened at the investigation stage{source}."
    _entry(case, CaseEntry.Kind.STAGE, opened, by)
    audit_record(
        actor=by,
        action="cases.case.open",
        target=case,
        clauses=["9.1", *chosen],
        details={"stage": case.stage, "report": report.reference if report else None},
    )
    if case_is_head_matter(case) and not handler_for(by).handles_head_matters:
        # A head opened a case about a head teacher: it is the governors' from now on.
        email_after_commit(
            recipients=head_matter_handlers(organisation),
            subject=f"A breach case about a head teacher is yours: {case.reference}",
            template="cases/email/case_handed_to_governors.txt",
            context={"case": case, "link": reverse("cases:case", args=[case.pk])},
            organisation_id=organisation.pk,
            category="cases.case.handed_over",
        )
    return case
