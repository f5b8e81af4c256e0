"""The queue's one door to the safeguarding leads (A.2.3, A.5.6). The item leaves the
moderators' view, the content is withheld by its owner, and ``safeguarding.escalations`` takes
it from there: frozen evidence, the leads' pages, the ladder. Moderation does not hear back,
except through the return handler it registers (the leads judged it not a safeguarding matter)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from socialguard.accounts.models import User
from socialguard.audit.services import audit_record
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.moderation.models import ReviewItem
from socialguard.moderation.outcomes import outcomes
from socialguard.moderation.services.items import history_add
from socialguard.safeguarding.escalations import escalation_open
from socialguard.screening import categories as registry

SOURCE_TYPE = "review_item"
SAFEGUARDING_CLAUSES = ("A.2.3", "A.5.6")


def handover_category(category: str) -> str:
    """A category the leads' list knows, or a refusal that says what to do."""
    category = category or "other"
    if category not in registry.safeguarding_codes():
        raise ApplicationError("Choose what kind of concern this is.", code=ErrorCode.INVALID)
    return category


def review_handover(
    *, item: ReviewItem, by: User | None, category: str, note: str = ""
) -> list[str]:
    """Hide at once, hand over, take the item out of the moderators' view. Runs inside the
    caller's transaction; ``by`` is None when the screening engine routed it."""
    if item.contribution_id is None:
        raise ApplicationError("Only contributions can be passed to the safeguarding lead.")
    if item.status == ReviewItem.Status.SAFEGUARDING:
        return list(SAFEGUARDING_CLAUSES)
    owner = outcomes()
    owner.contribution_withhold(contribution_id=item.contribution_id)
    evidence = owner.contribution_evidence(contribution_id=item.contribution_id)
    escalation_open(
        organisation_id=item.organisation_id,
        school_id=evidence.school_id,
        site_id=item.site_id,
        place=evidence.place,
        source_type=SOURCE_TYPE,
        source_id=item.pk,
        category=category,
        record=evidence.record,
        by=by,
        findings=item.payload.get("findings", []),
        image=evidence.image,
        note=note,
    )
    item.status = ReviewItem.Status.SAFEGUARDING
    item.priority = ReviewItem.Priority.URGENT
    item.claimed_by = None
    item.claimed_at = None
    if by is None:  # the engine's hand-over is its own state change, audited here
        item.version += 1
        item.save(update_fields=["status", "priority", "claimed_by", "claimed_at", "version"])
        history_add(item, "raise_safeguarding", None, "Passed to the safeguarding leads at once.")
        audit_record(
            actor=None,
            action="moderation.item.raise_safeguarding",
            target=item,
            clauses=SAFEGUARDING_CLAUSES,
            organisation_id=item.organisation_id,
            details={
                "type": item.type,
                "site": item.site_id,
                "source": "screening",
                "category": category,
            },
        )
    return list(SAFEGUARDING_CLAUSES)


@transaction.atomic
def review_item_returned(*, source_id: int, by: User, reason: str) -> None:
    """Registered with safeguarding: the leads judged it not a safeguarding matter. The item is
    back in the queue, held (never published by this step)."""
    item = ReviewItem.objects.select_for_update(of=("self",)).get(pk=source_id)
    if item.status != ReviewItem.Status.SAFEGUARDING:
        return
    item.status = ReviewItem.Status.PENDING
    item.version += 1
    item.save(update_fields=["status", "version"])
    if item.contribution_id is not None:
        outcomes().contribution_hold(
            contribution_id=item.contribution_id, blocked=item.blocked_by_engine
        )
    history_add(item, "return_to_moderators", by, reason)
    audit_record(
        actor=by,
        action="moderation.item.return_to_moderators",
        target=item,
        clauses=SAFEGUARDING_CLAUSES,
        organisation_id=item.organisation_id,
        details={"type": item.type, "site": item.site_id, "at": timezone.now().isoformat()},
    )
