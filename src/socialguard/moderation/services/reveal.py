"""A moderator reads the words the screening engine masked, to judge an item it blocked.

Masking keeps personal data and the worst abuse off the moderator's screen by default (A.4.9,
A.5.6); judging a blocked comment sometimes needs the words themselves. Each reveal is one audit
event and a line in the item's history, and the words are shown in that one response only.
"""

from __future__ import annotations

from django.db import transaction

from socialguard.accounts.models import User
from socialguard.audit.services import audit_record
from socialguard.core.errors import ApplicationError
from socialguard.moderation.models import ReviewHistory, ReviewItem
from socialguard.moderation.rendering import Segment, highlighted

REVEAL_CLAUSES = ("A.4.9", "A.5.6")


@transaction.atomic
def review_item_reveal(*, item: ReviewItem, by: User) -> list[Segment]:
    """The item's text with its masked words shown. The caller has checked that ``by`` may
    review the item (``selectors.access_item``)."""
    contribution = item.contribution
    findings = item.payload.get("findings", [])
    masked = sorted({str(f.get("category", "")) for f in findings if f.get("redact")})
    if contribution is None or not contribution.body or not masked:
        raise ApplicationError("Nothing in this item is masked.")
    ReviewHistory.objects.create(
        item=item, event="reveal", actor=by, note="", diff={"categories": masked}
    )
    audit_record(
        actor=by,
        action="moderation.item.reveal",
        target=item,
        clauses=REVEAL_CLAUSES,
        details={"categories": masked},
        target_repr=f"Review item {item.pk}",
    )
    return highlighted(contribution.body, findings, reveal=True)
