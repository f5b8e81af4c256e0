"""Opening review items, and turning a screening Verdict into one (the queue's mapping: the
category registry gives the words and the order; the Verdict alone gives the routing)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from socialguard.accounts.models import User
from socialguard.moderation.models import ReviewHistory, ReviewItem, ReviewSignal
from socialguard.screening import categories as registry
from socialguard.screening.base import SEVERITY_RANK, Verdict
from socialguard.sites.models import Site

# A contribution's kind -> the queue's item type.
ITEM_TYPES = {
    "post": ReviewItem.Type.QUEUED_POST,
    "comment": ReviewItem.Type.QUEUED_COMMENT,
    "image": ReviewItem.Type.QUEUED_IMAGE,
}
PRE_MODERATION = "Pre-moderation: every contribution is checked."


def history_add(
    item: ReviewItem, event: str, actor: User | None, note: str = "", **diff: Any
) -> None:
    ReviewHistory.objects.create(item=item, event=event, actor=actor, note=note, diff=diff)


@transaction.atomic
def review_item_open(
    *,
    site: Site,
    type: str,
    author: User,
    signal_source: str,
    signal_reason: str,
    contribution_id: int | None = None,
    membership_id: int | None = None,
    actor: User | None = None,
    priority: int = ReviewItem.Priority.NORMAL,
    score: float = 0.0,
    payload: dict[str, Any] | None = None,
    blocked: bool = False,
    faces: int = 0,
    reopen: bool = False,
) -> ReviewItem:
    """Idempotent (Discourse's ``needs_review!``): one item per (type, target). A further
    signal on an open item raises its score; on a closed report (or when ``reopen`` is asked,
    as for a request to join made again) it reopens the item."""
    target: dict[str, Any] = (
        {"contribution_id": contribution_id}
        if contribution_id is not None
        else {"membership_id": membership_id}
    )
    item = ReviewItem.objects.select_for_update().filter(type=type, **target).first()
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
        history_add(item, "created", actor, signal_reason)
    else:
        closed = item.status in (ReviewItem.Status.DISMISSED, ReviewItem.Status.APPROVED)
        reopened = reopen or (item.type == ReviewItem.Type.REPORT and closed)
        ReviewItem.objects.filter(pk=item.pk).update(
            score=F("score") + score,
            priority=max(item.priority, priority),
            latest_signal_at=timezone.now(),
            version=F("version") + 1,
            **({"status": ReviewItem.Status.PENDING, "resolved_at": None} if reopened else {}),
        )
        item.refresh_from_db()  # its own row, just written here
        history_add(item, "reopened" if reopened else "signal", actor, signal_reason)
    ReviewSignal.objects.create(
        item=item, source=signal_source, actor=actor, reason=signal_reason[:300], weight=score or 1
    )
    return item


def _priority(verdict: Verdict | None, faces: int) -> int:
    """Critical and blocked first, then high, then faces to check; the rest in order."""
    if verdict is None:
        return ReviewItem.Priority.HIGH if faces else ReviewItem.Priority.LOW
    ranks = [SEVERITY_RANK.get(f.severity, 2) - 1 for f in verdict.findings]
    blocked = ReviewItem.Priority.URGENT if verdict.action == "block" else 0
    face = ReviewItem.Priority.HIGH if faces else 0
    return min(ReviewItem.Priority.URGENT, max([*ranks, blocked, face, 0]))


def _reasons(verdict: Verdict | None, faces: int) -> list[str]:
    reasons = [
        f"{registry.label(f.category)} ({', '.join(f.clauses)})"
        for f in (verdict.findings if verdict else ())
    ]
    if faces:
        reasons.append(f"{faces} face(s): confirm consent for any pupils shown (A.5.2, 6.9)")
    return reasons


def verdict_payload(
    verdict: Verdict | None, *, membership_id: int | None, metadata_removed: Sequence[str] = ()
) -> dict[str, Any]:
    """What a moderator may see of the verdict: the engine's own dict, each finding with the
    registry's label and whether it is masked."""
    base: dict[str, Any] = (
        verdict.to_dict() if verdict else {"findings": [], "redacted": "", "escalate": []}
    )
    if verdict is not None:
        base["findings"] = [
            {**f.to_dict(), "redact": f.redact, "label": registry.label(f.category)}
            for f in verdict.findings
        ]
    return {**base, "membership_id": membership_id, "metadata_removed": list(metadata_removed)}


def leads_category(verdict: Verdict) -> str:
    """Which of the findings the leads are told about (the most severe one routed to them)."""
    routed = [
        f.category for f in verdict.findings if "dsl" in registry.category(f.category).routing
    ]
    routed = routed or [f.category for f in verdict.findings if "dsl" in f.escalate]
    return registry.most_severe(routed).code if routed else "other"


@transaction.atomic
def review_item_for_contribution(
    *,
    site: Site,
    contribution_id: int,
    kind: str,
    author: User,
    verdict: Verdict | None,
    membership_id: int | None = None,
    faces: int = 0,
    metadata_removed: Sequence[str] = (),
) -> ReviewItem:
    """Every contribution is held for a moderator (A.5.3). What the Verdict routes to the DSL
    goes to the leads at once, with no moderator in between (A.2.3)."""
    from socialguard.moderation.services.handover import review_handover

    reasons = _reasons(verdict, faces)
    item = review_item_open(
        site=site,
        type=ITEM_TYPES[kind],
        author=author,
        contribution_id=contribution_id,
        signal_source=ReviewSignal.Source.SCREENING if reasons else ReviewSignal.Source.SYSTEM,
        signal_reason="; ".join(reasons) or PRE_MODERATION,
        priority=_priority(verdict, faces),
        score=max((f.score for f in verdict.findings), default=0.0) if verdict else 0.0,
        payload=verdict_payload(
            verdict, membership_id=membership_id, metadata_removed=metadata_removed
        ),
        blocked=verdict is not None and verdict.action == "block",
        faces=faces,
    )
    if verdict is not None and "dsl" in verdict.escalate:
        review_handover(item=item, by=None, category=leads_category(verdict))
    return item
