from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

# The leads' lists are need to know (A.2.3): their audit events are theirs to read.
LEAD_EVENTS = Q(action__startswith="lexicon.phrase.") | Q(action__startswith="lexicon.example.")


def audit_scope(user: Any, events: QuerySet[Any]) -> QuerySet[Any]:
    from socialguard.lexicon.permissions import keeps_safeguarding_lists

    return events if keeps_safeguarding_lists(user) else events.exclude(LEAD_EVENTS)


def register() -> None:
    from socialguard.audit.selectors import register_audit_scope

    register_audit_scope(audit_scope)
