"""The policy's life cycle: a draft (an upload, or a review copy of the current version), its
corrections, publishing it, and staff acknowledging each new version.

A draft is never what staff work to: only ``policy_version_publish`` makes a version current,
and it records who approved it and when (the header's "Approved by" and "Date approved").

The writes live in one module per step (``drafts``, ``review``, ``publishing``,
``acknowledgements``); this package keeps the names every caller imports.
"""

from socialguard.policy.parser import MAX_UPLOAD_BYTES
from socialguard.policy.services._common import (
    DEFAULT_APPROVER,
    REMINDER_INTERVAL,
    REVIEW_DUE_SOON,
    REVIEW_PERIOD_YEARS,
)
from socialguard.policy.services.acknowledgements import (
    ReminderResult,
    policy_acknowledge,
    policy_acknowledgement_remind,
)
from socialguard.policy.services.drafts import (
    policy_default_review_date,
    policy_draft_create,
    policy_file_parse,
    policy_next_label,
    policy_upload_parse,
    policy_version_import,
)
from socialguard.policy.services.publishing import (
    MAX_CLAUSE_TEXT,
    policy_draft_clause_update,
    policy_draft_discard,
    policy_version_publish,
)
from socialguard.policy.services.review import (
    policy_review_remind,
    policy_review_start,
)

__all__ = [
    "DEFAULT_APPROVER",
    "MAX_CLAUSE_TEXT",
    "MAX_UPLOAD_BYTES",
    "REMINDER_INTERVAL",
    "REVIEW_DUE_SOON",
    "REVIEW_PERIOD_YEARS",
    "ReminderResult",
    "policy_acknowledge",
    "policy_acknowledgement_remind",
    "policy_default_review_date",
    "policy_draft_clause_update",
    "policy_draft_create",
    "policy_draft_discard",
    "policy_file_parse",
    "policy_next_label",
    "policy_review_remind",
    "policy_review_start",
    "policy_upload_parse",
    "policy_version_import",
    "policy_version_publish",
]
