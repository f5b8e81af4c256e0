"""Writes to breach reports and cases (section 9). Each action is one transaction, checked
against ``permissions``, recorded in the case's append-only chronology and in the audit trail
with its clauses; mail goes out after commit.

The audit trail is read by administrators too, so its events name the record by reference and
carry stages and counts, never what happened or who it is about."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from socialguard.accounts.models import Organisation, Role, School, User
from socialguard.accounts.selectors import has_role, is_staff_member, people_with_role
from socialguard.audit.services import audit_record
from socialguard.cases.evidence import SNAPSHOTS
from socialguard.cases.models import (
    BreachCase,
    BreachReport,
    CaseAccess,
    CaseAppeal,
    CaseEntry,
    CaseEvidence,
    Outcome,
    ReporterRelationship,
    Stage,
)
from socialguard.cases.permissions import (
    ACTION_LABELS,
    can_manage_access,
    case_actions_for,
    case_is_head_matter,
    handler_for,
    report_actions_for,
)
from socialguard.cases.selectors import clause_numbers
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.notifications.services import email_after_commit

# Letters and digits that cannot be mistaken for one another when read out or copied.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
# Under the Disciplinary Policy and Procedure (9.1) a sanction follows a hearing.
NEEDS_HEARING = frozenset({Outcome.WARNING, Outcome.DISCIPLINARY, Outcome.DISMISSAL})
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def new_reference(prefix: str, model: type[models.Model]) -> str:
    """'BR-7KQ2-X9PD': 40 random bits, so a code cannot be guessed from another."""
    while True:
        code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
        reference = f"{prefix}-{code[:4]}-{code[4:]}"
        if not model._default_manager.filter(reference=reference).exists():
            return reference


def _required(value: str, message: str) -> str:
    if not value or not value.strip():
        raise ApplicationError(message, code=ErrorCode.INVALID)
    return value.strip()


def _clauses(organisation: Organisation, numbers: Iterable[str]) -> list[str]:
    known = {number for number, _ in clause_numbers(organisation=organisation)}
    chosen = sorted({n.strip() for n in numbers if n and n.strip()})
    unknown = [n for n in chosen if n not in known]
    if unknown:
        raise ApplicationError(
            f"{', '.join(unknown)} is not a clause of the current policy.", code=ErrorCode.INVALID
        )
    return chosen


def handlers_to_tell(organisation: Organisation, school: School | None) -> list[User]:
    return list(
        people_with_role(organisation=organisation, roles=[Role.HEAD_TEACHER], school=school)
    )


def head_matter_handlers(organisation: Organisation) -> list[User]:
    """Who handles a matter about a head teacher: the governors, never anyone who holds a
    head-teacher role (a federation has several heads). People a head named as case handlers
    are not among them: a head must not choose who judges the head."""
    heads = people_with_role(organisation=organisation, roles=[Role.HEAD_TEACHER])
    governors = people_with_role(organisation=organisation, roles=[Role.GOVERNOR])
    return list(
        User.objects.filter(
            pk__in=governors.values("pk"),
            organisation=organisation,
            is_active=True,
        )
        .exclude(pk__in=heads.values("pk"))
        .order_by("pk")
    )


def _tell_about_new_report(report: BreachReport) -> None:
    """Who hears of a new report: a link, never what it says. One about the head teacher goes
    to the governors; when no governor is set up, the administrators are told that one is
    waiting, so that they set one up (and still not what it says)."""
    organisation = report.organisation
    context = {"report": report, "link": reverse("cases:report", args=[report.pk])}
    if not report.about_head_teacher:
        recipients = handlers_to_tell(organisation, report.school)
    else:
        recipients = head_matter_handlers(organisation)
    if recipients:
        email_after_commit(
            recipients=recipients,
            subject=f"A breach report is waiting to be triaged: {report.reference}",
            template="cases/email/report_waiting.txt",
            context=context,
            organisation_id=organisation.pk,
            category="cases.report.new",
        )
        return
    if report.about_head_teacher:
        admins = people_with_role(organisation=organisation, roles=[Role.ADMINISTRATOR])
        heads = people_with_role(organisation=organisation, roles=[Role.HEAD_TEACHER])
        email_after_commit(
            # An administrator who is also a head teacher is not told: it could be about them.
            recipients=admins.exclude(pk__in=heads.values("pk")),
            subject="A breach report about the head teacher is waiting: no governor is set up",
            template="cases/email/report_no_governor.txt",
            context=context,
            organisation_id=organisation.pk,
            category="cases.report.no_governor",
        )


# --- Reports -----------------------------------------------------------------------------


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
    if report.reporter_email:
        email_after_commit(
            recipients=[report.reporter_email],
            subject=f"Your report {report.reference} has been considered",
            template="cases/email/report_closed.txt",
            context={"report": report},
            organisation_id=report.organisation_id,
            category="cases.report.closed",
        )
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
    if report.reporter_email:
        # The reporter learns that their report was considered, never whom the case is about.
        email_after_commit(
            recipients=[report.reporter_email],
            subject=f"Your report {report.reference} has been considered",
            template="cases/email/report_considered.txt",
            context={"report": report},
            organisation_id=report.organisation_id,
            category="cases.report.considered",
        )
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


# --- Working a case ----------------------------------------------------------------------


def _entry(case: BreachCase, kind: str, body: str, author: User) -> CaseEntry:
    return CaseEntry.objects.create(case=case, kind=kind, body=body, author=author)


def _locked_case(case: BreachCase, by: User, action: str) -> BreachCase:
    locked = BreachCase.objects.select_for_update(of=("self",)).get(pk=case.pk)
    if action not in case_actions_for(locked, handler_for(by)):
        raise ApplicationError(
            f"You cannot {ACTION_LABELS[action].lower()} on this case now.",
            code=ErrorCode.FORBIDDEN,
        )
    return locked


def _audit(case: BreachCase, by: User, action: str, **details: Any) -> None:
    audit_record(
        actor=by,
        action=f"cases.{action}",
        target=case,
        clauses=["9.1", *case.clauses],
        details={"stage": case.stage, **details},
    )


@transaction.atomic
def case_note_add(*, case: BreachCase, by: User, body: str) -> CaseEntry:
    case = _locked_case(case, by, "add_note")
    entry = _entry(case, CaseEntry.Kind.NOTE, _required(body, "The note is empty."), by)
    _audit(case, by, "case.note")
    return entry


@transaction.atomic
def case_evidence_add(
    *,
    case: BreachCase,
    by: User,
    source_type: str,
    description: str,
    source_id: str = "",
    upload: UploadedFile | None = None,
) -> CaseEvidence:
    """Link a record (frozen as a snapshot) or store a file, each with its sha256."""
    case = _locked_case(case, by, "add_evidence")
    description = _required(description, "Say what this evidence shows.")
    evidence = CaseEvidence(
        case=case, source_type=source_type, description=description, added_by=by
    )
    if source_type == CaseEvidence.Source.UPLOAD:
        if upload is None:
            raise ApplicationError("Choose the file to upload.")
        if upload.size and upload.size > MAX_UPLOAD_BYTES:
            raise ApplicationError("The file is larger than 20 MB.")
        evidence.file = upload
        evidence.file_name = (upload.name or "file")[:200]
    elif source_type in SNAPSHOTS:
        source_id = _required(source_id, "Give the number of the record to link.")
        evidence.source_id = source_id[:64]
        evidence.snapshot = SNAPSHOTS[source_type](case, source_id)
    else:
        raise ApplicationError("Choose what kind of evidence this is.")
    evidence.save()
    label = evidence.file_name or f"{evidence.get_source_type_display()} {evidence.source_id}"
    _entry(case, CaseEntry.Kind.EVIDENCE, f"{label}: {description} (sha256 {evidence.sha256})", by)
    _audit(case, by, "case.evidence", source_type=source_type, sha256=evidence.sha256)
    return evidence


@transaction.atomic
def case_stage_move(*, case: BreachCase, by: User, to: str, note: str = "") -> BreachCase:
    """Investigation -> hearing. The outcome, appeal and closing have services of their own,
    because each needs more than a stage change."""
    if to != Stage.HEARING:
        raise ApplicationError("A case moves from investigation to a hearing here.")
    case = _locked_case(case, by, "move_to_hearing")
    before = case.stage
    case.stage = Stage.HEARING
    case.save(update_fields=["stage"])
    body = "Moved to the hearing stage." + (f" {note.strip()}" if note.strip() else "")
    _entry(case, CaseEntry.Kind.STAGE, body, by)
    _audit(case, by, "case.stage", moved=[before, case.stage])
    return case


@transaction.atomic
def case_outcome_record(*, case: BreachCase, by: User, outcome: str, reason: str) -> BreachCase:
    case = _locked_case(case, by, "record_outcome")
    if outcome not in Outcome.values:
        raise ApplicationError("Choose the outcome.")
    if outcome in NEEDS_HEARING and case.stage != Stage.HEARING:
        raise ApplicationError(
            "A warning, disciplinary action or dismissal follows a hearing (9.1): move the "
            "case to the hearing stage first.",
            code=ErrorCode.CONFLICT,
        )
    before = case.stage
    case.outcome = outcome
    case.outcome_reason = _required(reason, "Give the reasons for the outcome.")
    case.outcome_decided_by, case.outcome_at = by, timezone.now()
    case.stage = Stage.OUTCOME
    case.save(
        update_fields=["outcome", "outcome_reason", "outcome_decided_by", "outcome_at", "stage"]
    )
    label = Outcome(outcome).label
    _entry(case, CaseEntry.Kind.OUTCOME, f"Outcome: {label}. {case.outcome_reason}", by)
    _audit(case, by, "case.outcome", moved=[before, case.stage], outcome=outcome)
    return case


@transaction.atomic
def case_appeal_file(*, case: BreachCase, by: User, text: str) -> CaseAppeal:
    """Record the staff member's appeal against the outcome (one per case)."""
    case = _locked_case(case, by, "file_appeal")
    assert case.outcome_decided_by_id is not None
    appeal = CaseAppeal.objects.create(
        case=case,
        outcome_decided_by_id=case.outcome_decided_by_id,
        filed_text=_required(text, "Give the grounds of the appeal."),
        filed_by=by,
    )
    case.stage = Stage.APPEAL
    case.save(update_fields=["stage"])
    _entry(case, CaseEntry.Kind.APPEAL, f"Appeal filed: {appeal.filed_text}", by)
    _audit(case, by, "appeal.file", moved=[Stage.OUTCOME, case.stage])
    return appeal


@transaction.atomic
def case_appeal_decide(
    *, case: BreachCase, by: User, decision: str, reason: str, varied_outcome: str = ""
) -> CaseAppeal:
    """Decided by someone other than the person who decided the outcome; closes the case."""
    locked = BreachCase.objects.select_for_update(of=("self",)).get(pk=case.pk)
    if locked.stage == Stage.APPEAL and locked.outcome_decided_by_id == by.pk:
        raise ApplicationError(
            "You decided the outcome, so someone else must decide the appeal: another "
            "person who handles this case (for a case about a head teacher, another governor).",
            code=ErrorCode.FORBIDDEN,
        )
    case = _locked_case(locked, by, "decide_appeal")
    if decision not in CaseAppeal.Decision.values:
        raise ApplicationError("Choose the decision on the appeal.")
    if decision == CaseAppeal.Decision.VARIED and varied_outcome not in Outcome.values:
        raise ApplicationError("Choose the outcome that replaces the original one.")
    appeal = CaseAppeal.objects.select_for_update().get(case=case)
    appeal.decided_by, appeal.decided_at = by, timezone.now()
    appeal.decision = decision
    appeal.varied_outcome = varied_outcome if decision == CaseAppeal.Decision.VARIED else ""
    appeal.decision_reason = _required(reason, "Give the reasons for the decision.")
    appeal.save()
    case.stage, case.closed_at = Stage.CLOSED, appeal.decided_at
    case.save(update_fields=["stage", "closed_at"])
    label = CaseAppeal.Decision(decision).label
    if appeal.varied_outcome:
        label += f" to {Outcome(appeal.varied_outcome).label.lower()}"
    _entry(case, CaseEntry.Kind.APPEAL, f"Appeal decided: {label}. {appeal.decision_reason}", by)
    _audit(case, by, "appeal.decide", moved=[Stage.APPEAL, case.stage], decision=decision)
    return appeal


@transaction.atomic
def case_close(*, case: BreachCase, by: User, note: str = "") -> BreachCase:
    case = _locked_case(case, by, "close")
    case.stage, case.closed_at = Stage.CLOSED, timezone.now()
    case.save(update_fields=["stage", "closed_at"])
    body = "Case closed." + (f" {note.strip()}" if note.strip() else "")
    _entry(case, CaseEntry.Kind.STAGE, body, by)
    _audit(case, by, "case.close", moved=[Stage.OUTCOME, case.stage])
    return case


# --- Named people ------------------------------------------------------------------------


@transaction.atomic
def case_access_grant(*, user: User, by: User) -> CaseAccess:
    """The head teacher names someone to handle breach cases (audited)."""
    if not can_manage_access(by):
        raise ApplicationError(
            "Only the head teacher names case handlers.", code=ErrorCode.FORBIDDEN
        )
    org_id = by.organisation_id
    if org_id is None or user.organisation_id != org_id or not user.is_active:
        raise ApplicationError("Choose someone in your organisation.", code=ErrorCode.NOT_FOUND)
    if not is_staff_member(user):
        raise ApplicationError("Only staff members and governors can handle breach cases.")
    existing = (
        CaseAccess.objects.select_for_update()
        .filter(organisation_id=org_id, user=user, revoked_at__isnull=True)
        .first()
    )
    if existing is not None:
        raise ApplicationError(f"{user} can already handle cases.", code=ErrorCode.ALREADY_DONE)
    access = CaseAccess.objects.create(organisation_id=org_id, user=user, granted_by=by)
    audit_record(
        actor=by,
        action="cases.access.grant",
        target=access,
        clauses=["9.1"],
        details={"user": user.pk},
    )
    return access


@transaction.atomic
def case_access_revoke(*, access: CaseAccess, by: User) -> CaseAccess:
    if not can_manage_access(by) or access.organisation_id != by.organisation_id:
        raise ApplicationError(
            "Only the head teacher names case handlers.", code=ErrorCode.FORBIDDEN
        )
    access = CaseAccess.objects.select_for_update().get(pk=access.pk)
    if access.revoked_at is not None:
        raise ApplicationError("That access has already ended.", code=ErrorCode.ALREADY_DONE)
    access.revoked_at, access.revoked_by = timezone.now(), by
    access.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(
        actor=by,
        action="cases.access.revoke",
        target=access,
        clauses=["9.1"],
        details={"user": access.user_id},
    )
    return access
