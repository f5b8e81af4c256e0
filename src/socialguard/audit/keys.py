"""The key the audit chain is hashed with, and the hash itself.

Plain SHA-256 lets anyone who can write to the database rewrite the trail end to end: change an
event, recompute every later hash and the head, and ``audit verify`` is none the wiser. So every
event hash is an HMAC-SHA256 under a key that never touches the database:

- ``SOCIALGUARD_AUDIT_KEY`` (environment) when it is set: production refuses to start without one
  (see settings/production.py), so that rotating ``SECRET_KEY`` after a leak never breaks the
  trail, and so that the key can be held apart from the database and its backups;
- otherwise (the embedded default, development, tests) a key derived from ``SECRET_KEY``, which the
  embedded install keeps in a file outside the database.

Checkpoints (``socialguard audit checkpoint``) are signed with a second key derived from the same
one, so a checkpoint can never be passed off as an event hash or the other way round.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from django.conf import settings


def audit_key() -> bytes:
    configured = str(getattr(settings, "SOCIALGUARD_AUDIT_KEY", "") or "")
    if configured:
        return configured.encode("utf-8")
    if not settings.SECRET_KEY:
        raise RuntimeError("The audit chain needs SOCIALGUARD_AUDIT_KEY or SECRET_KEY to be set.")
    return hmac.new(
        settings.SECRET_KEY.encode("utf-8"), b"socialguard.audit.chain", hashlib.sha256
    ).digest()


def _canonical(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str).encode("utf-8")


def keyed_hash(payload: dict[str, Any]) -> str:
    """The hash an event stores: HMAC-SHA256 of its canonical payload."""
    return hmac.new(audit_key(), _canonical(payload), hashlib.sha256).hexdigest()


def plain_hash(payload: dict[str, Any]) -> str:
    """The unkeyed hash events carried before migration 0003 keyed the chain."""
    return hashlib.sha256(_canonical(payload)).hexdigest()


def checkpoint_signature(payload: dict[str, Any]) -> str:
    key = hmac.new(audit_key(), b"socialguard.audit.checkpoint", hashlib.sha256).digest()
    return hmac.new(key, _canonical(payload), hashlib.sha256).hexdigest()


def key_fingerprint() -> str:
    """Names the key a checkpoint was signed with (not the key: a one-way hash of a hash of it)."""
    return hashlib.sha256(hashlib.sha256(audit_key()).digest()).hexdigest()[:16]
