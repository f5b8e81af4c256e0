"""Closing and reopening a concern, sharing it with the head teacher, and recording who opened
a closed or shared one."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from socialguard.accounts.models import User
from socialguard.safeguarding.models import (
    Concern,
    ConcernEntry,
)
from socialguard.safeguarding.permissions import actions_for
from socialguard.safeguarding.services._common import (
    _audit,
    _entry,
    _locked,
    _require,
    _text,
)


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
