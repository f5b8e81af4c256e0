"""The chronology of a concern: entries, actions given to staff, referrals to agencies and
their outcomes (A.5.6), evidence."""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from socialguard.accounts.models import User
from socialguard.accounts.selectors import is_staff_member
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.notifications.services import email_after_commit
from socialguard.safeguarding.agencies import agency_offered
from socialguard.safeguarding.models import (
    Concern,
    ConcernAction,
    ConcernEntry,
    ConcernEvidence,
    Referral,
)
from socialguard.safeguarding.services._common import (
    MAX_UPLOAD_BYTES,
    WRITTEN_ENTRY_KINDS,
    _audit,
    _day,
    _entry,
    _locked,
    _require,
    _text,
)


@transaction.atomic
def concern_entry_add(
    *, concern: Concern, by: User, body: str, kind: str = ConcernEntry.Kind.UPDATE
) -> ConcernEntry:
    """Updates, corrections and DSL summaries are appended; the account is never edited."""
    concern = _locked(concern)
    _require(by, concern, "add_entry")
    if kind not in WRITTEN_ENTRY_KINDS:
        raise ApplicationError("Choose update, correction or DSL summary.", code=ErrorCode.INVALID)
    entry = _entry(concern, kind, _text(body, "the entry"), by)
    _audit(by, concern, "entry_added", kind=kind, entry=entry.pk)
    return entry


@transaction.atomic
def concern_action_assign(
    *, concern: Concern, by: User, description: str, assignee: User, due_on: date
) -> ConcernAction:
    concern = _locked(concern)
    _require(by, concern, "assign_action")
    description = _text(description, "what needs doing")[:500]
    if assignee.organisation_id != concern.organisation_id or not is_staff_member(assignee):
        raise ApplicationError("Assign the action to a member of staff.", code=ErrorCode.INVALID)
    if due_on < timezone.localdate():
        raise ApplicationError("The due date has already passed.", code=ErrorCode.INVALID)
    action = ConcernAction.objects.create(
        concern=concern, description=description, assignee=assignee, due_on=due_on, created_by=by
    )
    name = assignee.get_full_name() or assignee.get_username()
    _entry(concern, ConcernEntry.Kind.ACTION, f"{name}, by {_day(due_on)}: {description}", by)
    _audit(
        by, concern, "action_assigned", action=action.pk, assignee=assignee.pk, due_on=str(due_on)
    )
    if assignee.pk != by.pk:
        # The action's wording is on their own page; the e-mail says only that there is one.
        email_after_commit(
            recipients=[assignee],
            subject="A safeguarding action for you",
            template="safeguarding/email/action_assigned.txt",
            context={"due_on": due_on, "link": reverse("safeguarding:my_actions")},
            organisation_id=concern.organisation_id,
            category="safeguarding.action",
        )
    return action


@transaction.atomic
def concern_action_complete(*, action: ConcernAction, by: User) -> ConcernAction:
    """The safeguarding leads mark any action done; the person it was given to marks their own
    (without opening the record)."""
    concern = _locked(action.concern)
    if by.pk != action.assignee_id:
        _require(by, concern, "complete_action")
    action = ConcernAction.objects.select_for_update(of=("self",)).get(pk=action.pk)
    if action.done_at is not None:
        raise ApplicationError("That action is already done.", code=ErrorCode.ALREADY_DONE)
    action.done_at, action.done_by = timezone.now(), by
    action.save(update_fields=["done_at", "done_by"])
    _entry(concern, ConcernEntry.Kind.ACTION, f"Done: {action.description}", by)
    _audit(by, concern, "action_done", action=action.pk, due_on=str(action.due_on))
    return action


@transaction.atomic
def concern_referral_record(
    *,
    concern: Concern,
    by: User,
    agency: str,
    made_on: date,
    reference: str = "",
    note: str = "",
) -> Referral:
    """A.5.6: serious matters go to the Police or CEOP; others to children's social care, the
    LADO (about an adult), Early Help or an agency on the organisation's own list
    (``safeguarding.agencies``). The agency's reference is kept for the follow-up."""
    concern = _locked(concern)
    _require(by, concern, "record_referral")
    chosen = agency_offered(organisation=concern.organisation, code=agency)
    if chosen is None:
        raise ApplicationError("Choose an agency from the list.", code=ErrorCode.INVALID)
    if made_on > timezone.localdate():
        raise ApplicationError("The referral date cannot be in the future.")
    referral = Referral.objects.create(
        concern=concern,
        agency=chosen.code,
        agency_name=chosen.name,
        made_on=made_on,
        made_by=by,
        reference=reference.strip(),
    )
    body = f"Referred to {chosen.name} on {_day(made_on)}"
    body += f", their reference {referral.reference}." if referral.reference else "."
    if note.strip():
        body += f" {note.strip()}"
    _entry(concern, ConcernEntry.Kind.REFERRAL, body, by)
    _audit(
        by, concern, "referral_recorded", referral=referral.pk, agency=agency, made_on=str(made_on)
    )
    return referral


@transaction.atomic
def concern_referral_outcome(*, referral: Referral, by: User, outcome: str) -> Referral:
    concern = _locked(referral.concern)
    _require(by, concern, "record_outcome")
    referral = Referral.objects.select_for_update(of=("self",)).get(pk=referral.pk)
    referral.outcome = _text(outcome, "the outcome")
    referral.outcome_recorded_at = timezone.now()
    referral.save(update_fields=["outcome", "outcome_recorded_at"])
    body = f"Outcome of the referral to {referral.agency_name}: {referral.outcome}"
    _entry(concern, ConcernEntry.Kind.REFERRAL, body, by)
    _audit(by, concern, "referral_outcome", referral=referral.pk, agency=referral.agency)
    return referral


def _evidence_from_upload(
    concern: Concern, by: User, upload: UploadedFile, description: str
) -> ConcernEvidence:
    if upload.size and upload.size > MAX_UPLOAD_BYTES:
        raise ApplicationError("The file is larger than 20 MB.", code=ErrorCode.INVALID)
    evidence = ConcernEvidence(
        concern=concern,
        source_type=ConcernEvidence.SourceType.UPLOAD,
        description=description.strip()[:300],
        file_name=(upload.name or "upload")[:200],
        content_type=(upload.content_type or "application/octet-stream")[:100],
        added_by=by,
    )
    evidence.file = upload
    evidence.save()  # the sha256 is taken from the bytes as they are stored
    _entry(
        concern,
        ConcernEntry.Kind.EVIDENCE,
        f"File added: {evidence.file_name} (sha256 {evidence.sha256})",
        by,
    )
    return evidence


@transaction.atomic
def concern_evidence_add(
    *, concern: Concern, by: User, upload: UploadedFile, description: str = ""
) -> ConcernEvidence:
    concern = _locked(concern)
    _require(by, concern, "add_evidence")
    evidence = _evidence_from_upload(concern, by, upload, description)
    _audit(by, concern, "evidence_added", evidence=evidence.pk, sha256=evidence.sha256)
    return evidence
