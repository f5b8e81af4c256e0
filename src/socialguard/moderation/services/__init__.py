"""Writes to the review queue, one module per concern: opening items and mapping a Verdict
(``items``), deciding them (``decisions``), handing them to the safeguarding leads
(``handover``). Callers import from here."""

from socialguard.moderation.services.decisions import (
    HANDLERS,
    KEEPS_OPEN,
    REJECTION_CLAUSES,
    BulkResult,
    Decision,
    basis_label,
    review_bulk,
    review_claim,
    review_perform,
)
from socialguard.moderation.services.handover import review_handover, review_item_returned
from socialguard.moderation.services.items import (
    ITEM_TYPES,
    review_item_for_contribution,
    review_item_open,
    verdict_payload,
)

__all__ = [
    "HANDLERS",
    "ITEM_TYPES",
    "KEEPS_OPEN",
    "REJECTION_CLAUSES",
    "BulkResult",
    "Decision",
    "basis_label",
    "review_bulk",
    "review_claim",
    "review_handover",
    "review_item_for_contribution",
    "review_item_open",
    "review_item_returned",
    "review_perform",
    "verdict_payload",
]
