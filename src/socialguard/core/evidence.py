"""Evidence that shows tampering: one canonical JSON, one sha256, one verify, used by the
safeguarding record, breach cases and the review queue alike.

A record is frozen as ``{**record, "sha256", "frozen_at", "frozen_by"}``; the hash covers the
record only (not when or by whom it was frozen), so the same words always give the same hash.
The canonical form (sorted keys, UTF-8 kept, ``str`` for dates) is the one evidence written
before this module already used, so records frozen then still verify."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Protocol

FROZEN_META = frozenset({"sha256", "frozen_at", "frozen_by"})
CHUNK = 65536


class Chunked(Protocol):
    def chunks(self, chunk_size: int | None = ...) -> Iterable[bytes]: ...
    def seek(self, offset: int) -> Any: ...


def canonical_json(record: Mapping[str, Any]) -> bytes:
    return json.dumps(record, sort_keys=True, ensure_ascii=False, default=str).encode()


def record_sha256(record: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(record)).hexdigest()


def bytes_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(file: Chunked) -> str:
    """Hash a file (uploaded or stored) chunk by chunk and leave it at its start."""
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def stored_file_sha256(storage: Any, name: str) -> str | None:
    """The sha256 of a file as it is stored now; None when it is gone."""
    try:
        with storage.open(name, "rb") as handle:
            digest = hashlib.sha256()
            for chunk in iter(lambda: handle.read(CHUNK), b""):
                digest.update(chunk)
    except (FileNotFoundError, OSError):
        return None
    return digest.hexdigest()


def freeze(record: Mapping[str, Any], *, by_id: int | None, at: datetime) -> dict[str, Any]:
    """What was said, by whom and when, with a sha256 over exactly that record."""
    clean = {k: v for k, v in record.items() if k not in FROZEN_META}
    return {
        **clean,
        "sha256": record_sha256(clean),
        "frozen_at": at.isoformat(),
        "frozen_by": by_id,
    }


def verify(frozen: Mapping[str, Any], sha256: str | None = None) -> bool:
    """Does a frozen record still match its hash (and, when given, the hash kept beside it)?"""
    expected = frozen.get("sha256")
    if not expected or (sha256 is not None and sha256 != expected):
        return False
    record = {k: v for k, v in frozen.items() if k not in FROZEN_META}
    return record_sha256(record) == expected
