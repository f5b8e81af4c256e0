"""Per-person API tokens: made and revoked by the person in the browser, scoped to read or to
read and write, shown once and kept only as a SHA-256 hash (a token is 32 random bytes, so a
plain hash is enough: there is nothing to guess, unlike a password)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from socialguard.accounts.models import User
from socialguard.accounts.selectors import is_staff_member
from socialguard.audit.services import audit_record
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.integrations.models import ApiToken

TOKEN_PREFIX = "sg_"  # noqa: S105 (the visible start of every token, not a secret)
MAX_TOKENS = 10
# last_used_at is written at most this often, so that a busy client does not write every call.
USED_EVERY = timedelta(minutes=5)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def may_hold_tokens(user: User) -> bool:
    """Staff members (2.1) act through other systems; pupils and families do not."""
    return is_staff_member(user) and not user.has_left


def api_tokens_of(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


@transaction.atomic
def api_token_create(*, user: User, name: str, scope: str) -> tuple[ApiToken, str]:
    """A new token; the token itself is returned once and never stored."""
    if not may_hold_tokens(user):
        raise ApplicationError("Only staff members make API tokens.", code=ErrorCode.FORBIDDEN)
    name = " ".join(name.split())[:80]
    if not name:
        raise ApplicationError("Name the token after the system that will use it.")
    if scope not in ApiToken.Scope.values:
        raise ApplicationError("Choose read only, or read and write.")
    if api_tokens_of(user=user).filter(revoked_at__isnull=True).count() >= MAX_TOKENS:
        raise ApplicationError(f"You have {MAX_TOKENS} tokens: revoke one you no longer use.")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        user=user, name=name, scope=scope, prefix=token[:10], token_hash=_hash(token)
    )
    audit_record(
        actor=user,
        action="integrations.token.create",
        target=row,
        details={"name": name, "scope": scope, "prefix": row.prefix},
    )
    return row, token


@transaction.atomic
def api_token_revoke(*, user: User, token_id: int) -> ApiToken:
    row = (
        ApiToken.objects.select_for_update()
        .filter(pk=token_id, user=user, revoked_at__isnull=True)
        .first()
    )
    if row is None:
        raise ApplicationError("There is no such token of yours.", code=ErrorCode.NOT_FOUND)
    row.revoked_at = timezone.now()
    row.save(update_fields=["revoked_at", "updated_at"])
    audit_record(
        actor=user,
        action="integrations.token.revoke",
        target=row,
        details={"name": row.name, "prefix": row.prefix},
    )
    return row


def api_token_user(*, token: str) -> tuple[User, ApiToken] | None:
    """The person a bearer token stands for, or None (unknown, revoked, or a leaver's)."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    row = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=_hash(token), revoked_at__isnull=True)
        .first()
    )
    if row is None or not row.user.is_active or not may_hold_tokens(row.user):
        return None
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at > USED_EVERY:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user, row
