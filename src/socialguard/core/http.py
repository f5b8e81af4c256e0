"""Small helpers for views: the signed-in person, and reading ids from what a visitor sent."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, cast

from django.core.exceptions import BadRequest
from django.http import HttpRequest

if TYPE_CHECKING:
    from socialguard.accounts.models import User

# Primary keys are 64-bit signed integers on every database we run on; anything larger cannot
# name a row, and SQLite raises OverflowError if it is sent one.
MAX_ID = 2**63 - 1


class InvalidInput(BadRequest):
    """What a visitor sent cannot be read (an id that is not a number, a choice not offered).
    Django answers 400 through ``core.views.error_400``, which shows this plain message."""


def signed_in_user(request: HttpRequest) -> User:
    """The signed-in person. Every page but the public ones requires sign-in
    (``LoginRequiredMiddleware``), so views use this rather than ``request.user``'s union type."""
    # The user model is accounts' User (AUTH_USER_MODEL); the only other kind of request.user
    # is the anonymous one. Core names no app at run time.
    assert request.user.is_authenticated
    return cast("User", request.user)


def parse_id(raw: str | None, *, label: str = "id") -> int | None:
    """``raw`` as a row id, or None when it is empty; InvalidInput for anything else
    ("abc", "-1", "1e20", "²", a number past 64 bits)."""
    raw = (raw or "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or int(raw) > MAX_ID:
        raise InvalidInput(f"The {label} in the address or form is not a valid number.")
    return int(raw)


def query_id(request: HttpRequest, key: str, *, label: str | None = None) -> int | None:
    """The id in ``?key=`` (None when absent or empty); 400 for anything that is not one."""
    return parse_id(request.GET.get(key), label=label or key)


def form_id(data: Mapping[str, str], key: str, *, label: str | None = None) -> int | None:
    """The id in a posted field (None when absent or empty); 400 for anything that is not one."""
    return parse_id(data.get(key), label=label or key)


def choice(raw: str, choices: list[str] | tuple[str, ...], *, label: str) -> str:
    """``raw`` when it is one of ``choices``; 400 otherwise."""
    if raw not in choices:
        raise InvalidInput(f"The {label} sent is not one of the choices offered.")
    return raw


def lockout_username(request: HttpRequest, credentials: Mapping[str, str] | None) -> str | None:
    """The username django-axes records for a failed sign-in, cut to what a username can be
    (150 characters): its table holds 255, and PostgreSQL refuses anything longer with a 500."""
    source = credentials if credentials else request.POST
    username = source.get("username")
    return None if username is None else str(username)[:150]
