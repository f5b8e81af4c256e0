"""Writes to the safeguarding record (A.2.3, A.5.6). Each is one transaction that checks
``actions_for`` again, appends to the chronology and writes one audit event. The audit trail
keeps the fact (reference, kind, counts) and never the account, the child's words or a pupil's
name: those stay in the record, where only the DSLs can read them. Mail goes after commit and
carries the category and a link only (CPOMS)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from socialguard.accounts.models import SAFEGUARDING_ROLES, Organisation, School, User
from socialguard.accounts.selectors import has_role, is_staff_member, people_with_role
from socialguard.audit.services import audit_record
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.notifications.services import email_after_commit
from socialguard.safeguarding import selectors
from socialguard.safeguarding.agencies import agency_offered
from socialguard.safeguarding.models import (
    Concern,
    ConcernAction,
    ConcernEntry,
    ConcernEvidence,
    ConcernPupil,
    Escalation,
    Referral,
)
from socialguard.safeguarding.permissions import ACTION_LABELS, actions_for, may_report
from socialguard.screening import categories as registry

CLAUSES = ("A.2.3", "A.5.6")
MAX_CATEGORIES = 3
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# Entries a lead writes by hand; the others are appended by the services below.
WRITTEN_ENTRY_KINDS = (
    ConcernEntry.Kind.UPDATE,
    ConcernEntry.Kind.CORRECTION,
    ConcernEntry.Kind.DSL_SUMMARY,
)
CLOCK_SKEW = timedelta(minutes=5)


def categories_clean(categories: Sequence[str]) -> list[str]:
    chosen = list(dict.fromkeys(c for c in categories if c))
    if not chosen:
        raise ApplicationError("Choose what kind of concern this is.", code=ErrorCode.INVALID)
    if len(chosen) > MAX_CATEGORIES:
        raise ApplicationError(
            "Choose up to three categories, the most serious first.", code=ErrorCode.INVALID
        )
    unknown = [c for c in chosen if c not in registry.safeguarding_codes()]
    if unknown:
        raise ApplicationError("Choose categories from the list.", code=ErrorCode.INVALID)
    return chosen


def _require(user: User, concern: Concern, action: str) -> None:
    if action not in actions_for(user, concern):
        raise ApplicationError(
            f"You cannot do this on concern {concern.reference}: "
            f"{ACTION_LABELS.get(action, action).lower()}.",
            code=ErrorCode.FORBIDDEN,
        )


def _locked(concern: Concern) -> Concern:
    return Concern.objects.select_for_update(of=("self",)).get(pk=concern.pk)


def _text(value: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ApplicationError(f"Write {what}.", code=ErrorCode.INVALID)
    return value


def _audit(by: User | None, concern: Concern, verb: str, **details: Any) -> None:
    audit_record(
        actor=by,
        action=f"safeguarding.concern.{verb}",
        target=concern,
        clauses=CLAUSES,
        organisation_id=concern.organisation_id,
        details={"reference": concern.reference, **details},
    )


def _entry(concern: Concern, kind: str, body: str, by: User | None) -> ConcernEntry:
    return ConcernEntry.objects.create(concern=concern, kind=kind, body=body, author=by)


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


# --- Recording ---------------------------------------------------------------------------


def _next_reference(organisation_id: int, year: int) -> str:
    """SG-2026-0007: numbered per organisation and year. Locking the organisation's row
    serialises numbering, so two concerns recorded at once never share a reference."""
    list(Organisation.objects.select_for_update().filter(pk=organisation_id).values_list("pk"))
    prefix = f"SG-{year}-"
    taken = Concern.objects.filter(
        organisation_id=organisation_id, reference__startswith=prefix
    ).values_list("reference", flat=True)
    numbers = [int(ref.removeprefix(prefix)) for ref in taken if ref.removeprefix(prefix).isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def _check_pupils(organisation: Organisation, pupils: Sequence[User]) -> None:
    ids = {pupil.pk for pupil in pupils}
    known = set(
        selectors.pupils_of(organisation=organisation)
        .filter(pk__in=ids)
        .values_list("pk", flat=True)
    )
    if ids - known:
        raise ApplicationError(
            "Choose pupils of your own schools from the list, or write the name under "
            "“pupil not on the list”.",
            code=ErrorCode.INVALID,
        )


def category_label(code: str) -> str:
    """The registry's words for a concern's category ('other' included)."""
    return registry.safeguarding_codes().get(code) or registry.label(code)


@dataclass(frozen=True)
class ConcernNotice:
    """All that leaves safeguarding when a concern is recorded, for another system the school
    uses (its CPOMS or MyConcern): the categories, the time and a link. Never the account,
    never a name, never the reporter."""

    organisation_id: int
    categories: tuple[str, ...]
    recorded_at: datetime
    link: str


ConcernHook = Callable[[ConcernNotice], None]
_CONCERN_HOOKS: list[ConcernHook] = []


def register_concern_hook(hook: ConcernHook) -> ConcernHook:
    """Other apps (integrations: the school's webhook) hear of each new concern through this;
    the hook runs inside the recording transaction and sends nothing before it commits."""
    if hook not in _CONCERN_HOOKS:
        _CONCERN_HOOKS.append(hook)
    return hook


def tell_recorded(concern: Concern, organisation: Organisation) -> None:
    """A.2.3: the DSL and deputies are told at once. Category and link only: never the
    account, never a pupil's name (CPOMS)."""
    notice = ConcernNotice(
        organisation_id=concern.organisation_id,
        categories=tuple(category_label(c) for c in concern.categories),
        recorded_at=concern.created_at,
        link=reverse("safeguarding:concern", args=[concern.pk]),
    )
    for hook in _CONCERN_HOOKS:
        hook(notice)
    leads = people_with_role(
        organisation=organisation, roles=SAFEGUARDING_ROLES, school=concern.school
    )
    labels = [category_label(c) for c in concern.categories]
    email_after_commit(
        recipients=leads,
        subject=f"Safeguarding concern recorded: {labels[0]}",
        template="safeguarding/email/concern_recorded.txt",
        context={
            "labels": labels,
            "link": reverse("safeguarding:concern", args=[concern.pk]),
            "at": concern.created_at,
        },
        organisation_id=concern.organisation_id,
        category="safeguarding.concern",
    )


def create_concern(
    *,
    by: User,
    organisation: Organisation,
    school: School | None,
    occurred_at: datetime,
    location: str,
    account: str,
    child_words: str,
    categories: list[str],
    pupils: Sequence[User],
    unlisted_pupils: Sequence[str],
    source: str,
    escalation: Escalation | None = None,
) -> Concern:
    concern = Concern.objects.create(
        organisation=organisation,
        school=school,
        reference=_next_reference(organisation.pk, timezone.localdate().year),
        reporter=by,
        occurred_at=occurred_at,
        location=location.strip()[:200],
        account=account,
        child_words=child_words.strip(),
        categories=categories,
        source=source,
        escalation=escalation,
    )
    ConcernPupil.objects.bulk_create(
        [ConcernPupil(concern=concern, pupil=pupil) for pupil in pupils]
        + [ConcernPupil(concern=concern, name_if_not_listed=name) for name in unlisted_pupils]
    )
    return concern


@transaction.atomic
def concern_record(
    *,
    by: User,
    account: str,
    occurred_at: datetime,
    categories: Sequence[str],
    pupils: Sequence[User] = (),
    unlisted_pupils: Sequence[str] = (),
    child_words: str = "",
    location: str = "",
    school: School | None = None,
    upload: UploadedFile | None = None,
    upload_description: str = "",
) -> Concern:
    """Any staff member records a concern (2.1, A.2.3). They see a receipt, not the record."""
    if not may_report(by) or by.organisation is None:
        raise ApplicationError(
            "Only staff members record safeguarding concerns here. Tell the DSL in person.",
            code=ErrorCode.FORBIDDEN,
        )
    organisation = by.organisation
    account = _text(account, "what happened, in your own words")
    chosen = categories_clean(categories)
    unlisted = [name.strip()[:200] for name in unlisted_pupils if name.strip()]
    if not pupils and not unlisted:
        raise ApplicationError(
            "Say which pupil the concern is about: choose from the list or write the name.",
            code=ErrorCode.INVALID,
        )
    _check_pupils(organisation, pupils)
    if timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at)
    if occurred_at > timezone.now() + CLOCK_SKEW:
        raise ApplicationError("When it happened cannot be in the future.", code=ErrorCode.INVALID)
    if school is None:
        school = next((p.school for p in pupils if p.school_id), None) or by.school
    concern = create_concern(
        by=by,
        organisation=organisation,
        school=school,
        occurred_at=occurred_at,
        location=location,
        account=account,
        child_words=child_words,
        categories=chosen,
        pupils=pupils,
        unlisted_pupils=unlisted,
        source=Concern.Source.FORM,
    )
    if upload is not None:
        _evidence_from_upload(concern, by, upload, upload_description)
    if has_role(by, *SAFEGUARDING_ROLES):
        # A safeguarding lead who records a concern has seen it: nothing to escalate.
        concern.acknowledged_at, concern.acknowledged_by = concern.created_at, by
        concern.save(update_fields=["acknowledged_at", "acknowledged_by"])
    _audit(
        by,
        concern,
        "recorded",
        source=concern.source,
        categories=chosen,
        school=concern.school_id,
        pupils=len(pupils) + len(unlisted),
        evidence=1 if upload is not None else 0,
    )
    tell_recorded(concern, organisation)
    return concern


# --- The chronology ----------------------------------------------------------------------


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


# --- Closing, reopening, sharing -----------------------------------------------------------


@transaction.atomic
def concern_close(*, concern: Concern, by: User, outcome: str) -> Concern:
    concern = _locked(concern)
    _require(by, concern, "close")
    concern.outcome = _text(outcome, "the outcome")
    concern.status = Concern.Status.CLOSED
    concern.closed_at, concern.closed_by = timezone.now(), by
    concern.save(update_fields=["status", "outcome", "closed_at", "closed_by"])
    _entry(concern, ConcernEntry.Kind.CLOSED, f"Closed. Outcome: {concern.outcome}", by)
    open_actions = concern.actions.filter(done_at__isnull=True).count()
    _audit(by, concern, "closed", open_actions=open_actions)
    return concern


@transaction.atomic
def concern_reopen(*, concern: Concern, by: User, reason: str) -> Concern:
    concern = _locked(concern)
    _require(by, concern, "reopen")
    reason = _text(reason, "why the concern is opened again")
    closed_at = concern.closed_at
    concern.status = Concern.Status.OPEN
    concern.closed_at, concern.closed_by = None, None
    concern.save(update_fields=["status", "closed_at", "closed_by"])
    _entry(concern, ConcernEntry.Kind.REOPENED, f"Reopened: {reason}", by)
    _audit(by, concern, "reopened", closed_at=closed_at.isoformat() if closed_at else None)
    return concern


@transaction.atomic
def concern_head_access_set(
    *, concern: Concern, by: User, allowed: bool, reason: str = ""
) -> Concern:
    """A.2.3: the DSL decides, concern by concern, whether the head teacher needs to know."""
    concern = _locked(concern)
    _require(by, concern, "grant_head" if allowed else "revoke_head")
    if allowed:
        reason = _text(reason, "why the head teacher needs to know")
    concern.head_teacher_may_view = allowed
    concern.save(update_fields=["head_teacher_may_view"])
    body = "Shared with the head teacher" if allowed else "No longer shared with the head teacher"
    _entry(concern, ConcernEntry.Kind.ACCESS, body + (f": {reason.strip()}" if reason else "."), by)
    _audit(by, concern, "head_access_granted" if allowed else "head_access_revoked")
    return concern


@transaction.atomic
def concern_viewed(*, concern: Concern, by: User) -> None:
    """The first safeguarding lead to open a new concern acknowledges it (A.2.3: the time from
    recording to acknowledging is reported to governors). Opening a closed record again, or
    the head teacher opening a shared one, is audited (historic access, after Impero)."""
    is_lead = "add_entry" in actions_for(by, concern)
    if is_lead and concern.acknowledged_at is None:
        now = timezone.now()
        if Concern.objects.filter(pk=concern.pk, acknowledged_at__isnull=True).update(
            acknowledged_at=now, acknowledged_by=by
        ):
            concern.acknowledged_at, concern.acknowledged_by = now, by
            _audit(by, concern, "acknowledged")
    if not concern.is_open:
        _audit(by, concern, "viewed_closed")
    elif not is_lead:
        _audit(by, concern, "viewed_shared")
