"""Writes to the safeguarding record (A.2.3, A.5.6). Each is one transaction that checks
``actions_for`` again, appends to the chronology and writes one audit event. The audit trail
keeps the fact (reference, kind, counts) and never the account, the child's words or a pupil's
name: those stay in the record, where only the DSLs can read them. Mail goes after commit and
carries the category and a link only (CPOMS).

The writes live in one module per part of the record (``recording``, ``chronology``,
``lifecycle``); this package keeps the names every caller imports.
"""

from socialguard.safeguarding.services._common import (
    CLAUSES,
    MAX_CATEGORIES,
    MAX_UPLOAD_BYTES,
    WRITTEN_ENTRY_KINDS,
    categories_clean,
)
from socialguard.safeguarding.services.chronology import (
    concern_action_assign,
    concern_action_complete,
    concern_entry_add,
    concern_evidence_add,
    concern_referral_outcome,
    concern_referral_record,
)
from socialguard.safeguarding.services.lifecycle import (
    concern_close,
    concern_head_access_set,
    concern_reopen,
    concern_viewed,
)
from socialguard.safeguarding.services.recording import (
    ConcernHook,
    ConcernNotice,
    category_label,
    concern_record,
    create_concern,
    register_concern_hook,
    tell_recorded,
)

__all__ = [
    "CLAUSES",
    "MAX_CATEGORIES",
    "MAX_UPLOAD_BYTES",
    "WRITTEN_ENTRY_KINDS",
    "ConcernHook",
    "ConcernNotice",
    "categories_clean",
    "category_label",
    "concern_action_assign",
    "concern_action_complete",
    "concern_close",
    "concern_entry_add",
    "concern_evidence_add",
    "concern_head_access_set",
    "concern_record",
    "concern_referral_outcome",
    "concern_referral_record",
    "concern_reopen",
    "concern_viewed",
    "create_concern",
    "register_concern_hook",
    "tell_recorded",
]
