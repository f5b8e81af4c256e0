"""Writes to breach reports and cases (section 9). Each action is one transaction, checked
against ``permissions``, recorded in the case's append-only chronology and in the audit trail
with its clauses; mail goes out after commit.

The audit trail is read by administrators too, so its events name the record by reference and
carry stages and counts, never what happened or who it is about.
The writes live in one module per part (``reports``, ``working``, ``access``); this package
keeps the names every caller imports."""

from socialguard.cases.services._common import (
    MAX_UPLOAD_BYTES,
    NEEDS_HEARING,
    REFERENCE_ALPHABET,
    handlers_to_tell,
    head_matter_handlers,
    new_reference,
)
from socialguard.cases.services.access import (
    case_access_grant,
    case_access_revoke,
)
from socialguard.cases.services.reports import (
    breach_report_close,
    breach_report_submit,
    breach_report_triage,
    case_open,
)
from socialguard.cases.services.working import (
    case_appeal_decide,
    case_appeal_file,
    case_close,
    case_evidence_add,
    case_note_add,
    case_outcome_record,
    case_stage_move,
)

__all__ = [
    "MAX_UPLOAD_BYTES",
    "NEEDS_HEARING",
    "REFERENCE_ALPHABET",
    "breach_report_close",
    "breach_report_submit",
    "breach_report_triage",
    "case_access_grant",
    "case_access_revoke",
    "case_appeal_decide",
    "case_appeal_file",
    "case_close",
    "case_evidence_add",
    "case_note_add",
    "case_open",
    "case_outcome_record",
    "case_stage_move",
    "handlers_to_tell",
    "head_matter_handlers",
    "new_reference",
]
