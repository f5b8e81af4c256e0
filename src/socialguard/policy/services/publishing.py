"""Correcting a draft's clauses, discarding it, and publishing it with who approved it and when."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from socialguard.accounts.models import User
from socialguard.accounts.selectors import staff_members_of
from socialguard.audit.services import audit_record
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.notifications.services import email_after_commit
from socialguard.policy.models import (
    Clause,
    Obligation,
    PolicyVersion,
)
from socialguard.policy.services._common import _manager_of, _may_manage, _published_labels


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
    draft.save(
        update_fields=[
            "version",
            "approved_on",
            "approved_by",
            "next_review_on",
            "status",
            "is_current",
            "published_at",
            "published_by",
            "updated_at",
        ]
    )
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
