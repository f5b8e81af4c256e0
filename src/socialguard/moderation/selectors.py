"""Reads of the review queue, partitioned by need to know (ANCHORS §4.1)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from socialguard.moderation.models import ReviewItem, ReviewSignal
from socialguard.moderation.permissions import (
    CONTENT_TYPES,
    MEMBERSHIP_TYPES,
    Reviewer,
    actions_for,
    can_see,
)
from socialguard.moderation.rendering import Segment, highlighted
from socialguard.safeguarding.selectors import escalations_unacknowledged

RELATED = (
    "site",
    "contribution",
    "contribution__image",
    "contribution__parent",
    "membership",
    "target_author",
    "claimed_by",
)


def review_queue(
    *, reviewer: Reviewer, site_id: int | None = None, type: str = ""
) -> QuerySet[ReviewItem]:
    """Open items of the sites this person moderates or vets, most severe and oldest first.
    Safeguarding items are not here: they have left the moderators' view."""
    if not reviewer.reviews_anything or reviewer.organisation_id is None:
        return ReviewItem.objects.none()
    visible = Q(type__in=CONTENT_TYPES, site_id__in=reviewer.moderated_site_ids) | Q(
        type__in=MEMBERSHIP_TYPES, site_id__in=reviewer.vetting_site_ids
    )
    if reviewer.is_comms:
        visible |= Q(type=ReviewItem.Type.FRIEND_REQUEST) & ~Q(membership__external_organisation="")
    items = ReviewItem.objects.filter(
        visible, organisation_id=reviewer.organisation_id, status=ReviewItem.Status.PENDING
    )
    if site_id:
        items = items.filter(site_id=site_id)
    if type:
        items = items.filter(type=type)
    latest = ReviewSignal.objects.order_by("-created_at")
    return (
        items.select_related(*RELATED)
        .prefetch_related(Prefetch("signals", queryset=latest, to_attr="signal_list"))
        .order_by("-priority", "created_at")
    )


def access_item(*, reviewer: Reviewer, pk: int) -> ReviewItem | None:
    item = ReviewItem.objects.select_related(*RELATED).filter(pk=pk).first()
    if item is None or not can_see(item, reviewer):
        return None
    return item


def item_view(item: ReviewItem, reviewer: Reviewer) -> dict[str, Any]:
    """What the page shows for one item: its actions and its text with findings marked and
    personal data masked."""
    contribution = item.contribution
    segments: list[Segment] = []
    if contribution is not None and contribution.body:
        segments = highlighted(contribution.body, item.payload.get("findings", []))
    return {
        "item": item,
        "actions": actions_for(item, reviewer),
        "segments": segments,
        "findings": [f for f in item.payload.get("findings", []) if not f.get("redact")],
        "masked": [f for f in item.payload.get("findings", []) if f.get("redact")],
    }


def open_counts(reviewer: Reviewer) -> tuple[int, int]:
    """(items waiting for this person, unacknowledged safeguarding items) for the dashboard."""
    waiting = review_queue(reviewer=reviewer).count() if reviewer.reviews_anything else 0
    urgent = escalations_unacknowledged(user=reviewer.user) if reviewer.is_dsl else 0
    return waiting, urgent
