"""8.2: staff members and pupils accept the acceptable-use notice before they use the site, and
again when the IT lead publishes a new version. Until they have, every page sends them to the
notice, except the notice itself, signing out, the sign-in security pages, static files and the
API (a token or a script has no one to read a notice).

The accepted version is remembered in the session, so a person who has accepted costs one small
query per request (is there a newer version?). Off where ``SOCIALGUARD_AUP_REQUIRED`` is false
(the test settings; the notice's own tests turn it on)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

ACCEPTED = "sg_aup_accepted"
EXEMPT_PREFIXES = (
    "/monitoring/notice/",
    "/accounts/",
    "/api/",
    "/static/",
    "/healthz",
    "/admin/",
    "/policy/",
)


class AcceptableUseMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.SOCIALGUARD_AUP_REQUIRED
            and request.user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
            and not self._accepted(request)
        ):
            next_url = request.get_full_path() if request.method == "GET" else "/"
            target = reverse("monitoring:notice")
            return HttpResponseRedirect(f"{target}?{urlencode({'next': next_url})}")
        return self.get_response(request)

    @staticmethod
    def _accepted(request: HttpRequest) -> bool:
        from socialguard.accounts.models import User
        from socialguard.monitoring import notices
        from socialguard.monitoring.models import AcceptableUseNotice

        user = request.user
        assert isinstance(user, User)
        if user.organisation_id is None:
            return True
        latest = (
            AcceptableUseNotice.objects.filter(organisation_id=user.organisation_id)
            .values_list("pk", flat=True)
            .first()
        )
        if latest is not None and request.session.get(ACCEPTED) == latest:
            return True
        if not notices.is_asked(user) or user.organisation is None:
            return True
        notice = notices.notice_current(organisation=user.organisation)
        if notices.notice_accepted(notice=notice, user=user):
            request.session[ACCEPTED] = notice.pk
            return True
        return False
