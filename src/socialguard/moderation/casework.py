"""What a breach case may keep of a review item (registered with ``cases.evidence``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.moderation.models import ReviewItem
from socialguard.moderation.services.handover import SOURCE_TYPE
from socialguard.safeguarding.selectors import escalation_for_source

if TYPE_CHECKING:
    from socialguard.cases.models import BreachCase


def snapshot_review_item(case: BreachCase, source_id: str) -> dict[str, Any]:
    item = (
        ReviewItem.objects.select_related("site", "contribution", "target_author")
        .filter(
            pk=int(source_id) if source_id.isdigit() else 0, organisation_id=case.organisation_id
        )
        .first()
    )
    if item is None:
        raise ApplicationError(
            f"No review item {source_id} in your organisation. Check the number and try again.",
            code=ErrorCode.NOT_FOUND,
        )
    escalated = escalation_for_source(source_type=SOURCE_TYPE, source_id=item.pk)
    if escalated is not None or item.status == ReviewItem.Status.SAFEGUARDING:
        # Staff cases are kept apart from pupil safeguarding records (A.2.3): the DSL holds
        # that record; a case may only say that one exists, in a note, if it must.
        raise ApplicationError(
            "That item went to the safeguarding lead, so it cannot be linked to a staff case. "
            "Ask the DSL what may be shared.",
            code=ErrorCode.FORBIDDEN,
        )
    contribution = item.contribution
    return {
        "review_item": item.pk,
        "type": item.type,
        "status": item.status,
        "site": str(item.site),
        "author": str(item.target_author),
        "content": contribution.body if contribution else "",
        "written_at": contribution.created_at.isoformat() if contribution else "",
        "reason": item.reason,
        "basis": item.basis,
        "resolved_at": item.resolved_at.isoformat() if item.resolved_at else "",
    }
