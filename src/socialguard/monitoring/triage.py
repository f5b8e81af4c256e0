"""Triage of monitoring findings: a person says whether a finding is true or a false positive,
with a note, and a confirmed one goes where the policy sends it: about a staff member, to a
breach case (9.1: the head teacher handles breaches); about a pupil, to the safeguarding leads
as a concern (A.2.3).

Who may triage is who may see the finding (``selectors.findings_visible_to``): staff findings
the IT / monitoring lead and the head teacher; pupils' also the DSL and deputy DSLs.

A breach case is opened by a case handler (the head teacher, or whom the head named: cases'
rule). The monitoring lead is not one, so their "open a breach case" refers the finding to the
head teacher as a breach report (cases' own route, 9.1); when the head opens the case from the
finding, it is opened from that report, and the case's evidence links the finding (frozen by
cases with its sha256, ``source_type="monitoring_finding"``)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from socialguard.accounts.models import SAFEGUARDING_ROLES, User
from socialguard.accounts.selectors import has_role
from socialguard.audit.services import audit_record
from socialguard.cases import services as case_services
from socialguard.cases.models import BreachCase, BreachReport, CaseEvidence, ReporterRelationship
from socialguard.cases.permissions import handler_for
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.monitoring.models import FindingStatus, MonitoringFinding
from socialguard.monitoring.selectors import findings_visible_to
from socialguard.safeguarding import escalations
from socialguard.safeguarding.models import Concern, Escalation
from socialguard.safeguarding.services import concern_record
from socialguard.screening import categories as registry

MAX_NOTE = 4000
# Where a finding was referred to the head teacher as a breach report (its id), in details.
REPORT_KEY = "breach_report"


def _locked(finding: MonitoringFinding, by: User) -> MonitoringFinding:
    """The finding, locked, if ``by`` may see it; otherwise as if it did not exist."""
    organisation = by.organisation
    found = None
    if organisation is not None:
        visible = findings_visible_to(user=by, organisation=organisation)
        if visible.filter(pk=finding.pk).exists():
            found = MonitoringFinding.objects.select_for_update(of=("self",)).get(pk=finding.pk)
    if found is None:
        raise ApplicationError("No such finding.", code=ErrorCode.NOT_FOUND)
    return found


def _audit(by: User, finding: MonitoringFinding, verb: str, **details: Any) -> None:
    audit_record(
        actor=by,
        action=f"monitoring.finding.{verb}",
        target=finding,
        clauses=["8.1", finding.clause],
        organisation_id=finding.organisation_id,
        details={"reference": finding.reference, "status": finding.status, **details},
    )


@transaction.atomic
def finding_mark(
    *, finding: MonitoringFinding, by: User, status: str, note: str
) -> MonitoringFinding:
    """True positive (confirmed) or false positive, with a note saying why. A finding already
    turned into a case or a concern keeps its status: that record is where it continues."""
    finding = _locked(finding, by)
    if status not in (FindingStatus.CONFIRMED, FindingStatus.FALSE_POSITIVE):
        raise ApplicationError(
            "Choose whether the finding is confirmed or a false positive.", code=ErrorCode.INVALID
        )
    note = note.strip()
    if not note:
        raise ApplicationError("Say in a note why you decided this.", code=ErrorCode.INVALID)
    if len(note) > MAX_NOTE:
        raise ApplicationError(
            f"Keep the note under {MAX_NOTE} characters.", code=ErrorCode.INVALID
        )
    if finding.case_id or finding.concern_id:
        raise ApplicationError(
            "This finding is already a case or a concern: carry on there.",
            code=ErrorCode.ALREADY_DONE,
        )
    finding.status = status
    finding.triage_note = note
    finding.triaged_by, finding.triaged_at = by, timezone.now()
    finding.save(update_fields=["status", "triage_note", "triaged_by", "triaged_at", "updated_at"])
    _audit(by, finding, "mark")
    return finding


def _require_confirmed(finding: MonitoringFinding, *, pupil: bool) -> None:
    if finding.subject_is_pupil != pupil or finding.subject_id is None:
        what = "a pupil" if pupil else "a staff member"
        raise ApplicationError(
            f"Only a finding about {what} goes this way.", code=ErrorCode.INVALID
        )
    if finding.status != FindingStatus.CONFIRMED:
        raise ApplicationError(
            "Confirm the finding first (true positive, with a note).", code=ErrorCode.CONFLICT
        )


def _case_summary(finding: MonitoringFinding) -> str:
    return f"From monitoring finding {finding.reference} ({finding.clause}): {finding.summary}"


@transaction.atomic
def finding_open_case(*, finding: MonitoringFinding, by: User) -> BreachCase | BreachReport:
    """A confirmed finding about a staff member becomes a breach case (9.1). A case handler
    opens the case at once (from the finding's breach report if it was referred first); anyone
    else who triages it refers it to the head teacher as a breach report."""
    finding = _locked(finding, by)
    _require_confirmed(finding, pupil=False)
    if finding.case_id is not None:
        raise ApplicationError(
            "A breach case is already open for this finding.", code=ErrorCode.ALREADY_DONE
        )
    assert finding.subject is not None
    if not handler_for(by).handles_cases:
        return _refer_to_head(finding, by)
    report = BreachReport.objects.filter(
        pk=finding.details.get(REPORT_KEY) or 0,
        organisation_id=finding.organisation_id,
        status=BreachReport.Status.NEW,
    ).first()
    if report is not None:
        case = case_services.breach_report_triage(
            report=report,
            by=by,
            staff_member=finding.subject,
            clauses=[finding.clause],
            summary=_case_summary(finding),
            school=finding.school,
        )
    else:
        case = case_services.case_open(
            organisation=finding.organisation,
            by=by,
            staff_member=finding.subject,
            clauses=[finding.clause],
            summary=_case_summary(finding),
            school=finding.school,
        )
    case_services.case_evidence_add(
        case=case,
        by=by,
        source_type=CaseEvidence.Source.MONITORING_FINDING,
        source_id=str(finding.pk),
        description=f"Monitoring finding {finding.reference} with its log lines "
        f"(evidence sha256 {finding.evidence_sha256 or 'none'})",
    )
    finding.case = case
    finding.save(update_fields=["case", "updated_at"])
    _audit(by, finding, "case", case=case.reference)
    return case


def _refer_to_head(finding: MonitoringFinding, by: User) -> BreachReport:
    if finding.details.get(REPORT_KEY):
        raise ApplicationError(
            "This finding has been referred to the head teacher already.",
            code=ErrorCode.ALREADY_DONE,
        )
    assert finding.subject is not None
    report = case_services.breach_report_submit(
        organisation=finding.organisation,
        reporter_name=by.get_full_name() or by.username,
        reporter_email="",
        reporter_relationship=ReporterRelationship.STAFF,
        what_happened=f"{_case_summary(finding)}\n\nTriage note: {finding.triage_note}\n\n"
        "Open the finding from Monitoring to open the case with its evidence.",
        when=f"{timezone.localtime(finding.occurred_at):%d %B %Y}",
        person_concerned_name=finding.subject.get_full_name() or finding.subject.username,
        clause_number=finding.clause,
        school=finding.school,
        reporter=by,
    )
    finding.details = {**finding.details, REPORT_KEY: report.pk}
    finding.save(update_fields=["details", "updated_at"])
    _audit(by, finding, "case", report=report.reference)
    return report


def _evidence_text(finding: MonitoringFinding) -> bytes:
    lines = [
        f"Monitoring finding {finding.reference} ({finding.clause}): {finding.summary}",
        f"Evidence sha256 (over the lines' own hashes): {finding.evidence_sha256}",
        "",
    ]
    for item in finding.evidence.all():
        lines.append(f"line {item.line_number} sha256 {item.sha256}")
        lines.append(item.line)
    return ("\n".join(lines) + "\n").encode()


def _concern_categories(finding: MonitoringFinding) -> list[str]:
    codes = registry.safeguarding_codes()
    found = [c for c in finding.details.get("categories", []) if c in codes]
    return found[:3] or ["other"]


@transaction.atomic
def finding_open_concern(*, finding: MonitoringFinding, by: User) -> Concern:
    """A confirmed finding about a pupil becomes a safeguarding concern (A.2.3). A lead takes
    the escalated item (its frozen evidence comes along); anyone else records a concern, as any
    staff member may, with the evidence lines attached as a file carrying their hashes."""
    finding = _locked(finding, by)
    _require_confirmed(finding, pupil=True)
    if finding.concern_id is not None:
        raise ApplicationError(
            "A concern is already recorded for this finding.", code=ErrorCode.ALREADY_DONE
        )
    account = _case_summary(finding)
    categories = _concern_categories(finding)
    escalation = finding.escalation
    if (
        escalation is not None
        and escalation.status == Escalation.Status.WITH_LEADS
        and has_role(by, *SAFEGUARDING_ROLES)
    ):
        concern = escalations.concern_from_escalation(
            by=by, escalation=escalation, account=account, categories=categories
        )
    else:
        assert finding.subject is not None
        concern = concern_record(
            by=by,
            account=f"{account}\n\nTriage note: {finding.triage_note}",
            occurred_at=finding.occurred_at,
            categories=categories,
            pupils=[finding.subject],
            school=finding.school,
            upload=SimpleUploadedFile(
                f"{finding.reference}.txt", _evidence_text(finding), "text/plain"
            ),
            upload_description=f"Log lines of monitoring finding {finding.reference}",
        )
    finding.concern = concern
    finding.save(update_fields=["concern", "updated_at"])
    _audit(by, finding, "concern")
    return concern
