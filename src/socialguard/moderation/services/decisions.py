"""Deciding review items. Each action is one transaction, checked against ``actions_for``,
guarded by the item's version (optimistic lock), recorded in the item's history and in the
audit trail with its clauses; what it does to the content or membership is done by the
owner's outcome handlers (``moderation.outcomes``); mail goes out after commit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from socialguard.accounts.models import User
from socialguard.audit.services import audit_record
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.moderation.models import ReviewItem
from socialguard.moderation.outcomes import outcomes
from socialguard.moderation.permissions import (
    ACTION_LABELS,
    BULK_ACTIONS,
    actions_for,
    claimed_by_other,
    reviewer_for,
)
from socialguard.moderation.services.handover import handover_category, review_handover
from socialguard.moderation.services.items import history_add
from socialguard.notifications.services import email_after_commit
from socialguard.sites.models import Site

# Clauses a moderator may cite instead of a House Rule when rejecting or removing.
REJECTION_CLAUSES = {
    "A.5.6": "Extreme offence or a risk of harm",
    "A.5.2": "Identifies a pupil or another participant",
    "A.4.1": "Breaks the site's Terms of Use",
    "A.4.5": "Tone not respectful of the audience",
    "A.4.9": "Gives out personal contact details",
    "A.4.10": "A personal opinion on an official site",
    "6.9": "An image of pupils without the consent it needs",
}


def basis_label(site: Site, basis: str) -> str:
    """'house_rule:2' -> 'House Rule 2: Be kind ...'; 'clause:A.5.6' -> 'Policy A.5.6: ...'.
    Raises when the basis names no House Rule or clause: a rejection must cite one."""
    kind, _, value = basis.partition(":")
    if kind == "house_rule" and value.isdigit():
        rules = outcomes().house_rules(site_id=site.pk)
        number = int(value)
        if 1 <= number <= len(rules):
            return f"House Rule {number}: {rules[number - 1]}"
    if kind == "clause" and value in REJECTION_CLAUSES:
        return f"Policy {value}: {REJECTION_CLAUSES[value]}"
    raise ApplicationError(
        "Choose the House Rule or policy clause this breaks.", code=ErrorCode.INVALID
    )


def _locked(item_id: int, version: int) -> ReviewItem:
    item = (
        ReviewItem.objects.select_for_update(of=("self",))
        .select_related("site", "target_author")
        .filter(pk=item_id)
        .first()
    )
    if item is None:
        raise ApplicationError("No such review item.", code=ErrorCode.NOT_FOUND)
    if item.version != version:
        raise ApplicationError(
            "Someone else acted on this item after you opened it. It has been reloaded: check "
            "it again before you decide.",
            code=ErrorCode.CONFLICT,
            detail={"version": item.version, "status": item.status},
        )
    return item


@transaction.atomic
def review_claim(*, item_id: int, by: User, version: int, release: bool = False) -> ReviewItem:
    """Claiming stops two moderators acting on one item at once."""
    item = _locked(item_id, version)
    action = "release" if release else "claim"
    if action not in actions_for(item, reviewer_for(by)):
        if claimed_by_other(item, by):
            raise ApplicationError(
                f"{item.claimed_by} is dealing with this item.", code=ErrorCode.CONFLICT
            )
        raise ApplicationError("You cannot claim this item.", code=ErrorCode.FORBIDDEN)
    item.claimed_by = None if release else by
    item.claimed_at = None if release else timezone.now()
    item.version += 1
    item.save(update_fields=["claimed_by", "claimed_at", "version"])
    history_add(item, "released" if release else "claimed", by)
    audit_record(
        actor=by,
        action=f"moderation.item.{action}",
        target=item,
        clauses=["A.5.3"],
        organisation_id=item.organisation_id,
        details={"type": item.type, "site": item.site_id},
    )
    return item


@dataclass
class Decision:
    reason: str = ""
    basis: str = ""
    body: str = ""
    category: str = ""


def _resolve(item: ReviewItem, by: User, status: str, decision: Decision) -> None:
    item.status = status
    item.resolved_by = by
    item.resolved_at = timezone.now()
    item.reason = decision.reason
    item.basis = decision.basis
    item.claimed_by = None
    item.claimed_at = None


def _why(item: ReviewItem, decision: Decision) -> str:
    if not decision.reason.strip():
        raise ApplicationError("Give a reason: the author is told why.", code=ErrorCode.INVALID)
    return f"{basis_label(item.site, decision.basis)}. {decision.reason.strip()}"


def _tell_author(item: ReviewItem, subject: str, what: str, why: str) -> None:
    author = item.target_author
    email_after_commit(
        recipients=[author],
        subject=subject,
        template="moderation/email/decision.txt",
        context={"site": item.site, "what": what, "why": why, "author": author},
        organisation_id=item.organisation_id,
        category="moderation.decision",
    )


def _clause_of(basis: str) -> list[str]:
    kind, _, value = basis.partition(":")
    return [value] if kind == "clause" else []


def _membership_id(item: ReviewItem) -> int:
    assert item.membership_id is not None
    return item.membership_id


def _contribution_id(item: ReviewItem) -> int:
    assert item.contribution_id is not None
    return item.contribution_id


def _approve(item: ReviewItem, by: User, decision: Decision) -> list[str]:
    _resolve(item, by, ReviewItem.Status.APPROVED, decision)
    if item.membership_id is not None:
        outcomes().membership_approve(membership_id=item.membership_id, by=by)
        _tell_author(item, f"Welcome to {item.site}", "Your request to join was approved.", "")
        return ["A.5.7", "A.2.6"] + (["A.5.9"] if item.payload.get("external") else [])
    outcomes().contribution_publish(contribution_id=_contribution_id(item), by=by)
    return ["A.5.3"]


def _edit_approve(item: ReviewItem, by: User, decision: Decision) -> list[str]:
    if not decision.body.strip():
        raise ApplicationError("The edited text is empty.", code=ErrorCode.INVALID)
    before = outcomes().contribution_publish(
        contribution_id=_contribution_id(item), by=by, body=decision.body.strip()
    )
    history_add(item, "edited", by, decision.reason, before=before, after=decision.body.strip())
    _resolve(item, by, ReviewItem.Status.APPROVED, decision)
    return ["A.5.3"]


def _reject(item: ReviewItem, by: User, decision: Decision) -> list[str]:
    why = _why(item, decision)
    _resolve(item, by, ReviewItem.Status.REJECTED, decision)
    if item.membership_id is not None:
        outcomes().membership_refuse(membership_id=item.membership_id, by=by, why=why)
        _tell_author(item, f"Your request to join {item.site}", "Your request was refused.", why)
        return ["A.5.7", "A.2.6"]
    kind = outcomes().contribution_reject(contribution_id=_contribution_id(item), by=by, why=why)
    _tell_author(item, f"Your {kind} was not published", f"Your {kind} was not published.", why)
    return ["A.5.3", "A.5.7", *_clause_of(decision.basis)]


def _remove(item: ReviewItem, by: User, decision: Decision) -> list[str]:
    why = _why(item, decision)
    kind = outcomes().contribution_remove(contribution_id=_contribution_id(item), by=by, why=why)
    _resolve(item, by, ReviewItem.Status.REMOVED, decision)
    _tell_author(item, f"Your {kind} was removed", f"Your {kind} was removed from the site.", why)
    return ["A.5.4", "A.5.7", *_clause_of(decision.basis)]


def _dismiss(item: ReviewItem, by: User, decision: Decision) -> list[str]:
    _resolve(item, by, ReviewItem.Status.DISMISSED, decision)
    return ["A.5.7"]


def _suspend_author(item: ReviewItem, by: User, decision: Decision) -> list[str]:
    why = _why(item, decision)
    outcomes().membership_suspend(membership_id=int(item.payload["membership_id"]), by=by, why=why)
    history_add(item, "suspended", by, why)
    _tell_author(
        item,
        f"Your membership of {item.site} is suspended",
        "Your membership is suspended: you cannot contribute until an administrator restores it.",
        why,
    )
    return ["A.5.7", *_clause_of(decision.basis)]


def _raise_safeguarding(item: ReviewItem, by: User, decision: Decision) -> list[str]:
    """A moderator passes it to the leads (A.2.3, A.5.6): the hand-over does the rest."""
    category = handover_category(decision.category)
    return review_handover(item=item, by=by, category=category, note=decision.reason)


Handler = Callable[[ReviewItem, User, Decision], list[str]]
HANDLERS: dict[str, Handler] = {
    "approve": _approve,
    "edit_approve": _edit_approve,
    "reject": _reject,
    "remove": _remove,
    "dismiss": _dismiss,
    "suspend_author": _suspend_author,
    "raise_safeguarding": _raise_safeguarding,
}
# Actions that leave the item open (it still needs a decision).
KEEPS_OPEN = {"suspend_author"}
SAVED_FIELDS = [
    "status",
    "resolved_by",
    "resolved_at",
    "reason",
    "basis",
    "claimed_by",
    "claimed_at",
    "priority",
    "version",
]


@transaction.atomic
def review_perform(
    *,
    item_id: int,
    by: User,
    action: str,
    version: int,
    reason: str = "",
    basis: str = "",
    body: str = "",
    category: str = "",
) -> ReviewItem:
    item = _locked(item_id, version)
    if action not in HANDLERS or action not in actions_for(item, reviewer_for(by)):
        raise ApplicationError(
            f"You cannot {ACTION_LABELS.get(action, action).lower()} this item.",
            code=ErrorCode.FORBIDDEN,
        )
    before = item.status
    clauses = HANDLERS[action](item, by, Decision(reason, basis, body, category))
    item.version += 1
    item.save(update_fields=SAVED_FIELDS)
    history_add(item, action, by, reason, status=[before, item.status], basis=basis)
    if action != "raise_safeguarding":
        Site.objects.filter(pk=item.site_id).update(
            last_moderation_at=timezone.now(), neglect_flagged_at=None
        )
    audit_record(
        actor=by,
        action=f"moderation.item.{action}",
        target=item,
        clauses=clauses,
        organisation_id=item.organisation_id,
        details={
            "type": item.type,
            "site": item.site_id,
            "status": [before, item.status],
            "basis": basis,
            **({"category": category} if category else {}),
        },
    )
    return item


@dataclass
class BulkResult:
    done: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)


def review_bulk(
    *, items: dict[int, int], by: User, action: str, reason: str = "", basis: str = ""
) -> BulkResult:
    """Approve or reject several items, each checked, locked and audited on its own: one
    item that someone else took does not stop the rest."""
    if action not in BULK_ACTIONS:
        raise ApplicationError("Bulk actions are approve and reject.", code=ErrorCode.INVALID)
    result = BulkResult()
    for item_id, version in items.items():
        try:
            review_perform(
                item_id=item_id, by=by, action=action, version=version, reason=reason, basis=basis
            )
            result.done.append(item_id)
        except ApplicationError as error:
            result.failed[item_id] = error.message
    return result
