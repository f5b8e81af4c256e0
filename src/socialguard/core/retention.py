"""Retention: what each app says may now be deleted, gathered for ``socialguard retention``.

An app whose records have a retention period registers a provider in its ``AppConfig.ready``;
a provider returns, for one organisation and day, the records past their period, each with a
label and the deletion (which writes the audit event that keeps the fact). Core names no app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

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
