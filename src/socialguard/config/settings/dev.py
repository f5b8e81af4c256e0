"""The embedded default used by `make demo`: SQLite under var/, mail kept in the outbox."""

from __future__ import annotations

import os

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = os.environ.get("DEBUG", "") == "1"
# A demo-only key, written once under var/ so sessions survive restarts. Production refuses
# to start without SECRET_KEY (see production.py).
_key_file = VAR_DIR / "secret_key"
if not os.environ.get("SECRET_KEY"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    if not _key_file.exists():
        import secrets

        _key_file.write_text(secrets.token_urlsafe(50))
    SECRET_KEY = _key_file.read_text().strip()
