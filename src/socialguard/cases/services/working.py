"""Working a case: notes, evidence, stages, the outcome, an appeal, closing."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from socialguard.accounts.models import User
from socialguard.audit.services import audit_record
from socialguard.cases.evidence import SNAPSHOTS
from socialguard.cases.models import (
    BreachCase,
    CaseAppeal,
    CaseEntry,
    CaseEvidence,
    Outcome,
    Stage,
)
from socialguard.cases.permissions import (
    ACTION_LABELS,
    case_actions_for,
    handler_for,
)
from socialguard.cases.services._common import (
    MAX_UPLOAD_BYTES,
    NEEDS_HEARING,
    _entry,
    _required,
)
from socialguard.core.errors import ApplicationError, ErrorCode


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
    appeal.save(
        update_fields=[
            "decided_by",
            "decided_at",
            "decision",
            "varied_outcome",
            "decision_reason",
        ]
    )
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
