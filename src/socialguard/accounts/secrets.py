"""Secrets the database keeps for us (an organisation's sign-in client secret, each person's
authenticator-app secret), encrypted with a key derived from ``SECRET_KEY``.

A copy of the database alone (a backup, a leaked dump) does not give the secrets. Rotating
``SECRET_KEY`` makes them unreadable: the administrator enters the client secret again and people
set up their authenticator app again (``decrypt`` answers "" for what it cannot read).
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def _fernet() -> Fernet:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"socialguard.accounts.secrets"
    ).derive(settings.SECRET_KEY.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return ""
