"""Records that are written once and never changed: a chronology entry, a piece of evidence.

A row may be added; it may not be saved again, updated in bulk or deleted, except as part of
deleting its whole record when the retention period has passed (inside ``retention_deletion``).
Corrections are new entries. Where it matters, migrations add database triggers as well, so that
not even raw SQL rewrites history.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ClassVar

from django.db import models

_retention_delete: ContextVar[bool] = ContextVar("append_only_retention_delete", default=False)


class AppendOnlyError(PermissionError):
    """An append-only row was about to be changed or deleted."""


@contextmanager
def retention_deletion() -> Iterator[None]:
    """Allow deletion while a retention service removes a whole, expired record."""
    token = _retention_delete.set(True)
    try:
        yield
    finally:
        _retention_delete.reset(token)


def refuse_delete(message: str) -> None:
    if not _retention_delete.get():
        raise AppendOnlyError(message)


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError(self.model.append_only_message)

    def delete(self) -> tuple[int, dict[str, int]]:
        refuse_delete(self.model.append_only_message)
        return super().delete()


class AppendOnlyModel(models.Model):
    append_only_message: ClassVar[str] = "This record is append-only: add a correction instead."

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(self.append_only_message)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        refuse_delete(self.append_only_message)
        return super().delete(*args, **kwargs)
