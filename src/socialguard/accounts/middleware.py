"""Signed-in sessions end after a spell without activity, and at the latest after a working day.

Safeguarding leads, head teachers and administrators open children's safeguarding records and
staff disciplinary files, often on shared staff-room computers: their sessions end after
``SOCIALGUARD_SESSION_IDLE_MINUTES_SENSITIVE`` minutes without a request (30 by default); everyone
else's after ``SOCIALGUARD_SESSION_IDLE_MINUTES`` (120). No session outlives
``SESSION_COOKIE_AGE`` from its sign-in (12 hours), however active.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from socialguard.accounts.models import SAFEGUARDING_ROLES, Role
from socialguard.accounts.selectors import has_role

SIGNED_IN_AT = "sg_signed_in_at"
LAST_SEEN = "sg_last_seen"
SENSITIVE = "sg_sensitive"
# The last-seen time is written at most this often, so a busy page does not save its session on
# every request; the idle limits are therefore exact to within a minute.
TOUCH_SECONDS = 60
SENSITIVE_ROLES = (*SAFEGUARDING_ROLES, Role.HEAD_TEACHER, Role.ADMINISTRATOR)


def _is_sensitive(user: object) -> bool:
    # has_role caches the roles on the instance for one request; at sign-in that instance may
    # live on (a test's person), so a cache this function filled is dropped again.
    cached_before = "_sg_roles" in vars(user)
    sensitive = bool(
        getattr(user, "is_staff", False)
        or getattr(user, "is_superuser", False)
        or has_role(user, *SENSITIVE_ROLES)
    )
    if not cached_before:
        vars(user).pop("_sg_roles", None)
    return sensitive


def idle_limit_seconds(*, sensitive: bool) -> int:
    minutes = (
        settings.SOCIALGUARD_SESSION_IDLE_MINUTES_SENSITIVE
        if sensitive
        else settings.SOCIALGUARD_SESSION_IDLE_MINUTES
    )
    return int(minutes) * 60


def session_started(sender: object, request: HttpRequest, user: object, **kwargs: object) -> None:
    """On sign-in (connected in AccountsConfig.ready): the clock starts, and the session knows
    which idle limit applies without a query on the first page."""
    if request is None or not hasattr(request, "session"):
        return
    now = time.time()
    # Every sign-in passes the second step afresh (accounts.mfa).
    request.session.pop("sg_mfa_verified_at", None)
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN] = now
    request.session[SENSITIVE] = _is_sensitive(user)


class SessionTimeoutMiddleware:
    """Signs out an idle or over-long session before the view runs; the page then asks the
    visitor to sign in again (LoginRequiredMiddleware) and says why."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        session, now = request.session, time.time()
        signed_in_at = session.get(SIGNED_IN_AT)
        last_seen = session.get(LAST_SEEN)
        if signed_in_at is None or last_seen is None:
            session[SIGNED_IN_AT] = signed_in_at or now
            self._touch(request, now)
            return
        sensitive = bool(session.get(SENSITIVE))
        if now - last_seen > idle_limit_seconds(sensitive=sensitive):
            self._sign_out(request, "You were signed out after a spell without activity.")
        elif now - signed_in_at > settings.SESSION_COOKIE_AGE:
            self._sign_out(request, "You were signed out: sessions last one working day at most.")
        elif now - last_seen >= TOUCH_SECONDS:
            self._touch(request, now)

    @staticmethod
    def _touch(request: HttpRequest, now: float) -> None:
        # The role is read again with each touch, so a new safeguarding lead gets the shorter
        # limit within a minute.
        request.session[LAST_SEEN] = now
        request.session[SENSITIVE] = _is_sensitive(request.user)

    @staticmethod
    def _sign_out(request: HttpRequest, reason: str) -> None:
        logout(request)
        messages.info(request, f"{reason} Please sign in again.")


# Where a concern, a case or the admin can be opened (accounts.mfa: the second step guards them):
# also the escalated posts (safeguarding's pages at moderation's address, with the frozen
# evidence of a disclosure) and the audit trail (which shows the leads the safeguarding events);
# and the administrator's integrations that change people or send word of concerns out: the
# roster import (joiners and leavers) and the webhook to the safeguarding system.
MFA_PROTECTED_PREFIXES = (
    "/safeguarding/",
    "/moderation/safeguarding/",
    "/cases/",
    "/audit/",
    "/admin/",
    "/integrations/roster/",
    "/integrations/webhook/",
)


class MfaRequiredMiddleware:
    """Before a safeguarding lead, a head teacher or an administrator opens a concern, a case
    or the admin, they pass a second step: set one up if they have none, or give a code (or a
    passkey) once per sign-in. Everyone else's pages are untouched."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.path.startswith(MFA_PROTECTED_PREFIXES)
            and request.user.is_authenticated
            and not request.session.get("sg_mfa_verified_at")
        ):
            from socialguard.accounts import mfa

            # A person without the admin is sent to its sign-in page by the admin itself.
            admin_only = request.path.startswith("/admin/") and not request.user.is_staff
            if not admin_only and mfa.needs_mfa(request.user):
                return self._second_step(request)
        return self.get_response(request)

    @staticmethod
    def _second_step(request: HttpRequest) -> HttpResponse:
        from socialguard.accounts.models import MfaMethod

        enrolled = MfaMethod.objects.filter(
            user_id=int(request.user.pk or 0), confirmed_at__isnull=False
        ).exists()
        target = "accounts:mfa_verify" if enrolled else "accounts:mfa"
        if not enrolled:
            messages.info(
                request,
                "Safeguarding records, cases and the admin need a second step when you sign "
                "in. Set one up below, then carry on.",
            )
        next_url = request.get_full_path() if request.method == "GET" else "/"
        return HttpResponseRedirect(f"{reverse(target)}?{urlencode({'next': next_url})}")
