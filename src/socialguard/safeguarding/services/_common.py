"""What every write to the safeguarding record shares: the clauses it cites, the limits, the
permission check, the row lock, the chronology entry and the audit event."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from socialguard.accounts.models import User
from socialguard.audit.services import audit_record
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.safeguarding.models import (
    Concern,
    ConcernEntry,
)
from socialguard.safeguarding.permissions import ACTION_LABELS, actions_for
from socialguard.screening import categories as registry

CLAUSES = ("A.2.3", "A.5.6")
MAX_CATEGORIES = 3
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# Entries a lead writes by hand; the others are appended by the services below.
WRITTEN_ENTRY_KINDS = (
    ConcernEntry.Kind.UPDATE,
    ConcernEntry.Kind.CORRECTION,
    ConcernEntry.Kind.DSL_SUMMARY,
)
CLOCK_SKEW = timedelta(minutes=5)


def categories_clean(categories: Sequence[str]) -> list[str]:
    chosen = list(dict.fromkeys(c for c in categories if c))
    if not chosen:
        raise ApplicationError("Choose what kind of concern this is.", code=ErrorCode.INVALID)
    if len(chosen) > MAX_CATEGORIES:
        raise ApplicationError(
            "Choose up to three categories, the most serious first.", code=ErrorCode.INVALID
        )
    unknown = [c for c in chosen if c not in registry.safeguarding_codes()]
    if unknown:
        raise ApplicationError("Choose categories from the list.", code=ErrorCode.INVALID)
    return chosen


def _require(user: User, concern: Concern, action: str) -> None:
    if action not in actions_for(user, concern):
        raise ApplicationError(
            f"You cannot do this on concern {concern.reference}: "
            f"{ACTION_LABELS.get(action, action).lower()}.",
            code=ErrorCode.FORBIDDEN,
        )


def _locked(concern: Concern) -> Concern:
    return Concern.objects.select_for_update(of=("self",)).get(pk=concern.pk)


def _text(value: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ApplicationError(f"Write {what}.", code=ErrorCode.INVALID)
    return value


def _audit(by: User | None, concern: Concern, verb: str, **details: Any) -> None:
    audit_record(
        actor=by,
        action=f"safeguarding.concern.{verb}",
        target=concern,
        clauses=CLAUSES,
        organisation_id=concern.organisation_id,
        details={"reference": concern.reference, **details},
    )


def _entry(concern: Concern, kind: str, body: str, by: User | None) -> ConcernEntry:
    return ConcernEntry.objects.create(concern=concern, kind=kind, body=body, author=by)


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"
