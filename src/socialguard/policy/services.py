"""The policy's life cycle: a draft (an upload, or a review copy of the current version), its
corrections, publishing it, and staff acknowledging each new version.

A draft is never what staff work to: only ``policy_version_publish`` makes a version current,
and it records who approved it and when (the header's "Approved by" and "Date approved").
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from socialguard.accounts.models import Organisation, School, User
from socialguard.accounts.selectors import is_staff_member, staff_members_of
from socialguard.audit.services import audit_record
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.notifications.services import email_after_commit
from socialguard.policy.models import (
    Acknowledgement,
    AcknowledgementReminder,
    Clause,
    Obligation,
    PolicySection,
    PolicyVersion,
)
from socialguard.policy.parser import (
    MAX_UPLOAD_BYTES,
    ParsedPolicy,
    ParseWarning,
    PolicyParseError,
    parse_month_year,
    parse_policy_text,
    read_policy_bytes,
)
from socialguard.policy.selectors import policy_acknowledgement_status, policy_review_open

# The shipped policy's header: approved April 2017, next review April 2019.
REVIEW_PERIOD_YEARS = 2
# 2.1: a reminder to acknowledge at most once a week per person, however often it is asked.
REMINDER_INTERVAL = timedelta(days=7)
# A review's assignee is reminded a week before its due date, and once it has passed.
REVIEW_DUE_SOON = timedelta(days=7)
DEFAULT_APPROVER = "FGB"  # the seed's "Approved By": the full governing body


def policy_upload_parse(*, name: str, data: bytes) -> tuple[ParsedPolicy, str]:
    """Read and parse an uploaded document held in memory; errors name the line that failed."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ApplicationError(
            f"{name} is too big: the largest policy document accepted is "
            f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB. Save it without pictures and try again.",
            code=ErrorCode.INVALID,
        )
    try:
        text = read_policy_bytes(name=name, data=data)
        parsed = parse_policy_text(text=text, source_name=name)
    except PolicyParseError as error:
        raise ApplicationError(f"{name}: {error}", code=ErrorCode.POLICY_PARSE) from error
    return parsed, hashlib.sha256(data).hexdigest()


def policy_file_parse(*, path: Path) -> tuple[ParsedPolicy, str]:
    """Read and parse a .txt, .md or .docx policy; errors name the line that failed."""
    if not path.is_file():
        raise ApplicationError(f"{path}: no such file.", code=ErrorCode.NOT_FOUND)
    return policy_upload_parse(name=path.name, data=path.read_bytes())


def _published_labels(organisation: Organisation) -> set[str]:
    return set(
        PolicyVersion.objects.filter(
            organisation=organisation, status=PolicyVersion.Status.PUBLISHED
        ).values_list("version", flat=True)
    )


def policy_next_label(*, organisation: Organisation) -> str:
    """The label after the highest published whole number ('1' -> '2'); '1' for the first."""
    labels = _published_labels(organisation)
    numbers = [int(label) for label in labels if label.isdigit()]
    candidate = str(max(numbers) + 1) if numbers else "1"
    while candidate in labels:
        candidate = str(int(candidate) + 1)
    return candidate


def _store_content(version: PolicyVersion, parsed: ParsedPolicy) -> None:
    sections = {
        s.number: PolicySection.objects.create(
            version=version, number=s.number, title=s.title, position=index
        )
        for index, s in enumerate(parsed.sections)
    }
    Clause.objects.bulk_create(
        Clause(
            version=version,
            section=sections[c.section_number],
            number=c.number,
            text=c.text,
            obligation=str(c.obligation),
            position=index,
        )
        for index, c in enumerate(parsed.clauses)
    )


def _label_for(organisation: Organisation, parsed: ParsedPolicy) -> tuple[str, list[ParseWarning]]:
    """The document's own version when it is new; otherwise the next one, and a warning."""
    if not parsed.version:
        return policy_next_label(organisation=organisation), []
    if parsed.version in _published_labels(organisation):
        label = policy_next_label(organisation=organisation)
        return label, [
            ParseWarning(
                line=1,
                message=f"the header says version {parsed.version}, which is already "
                f"published; this draft is labelled version {label} (change it before "
                "publishing if the document means something else)",
            )
        ]
    return parsed.version[:40], []


@transaction.atomic
def policy_draft_create(
    *,
    organisation: Organisation,
    parsed: ParsedPolicy,
    source_name: str,
    source_sha256: str = "",
    by: User | None,
    action: str = "policy.draft.create",
) -> PolicyVersion:
    """Store a parsed document as a draft: nothing changes for staff until it is published."""
    label, warnings = _label_for(organisation, parsed)
    warnings += parsed.warnings
    draft = PolicyVersion.objects.create(
        organisation=organisation,
        title=(parsed.title or "Social Media Policy")[:200],
        version=label,
        approved_on=parse_month_year(parsed.approved_on or ""),
        approved_by=(parsed.approved_by or "")[:120],
        next_review_on=parse_month_year(parsed.next_review or ""),
        status=PolicyVersion.Status.DRAFT,
        is_current=False,
        source_name=source_name[:255],
        source_sha256=source_sha256,
        imported_by=by,
        appendices=dict(parsed.appendix_text),
        based_on=PolicyVersion.objects.filter(organisation=organisation, is_current=True).first(),
        parse_warnings=[asdict(w) for w in sorted(warnings, key=lambda w: w.line)],
    )
    _store_content(draft, parsed)
    audit_record(
        actor=by,
        action=action,
        target=draft,
        details={
            "clauses": len(parsed.clauses),
            "source": source_name,
            "sha256": source_sha256,
            "warnings": len(warnings),
            "version": label,
        },
    )
    return draft


@transaction.atomic
def policy_version_import(
    *,
    organisation: Organisation,
    parsed: ParsedPolicy,
    source_name: str,
    source_sha256: str = "",
    make_current: bool = True,
    by: User | None,
) -> PolicyVersion:
    """The command line's import: a draft, published at once with the document's own header
    unless ``make_current`` is false. A header that cannot be published stops it, plainly."""
    if make_current and parsed.version and parsed.version in _published_labels(organisation):
        raise ApplicationError(
            f"{source_name}: version {parsed.version} is already published for "
            f"{organisation.name}. Change the version in the document's header, or import it "
            "with --not-current and publish it in the browser under another label.",
            code=ErrorCode.CONFLICT,
        )
    draft = policy_draft_create(
        organisation=organisation,
        parsed=parsed,
        source_name=source_name,
        source_sha256=source_sha256,
        by=by,
        action="policy.version.import",
    )
    if not make_current:
        return draft
    approved_on = draft.approved_on or timezone.localdate()
    return policy_version_publish(
        version=draft,
        by=by,
        label=draft.version,
        approved_on=approved_on,
        approved_by=draft.approved_by or DEFAULT_APPROVER,
        next_review_on=draft.next_review_on or policy_default_review_date(approved_on),
        allow_past_review=True,  # an old document's own review date: the dashboard says so
    )


def policy_default_review_date(approved_on: date) -> date:
    try:
        return approved_on.replace(year=approved_on.year + REVIEW_PERIOD_YEARS)
    except ValueError:  # 29 February
        return approved_on.replace(year=approved_on.year + REVIEW_PERIOD_YEARS, day=28)


def _copy_content(source: PolicyVersion, target: PolicyVersion) -> None:
    sections = {
        s.pk: PolicySection.objects.create(
            version=target, number=s.number, title=s.title, position=s.position
        )
        for s in source.sections.all()
    }
    Clause.objects.bulk_create(
        Clause(
            version=target,
            section=sections[c.section_id],
            number=c.number,
            text=c.text,
            obligation=c.obligation,
            position=c.position,
        )
        for c in source.clauses.all()
    )


def _manager_of(person: User | None, organisation: Organisation) -> None:
    if person is None or person.organisation_id != organisation.pk:
        raise ApplicationError(
            "This policy belongs to another organisation.", code=ErrorCode.FORBIDDEN
        )


def _may_manage(person: User) -> None:
    if not person.has_perm("policy.manage"):
        raise ApplicationError(
            "Only the head teacher and administrators publish, review or discard the policy.",
            code=ErrorCode.FORBIDDEN,
        )


@transaction.atomic
def policy_review_start(
    *,
    organisation: Organisation,
    by: User,
    assignee: User,
    due_on: date,
    today: date | None = None,
) -> PolicyVersion:
    """Header, 'Next review date': a draft copied from the current version, for one person to
    prepare by a date. They are told now and reminded before the date and after it."""
    _manager_of(by, organisation)
    _may_manage(by)
    current = (
        PolicyVersion.objects.select_for_update()
        .filter(organisation=organisation, is_current=True)
        .first()
    )
    if current is None:
        raise ApplicationError(
            "There is no current policy to review: upload the school's policy instead.",
            code=ErrorCode.CONFLICT,
        )
    if assignee.organisation_id != organisation.pk or not is_staff_member(assignee):
        raise ApplicationError(
            "The review can only be given to a staff member or governor of the organisation.",
            code=ErrorCode.INVALID,
        )
    if due_on < (today or timezone.localdate()):
        raise ApplicationError("The due date has already passed: choose a later one.")
    open_review = policy_review_open(organisation=organisation)
    if open_review is not None:
        raise ApplicationError(
            f"A review is already under way ({open_review.label}); open it to carry on.",
            code=ErrorCode.CONFLICT,
        )
    draft = PolicyVersion.objects.create(
        organisation=organisation,
        title=current.title,
        version=policy_next_label(organisation=organisation),
        approved_by=current.approved_by,
        status=PolicyVersion.Status.DRAFT,
        source_name=f"Review of version {current.version}",
        imported_by=by,
        appendices=current.appendices,
        based_on=current,
        review_assignee=assignee,
        review_due_on=due_on,
    )
    _copy_content(current, draft)
    _tell_assignee(draft, late=False, first=True)
    audit_record(
        actor=by,
        action="policy.review.start",
        target=draft,
        details={
            "from_version": current.version,
            "assignee": assignee.pk,
            "due_on": due_on.isoformat(),
        },
    )
    return draft


def policy_review_remind(*, draft: PolicyVersion, late: bool) -> None:
    """The periodic check's reminder to the review's assignee (``policy.checks``)."""
    _tell_assignee(draft, late=late, first=False)
    audit_record(
        actor=None,
        action="policy.review.remind",
        target=draft,
        organisation_id=draft.organisation_id,
        details={"late": late, "assignee": draft.review_assignee_id},
    )


def _tell_assignee(draft: PolicyVersion, *, late: bool, first: bool) -> None:
    assert draft.review_assignee is not None and draft.review_due_on is not None
    if first:
        subject = f"You have been asked to review the {draft.title}"
    elif late:
        subject = f"The review of the {draft.title} is overdue"
    else:
        subject = f"The review of the {draft.title} is due soon"
    email_after_commit(
        recipients=[draft.review_assignee],
        subject=subject,
        template="policy/email/review_assigned.txt",
        context={
            "draft": draft,
            "late": late,
            "first": first,
            "link": reverse("policy:draft", args=[draft.pk]),
        },
        organisation_id=draft.organisation_id,
        category="policy.review.assigned" if first else "policy.review.reminder",
        key=f"policy.review:{draft.pk}:{'assigned' if first else ('late' if late else 'soon')}",
    )


def _draft_locked(version: PolicyVersion) -> PolicyVersion:
    locked = PolicyVersion.objects.select_for_update().get(pk=version.pk)
    if not locked.is_draft:
        raise ApplicationError(
            f"Version {locked.version} is published: it can no longer be changed. Start a "
            "review to prepare the next version.",
            code=ErrorCode.CONFLICT,
        )
    return locked


MAX_CLAUSE_TEXT = 5000


@transaction.atomic
def policy_draft_clause_update(*, clause: Clause, by: User, text: str, obligation: str) -> Clause:
    """Correct a clause the parser read wrongly, or a duty it classified wrongly."""
    draft = _draft_locked(clause.version)
    _manager_of(by, draft.organisation)
    if not by.has_perm("policy.manage") and draft.review_assignee_id != by.pk:
        raise ApplicationError(
            "Only the head teacher, administrators and the review's assignee correct a draft.",
            code=ErrorCode.FORBIDDEN,
        )
    text = "\n".join(line.rstrip() for line in text.strip().splitlines())
    if not text:
        raise ApplicationError("A clause needs some text; to drop it, edit the document.")
    if len(text) > MAX_CLAUSE_TEXT:
        raise ApplicationError(f"A clause can be at most {MAX_CLAUSE_TEXT} characters long.")
    if obligation not in Obligation.values:
        raise ApplicationError("Choose must, must not, should or advice.")
    before = {"text": clause.text, "obligation": clause.obligation}
    if before == {"text": text, "obligation": obligation}:
        return clause
    clause.text, clause.obligation = text, obligation
    clause.save(update_fields=["text", "obligation"])
    audit_record(
        actor=by,
        action="policy.draft.clause_change",
        target=draft,
        details={
            "clause": clause.number,
            "text_changed": before["text"] != text,
            "obligation": [before["obligation"], obligation],
        },
    )
    return clause


@transaction.atomic
def policy_draft_discard(*, version: PolicyVersion, by: User) -> None:
    draft = _draft_locked(version)
    _manager_of(by, draft.organisation)
    _may_manage(by)
    audit_record(
        actor=by,
        action="policy.draft.discard",
        target=draft,
        details={"version": draft.version, "source": draft.source_name},
    )
    draft.delete()


@transaction.atomic
def policy_version_publish(
    *,
    version: PolicyVersion,
    by: User | None,
    label: str,
    approved_on: date,
    approved_by: str,
    next_review_on: date,
    now: datetime | None = None,
    allow_past_review: bool = False,
) -> PolicyVersion:
    """Make a draft the current policy: who approved it and when, its next review date. The
    version it replaces stays readable; staff are asked to acknowledge the new one (2.1)."""
    now = now or timezone.now()
    draft = _draft_locked(version)
    if by is not None:
        _manager_of(by, draft.organisation)
        _may_manage(by)
    label, approved_by = label.strip(), approved_by.strip()
    _check_publish(draft, label, approved_on, approved_by, next_review_on, now, allow_past_review)
    previous = (
        PolicyVersion.objects.select_for_update()
        .filter(organisation=draft.organisation, is_current=True)
        .first()
    )
    if previous is not None:
        previous.is_current = False
        previous.save(update_fields=["is_current", "updated_at"])
    draft.version, draft.approved_on, draft.approved_by = label, approved_on, approved_by
    draft.next_review_on = next_review_on
    draft.status, draft.is_current = PolicyVersion.Status.PUBLISHED, True
    draft.published_at, draft.published_by = now, by
    draft.save()
    _ask_staff_to_acknowledge(version=draft, previous=previous)
    audit_record(
        actor=by,
        action="policy.version.publish",
        target=draft,
        clauses=["2.1"],
        details={
            "version": label,
            "approved_on": approved_on.isoformat(),
            "approved_by": approved_by,
            "next_review_on": next_review_on.isoformat(),
            "replaces": previous.version if previous else None,
        },
    )
    return draft


def _check_publish(
    draft: PolicyVersion,
    label: str,
    approved_on: date,
    approved_by: str,
    next_review_on: date,
    now: datetime,
    allow_past_review: bool,
) -> None:
    if not label or len(label) > 40:
        raise ApplicationError("Give the version a label of up to 40 characters, such as '2'.")
    if label in _published_labels(draft.organisation):
        raise ApplicationError(
            f"Version {label} is already published: give this one another label.",
            code=ErrorCode.CONFLICT,
        )
    if not approved_by or len(approved_by) > 120:
        raise ApplicationError("Say who approved it (up to 120 characters), such as 'FGB'.")
    if approved_on > timezone.localdate(now):
        raise ApplicationError("The date it was approved cannot be in the future.")
    if next_review_on <= approved_on:
        raise ApplicationError("The next review date must come after the date it was approved.")
    if not allow_past_review and next_review_on <= timezone.localdate(now):
        raise ApplicationError("The next review date must be in the future.")
    if not draft.clauses.exists():
        raise ApplicationError("This draft has no clauses to publish.")


def _ask_staff_to_acknowledge(*, version: PolicyVersion, previous: PolicyVersion | None) -> None:
    """2.1: a new current version must be read by every staff member; tell them after commit."""
    email_after_commit(
        recipients=staff_members_of(organisation=version.organisation),
        subject=f"Please read and acknowledge the {version.title} (version {version.version})",
        template="policy/email/acknowledge_request.txt",
        context={
            "version": version,
            "previous": previous,
            "organisation": version.organisation,
            "link": reverse("policy:changes") if previous else reverse("policy:current"),
        },
        organisation_id=version.organisation_id,
        category="policy.acknowledge_request",
    )


@transaction.atomic
def policy_acknowledge(*, person: User, version: PolicyVersion) -> Acknowledgement:
    """2.1: every staff member confirms they have read the current policy."""
    if person.organisation_id != version.organisation_id:
        raise ApplicationError(
            "This policy belongs to another organisation.", code=ErrorCode.FORBIDDEN
        )
    if not version.is_current:
        raise ApplicationError(
            "This version has been replaced; please read and acknowledge the current one.",
            code=ErrorCode.CONFLICT,
        )
    if not is_staff_member(person):
        raise ApplicationError(
            "Only staff members (2.1) acknowledge the policy.", code=ErrorCode.FORBIDDEN
        )
    existing = Acknowledgement.objects.filter(person=person, version=version).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            ack = Acknowledgement.objects.create(person=person, version=version)
    except IntegrityError:  # a double click that raced itself
        return Acknowledgement.objects.get(person=person, version=version)
    audit_record(
        actor=person,
        action="policy.acknowledge",
        target=version,
        clauses=["2.1"],
        details={"version": version.version},
    )
    return ack


@dataclass(frozen=True)
class ReminderResult:
    sent: list[User]
    skipped: list[User]  # reminded within the last week


@transaction.atomic
def policy_acknowledgement_remind(
    *,
    organisation: Organisation,
    by: User,
    school: School | None = None,
    now: datetime | None = None,
) -> ReminderResult:
    """Remind everyone (of one school, or all) who has not acknowledged the current version;
    nobody more than once a week. Sent after commit, one audit event for the whole action."""
    now = now or timezone.now()
    _manager_of(by, organisation)
    _may_manage(by)
    version = (
        PolicyVersion.objects.select_for_update()  # two heads clicking at once send once
        .filter(organisation=organisation, is_current=True)
        .first()
    )
    if version is None:
        raise ApplicationError(
            "There is no current policy to acknowledge.", code=ErrorCode.CONFLICT
        )
    if school is not None and school.organisation_id != organisation.pk:
        raise ApplicationError("That school is not part of this organisation.")
    groups = policy_acknowledgement_status(organisation=organisation, version=version)
    outstanding = [p for g in groups if school is None or g.school == school for p in g.outstanding]
    recent = set(
        AcknowledgementReminder.objects.filter(
            person__in=outstanding, sent_at__gt=now - REMINDER_INTERVAL
        ).values_list("person_id", flat=True)
    )
    sent = [p for p in outstanding if p.pk not in recent]
    skipped = [p for p in outstanding if p.pk in recent]
    AcknowledgementReminder.objects.bulk_create(
        AcknowledgementReminder(person=p, version=version, sent_at=now, sent_by=by) for p in sent
    )
    for person in sent:  # one message each: a reminder names nobody else
        email_after_commit(
            recipients=[person],
            subject=f"Reminder: please acknowledge the {version.title} (version {version.version})",
            template="policy/email/acknowledge_reminder.txt",
            context={"version": version, "organisation": organisation, "person": person},
            organisation_id=organisation.pk,
            category="policy.acknowledge_reminder",
        )
    audit_record(
        actor=by,
        action="policy.acknowledgement.remind",
        target=version,
        clauses=["2.1"],
        details={
            "school": school.pk if school else None,
            "reminded": sorted(p.pk for p in sent),
            "skipped_recently_reminded": sorted(p.pk for p in skipped),
        },
    )
    return ReminderResult(sent=sent, skipped=skipped)
