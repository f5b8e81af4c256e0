"""Small helpers for views."""

from __future__ import annotations

from django.http import HttpRequest

from socialguard.accounts.models import User


def signed_in_user(request: HttpRequest) -> User:
    """The signed-in person. Every page but the public ones requires sign-in
    (``LoginRequiredMiddleware``), so views use this rather than ``request.user``'s union type."""
    assert isinstance(request.user, User)
    return request.user
