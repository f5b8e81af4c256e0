"""Writes to the review queue. Each action is one transaction, checked against
``actions_for``, guarded by the item's version (optimistic lock), recorded in the item's
history and in the audit trail with its clauses; mail goes out after commit."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from socialguard.accounts.models import Role, User
from socialguard.accounts.selectors import people_with_role
from socialguard.audit.services import audit_record
from socialguard.community.models import Contribution, Membership
from socialguard.community.rendering import body_html
from socialguard.community.selectors import house_rules
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.moderation.models import ReviewHistory, ReviewItem, ReviewSignal
from socialguard.moderation.permissions import (
    ACTION_LABELS,
    BULK_ACTIONS,
    actions_for,
    claimed_by_other,
    reviewer_for,
)
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
SAFEGUARDING_CATEGORIES = {
    "disclosure_abuse": "Possible disclosure of abuse",
    "disclosure_neglect": "Possible disclosure of neglect",
    "self_harm": "Self-harm or suicidal thoughts",
    "bullying": "Bullying",
    "grooming_secrecy": "Possible grooming",
    "grooming_images": "Possible grooming (images)",
    "grooming_meeting": "Possible grooming (meeting)",
    "radicalisation": "Radicalisation",
    "sexual_content": "Sexual content",
    "other": "Other safeguarding concern",
}
SAFEGUARDING_CLAUSES = ("A.2.3", "A.5.6")


def safeguarding_label(category: str) -> str:
    return SAFEGUARDING_CATEGORIES.get(category, category.replace("_", " ").capitalize())


def basis_label(site: Site, basis: str) -> str:
    """'house_rule:2' -> 'House Rule 2: Be kind ...'; 'clause:A.5.6' -> 'Policy A.5.6: ...'.
    Raises when the basis names no House Rule or clause: a rejection must cite one."""
    kind, _, value = basis.partition(":")
    if kind == "house_rule" and value.isdigit():
        rules = house_rules(site)
        number = int(value)
        if 1 <= number <= len(rules):
            return f"House Rule {number}: {rules[number - 1]}"
    if kind == "clause" and value in REJECTION_CLAUSES:
        return f"Policy {value}: {REJECTION_CLAUSES[value]}"
    raise ApplicationError(
        "Choose the House Rule or policy clause this breaks.", code=ErrorCode.INVALID
    )


def _history(item: ReviewItem, event: str, actor: User | None, note: str = "", **diff: Any) -> None:
    ReviewHistory.objects.create(item=item, event=event, actor=actor, note=note, diff=diff)


def _link(item: ReviewItem) -> str:
    if item.status == ReviewItem.Status.SAFEGUARDING:
        return reverse("moderation:safeguarding_item", args=[item.pk])
    return reverse("moderation:item", args=[item.pk])


# --- Opening items -----------------------------------------------------------------------


@transaction.atomic
def review_item_open(
    *,
    site: Site,
    type: str,
    author: User,
    signal_source: str,
    signal_reason: str,
    contribution: Contribution | None = None,
    membership: Membership | None = None,
    actor: User | None = None,
    priority: int = ReviewItem.Priority.NORMAL,
    score: float = 0.0,
    payload: dict[str, Any] | None = None,
    blocked: bool = False,
    faces: int = 0,
) -> ReviewItem:
    """Idempotent (Discourse's ``needs_review!``): one item per (type, target). A further
    signal on an open item raises its score; on a closed report it reopens the item."""
    target: dict[str, Any] = (
        {"contribution": contribution} if contribution else {"membership": membership}
    )
    item = ReviewItem.objects.select_for_update().filter(type=type, **target).first()
    now = timezone.now()
    if item is None:
        item = ReviewItem.objects.create(
            organisation_id=site.organisation_id,
            site=site,
            type=type,
            target_author=author,
            priority=priority,
            score=score,
            payload=payload or {},
            blocked_by_engine=blocked,
            faces=faces,
            **target,
        )
        _history(item, "created", actor, signal_reason)
    else:
        reopen = item.type == ReviewItem.Type.REPORT and item.status in (
            ReviewItem.Status.DISMISSED,
            ReviewItem.Status.APPROVED,
        )
        ReviewItem.objects.filter(pk=item.pk).update(
            score=F("score") + score,
            priority=max(item.priority, priority),
            latest_signal_at=now,
            version=F("version") + 1,
            **({"status": ReviewItem.Status.PENDING, "resolved_at": None} if reopen else {}),
        )
        _history(item, "reopened" if reopen else "signal", actor, signal_reason)
        item.refresh_from_db()
    ReviewSignal.objects.create(
        item=item, source=signal_source, actor=actor, reason=signal_reason[:300], weight=score or 1
    )
    return item


# --- Claiming ----------------------------------------------------------------------------


def _locked(item_id: int, version: int) -> ReviewItem:
    item = (
        ReviewItem.objects.select_for_update(of=("self",))
        .select_related("site", "contribution", "membership", "membership__user", "target_author")
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
    _history(item, "released" if release else "claimed", by)
    return item


# --- Deciding ----------------------------------------------------------------------------


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


def _require_reason(item: ReviewItem, decision: Decision) -> str:
    if not decision.reason.strip():
        raise ApplicationError("Give a reason: the author is told why.", code=ErrorCode.INVALID)
    return basis_label(item.site, decision.basis)


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


def _approve(item: ReviewItem, by: User, decision: Decision) -> list[str]:
    now = timezone.now()
    if item.membership is not None:
        membership = item.membership
        membership.status = Membership.Status.APPROVED
        membership.decided_by, membership.decided_at, membership.reason = by, now, ""
        membership.save()
        _resolve(item, by, ReviewItem.Status.APPROVED, decision)
        _tell_author(item, f"Welcome to {item.site}", "Your request to join was approved.", "")
        return ["A.5.7", "A.2.6"] + (["A.5.9"] if membership.external_organisation else [])
    contribution = item.contribution
    assert contribution is not None
    contribution.status = Contribution.Status.PUBLISHED
    contribution.published_at = now
    contribution.save(update_fields=["status", "published_at", "updated_at"])
    _resolve(item, by, ReviewItem.Status.APPROVED, decision)
    return ["A.5.3"]


def _edit_approve(item: ReviewItem, by: User, decision: Decision) -> list[str]:
    contribution = item.contribution
    assert contribution is not None
    if not decision.body.strip():
        raise ApplicationError("The edited text is empty.", code=ErrorCode.INVALID)
    before = contribution.body
    if not contribution.original_body:
        contribution.original_body = before  # the author's words are kept
    contribution.body = decision.body.strip()
    contribution.body_html = body_html(contribution.body)
    contribution.save(update_fields=["body", "body_html", "original_body", "updated_at"])
    _history(item, "edited", by, decision.reason, before=before, after=contribution.body)
    return _approve(item, by, decision)


def _reject(item: ReviewItem, by: User, decision: Decision) -> list[str]:
    basis = _require_reason(item, decision)
    why = f"{basis}. {decision.reason.strip()}"
    _resolve(item, by, ReviewItem.Status.REJECTED, decision)
    if item.membership is not None:
        membership = item.membership
        membership.status = Membership.Status.REFUSED
        membership.decided_by, membership.decided_at = by, timezone.now()
        membership.reason = why
        membership.save()
        _tell_author(item, f"Your request to join {item.site}", "Your request was refused.", why)
        return ["A.5.7", "A.2.6"]
    contribution = item.contribution
    assert contribution is not None
    contribution.status = Contribution.Status.REJECTED
    contribution.reason = why
    contribution.save(update_fields=["status", "reason", "updated_at"])
    _tell_author(
        item,
        f"Your {contribution.get_kind_display().lower()} was not published",
        f"Your {contribution.get_kind_display().lower()} was not published.",
        why,
    )
    return ["A.5.3", "A.5.7", *_clause_of(decision.basis)]


def _remove(item: ReviewItem, by: User, decision: Decision) -> list[str]:
    basis = _require_reason(item, decision)
    why = f"{basis}. {decision.reason.strip()}"
    contribution = item.contribution
    assert contribution is not None
    contribution.status = Contribution.Status.REMOVED
    contribution.reason = why
    contribution.save(update_fields=["status", "reason", "updated_at"])
    _resolve(item, by, ReviewItem.Status.REMOVED, decision)
    _tell_author(
        item,
        f"Your {contribution.get_kind_display().lower()} was removed",
        f"Your {contribution.get_kind_display().lower()} was removed from the site.",
        why,
    )
    return ["A.5.4", "A.5.7", *_clause_of(decision.basis)]


def _dismiss(item: ReviewItem, by: User, decision: Decision) -> list[str]:
    _resolve(item, by, ReviewItem.Status.DISMISSED, decision)
    return ["A.5.7"]


def _suspend_author(item: ReviewItem, by: User, decision: Decision) -> list[str]:
    basis = _require_reason(item, decision)
    membership = Membership.objects.select_for_update().get(pk=item.payload["membership_id"])
    membership.status = Membership.Status.SUSPENDED
    membership.reason = f"{basis}. {decision.reason.strip()}"
    membership.decided_by, membership.decided_at = by, timezone.now()
    membership.save()
    _history(item, "suspended", by, membership.reason)
    _tell_author(
        item,
        f"Your membership of {item.site} is suspended",
        "Your membership is suspended: you cannot contribute until an administrator restores it.",
        membership.reason,
    )
    return ["A.5.7", *_clause_of(decision.basis)]


def _clause_of(basis: str) -> list[str]:
    kind, _, value = basis.partition(":")
    return [value] if kind == "clause" else []


def _acknowledge(item: ReviewItem, by: User, decision: Decision) -> list[str]:
    item.acknowledged_by = by
    item.acknowledged_at = timezone.now()
    return list(SAFEGUARDING_CLAUSES)


def _return_to_moderators(item: ReviewItem, by: User, decision: Decision) -> list[str]:
    """The DSL judges it is not a safeguarding matter: the item goes back to the queue, held
    (never published by this step). The frozen evidence stays on the item."""
    if not decision.reason.strip():
        raise ApplicationError("Say why this is not a safeguarding matter.")
    item.status = ReviewItem.Status.PENDING
    item.acknowledged_by = item.acknowledged_by or by
    item.acknowledged_at = item.acknowledged_at or timezone.now()
    contribution = item.contribution
    if contribution is not None and contribution.status == Contribution.Status.WITHHELD:
        contribution.status = (
            Contribution.Status.BLOCKED if item.blocked_by_engine else Contribution.Status.PENDING
        )
        contribution.save(update_fields=["status", "updated_at"])
    return list(SAFEGUARDING_CLAUSES)


def _raise_safeguarding(item: ReviewItem, by: User | None, decision: Decision) -> list[str]:
    """The safeguarding bridge (A.2.3, A.5.6): hide at once, freeze the evidence, tell the DSL
    and deputies with the category only, and take the item out of the moderators' view."""
    category = decision.category or "other"
    if category not in SAFEGUARDING_CATEGORIES:
        raise ApplicationError("Choose what kind of concern this is.", code=ErrorCode.INVALID)
    contribution = item.contribution
    if contribution is None:
        raise ApplicationError("Only contributions can be passed to the safeguarding lead.")
    contribution.status = Contribution.Status.WITHHELD
    contribution.save(update_fields=["status", "updated_at"])
    now = timezone.now()
    item.evidence = evidence_freeze(contribution, by=by, at=now)
    item.status = ReviewItem.Status.SAFEGUARDING
    item.safeguarding_category = category
    item.priority = ReviewItem.Priority.URGENT
    item.escalated_at = now
    item.reminder_level = 0
    item.claimed_by = None
    item.claimed_at = None
    if decision.reason:
        _history(item, "note", by, decision.reason)
    _tell_safeguarding_leads(item, dsl_first_tier(item.site), level=0)
    return list(SAFEGUARDING_CLAUSES)


def evidence_freeze(contribution: Contribution, *, by: User | None, at: Any) -> dict[str, Any]:
    """What was said, by whom and when, with a sha256 over exactly that record."""
    record = {
        "contribution_id": contribution.pk,
        "kind": contribution.kind,
        "content": contribution.body,
        "image_sha256": contribution.image.sha256 if contribution.image else "",
        "author_id": contribution.author_id,
        "author": contribution.author.get_full_name() or contribution.author.username,
        "shown_as": contribution.author_label,
        "site_id": contribution.site_id,
        "written_at": contribution.created_at.isoformat(),
    }
    canonical = json.dumps(record, sort_keys=True, ensure_ascii=False).encode()
    return {
        **record,
        "sha256": hashlib.sha256(canonical).hexdigest(),
        "frozen_at": at.isoformat(),
        "frozen_by": by.pk if by else None,
    }


def evidence_verify(evidence: dict[str, Any]) -> bool:
    record = {k: v for k, v in evidence.items() if k not in ("sha256", "frozen_at", "frozen_by")}
    canonical = json.dumps(record, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(canonical).hexdigest() == evidence.get("sha256")


def dsl_first_tier(site: Site) -> list[User]:
    """The DSL and deputies for the site's school (organisation-wide holders included)."""
    return list(
        people_with_role(
            organisation=site.organisation,
            roles=[Role.DSL, Role.DEPUTY_DSL],
            school=site.school,
        )
    )


def _tell_safeguarding_leads(item: ReviewItem, people: Iterable[User], *, level: int) -> None:
    """The e-mail carries the category and a link, never the content (CPOMS)."""
    label = safeguarding_label(item.safeguarding_category)
    email_after_commit(
        recipients=people,
        subject=f"Safeguarding: {label}" + (" (not yet acknowledged)" if level else ""),
        template="moderation/email/safeguarding.txt",
        context={"label": label, "link": _link(item), "level": level, "at": item.escalated_at},
        organisation_id=item.organisation_id,
        category="safeguarding.alert",
    )


HANDLERS = {
    "approve": _approve,
    "edit_approve": _edit_approve,
    "reject": _reject,
    "remove": _remove,
    "dismiss": _dismiss,
    "suspend_author": _suspend_author,
    "raise_safeguarding": _raise_safeguarding,
    "acknowledge": _acknowledge,
    "return_to_moderators": _return_to_moderators,
}
# Actions that leave the item open (it still needs a decision).
KEEPS_OPEN = {"suspend_author", "acknowledge"}


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
    item.save()
    _history(item, action, by, reason, status=[before, item.status], basis=basis)
    if action not in ("acknowledge", "return_to_moderators", "raise_safeguarding"):
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


def review_escalate_from_screening(*, item: ReviewItem, category: str) -> ReviewItem:
    """The engine marked a contribution for the DSL: the bridge runs with no human in between."""
    with transaction.atomic():
        item = (
            ReviewItem.objects.select_for_update(of=("self",))
            .select_related("site", "contribution")
            .get(pk=item.pk)
        )
        if item.status == ReviewItem.Status.SAFEGUARDING:
            return item
        known = category if category in SAFEGUARDING_CATEGORIES else "other"
        clauses = _raise_safeguarding(item, None, Decision(category=known))
        item.version += 1
        item.save()
        _history(item, "raise_safeguarding", None, "Marked for the DSL by the screening engine.")
        audit_record(
            actor=None,
            action="moderation.item.raise_safeguarding",
            target=item,
            clauses=clauses,
            organisation_id=item.organisation_id,
            details={
                "type": item.type,
                "site": item.site_id,
                "source": "screening",
                "category": known,
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
