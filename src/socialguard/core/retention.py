"""Retention: what each app says may now be deleted, gathered for ``socialguard retention``.

An app whose records have a retention period registers a provider in its ``AppConfig.ready``;
a provider returns, for one organisation and day, the records past their period, each with a
label and the deletion (which writes the audit event that keeps the fact). Core names no app.
Every deletion goes through ``delete_for_retention``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import QuerySet

from socialguard.core.append_only import retention_deletion
from socialguard.core.errors import ApplicationError, ErrorCode

if TYPE_CHECKING:
    from socialguard.accounts.models import Organisation


@dataclass(frozen=True)
class DueForDeletion:
    label: str  # "safeguarding concern SG-2026-0001 (closed 2000-11-05)"
    delete: Callable[[], None]


RetentionProvider = Callable[["Organisation", date], list[DueForDeletion]]
_PROVIDERS: list[RetentionProvider] = []


def register_retention_provider(provider: RetentionProvider) -> RetentionProvider:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def retention_due(organisation: Organisation, today: date) -> list[DueForDeletion]:
    return [due for provider in _PROVIDERS for due in provider(organisation, today)]


def delete_for_retention(
    queryset: QuerySet[Any],
    *,
    pk: int,
    by: Any,
    is_due: Callable[[Any], bool],
    refusal: str,
    action: str,
    clauses: Sequence[str],
    fact: Callable[[Any], dict[str, Any]],
    files: Callable[[Any], list[str]] = lambda record: [],
    storage: Any = None,
    delete: Callable[[Any], None] = lambda record: record.delete(),
) -> None:
    """The one way a record leaves at the end of its retention period: lock it, refuse it if it
    is open or not yet due, write the audit event that keeps the fact (never the content),
    delete it (append-only parts included), and remove its files only once that has committed,
    so a rolled-back deletion keeps its evidence."""
    from socialguard.audit.services import audit_record

    with transaction.atomic():
        record = queryset.select_for_update(of=("self",)).get(pk=pk)
        if not is_due(record):
            raise ApplicationError(refusal, code=ErrorCode.CONFLICT)
        names = files(record)
        audit_record(
            actor=by,
            action=action,
            target=record,
            target_repr=str(getattr(record, "reference", "") or record),
            clauses=list(clauses),
            organisation_id=record.organisation_id,
            details=fact(record),
        )
        with retention_deletion():
            delete(record)
        if names:
            store = storage or default_storage
            transaction.on_commit(lambda: [store.delete(name) for name in names])
