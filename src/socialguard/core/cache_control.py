"""No copy of a private page is kept by a browser cache or a proxy."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

# Pages whose content is safeguarding, disciplinary, audit or administration data: a shared
# computer's browser cache or a proxy must never keep a copy, whatever the view itself says.
NO_STORE_PREFIXES = (
    "/safeguarding/",
    "/cases/",
    "/admin/",
    "/reports/",
    "/audit/",
    "/moderation/",
    "/outbox/",
    "/api/",
    "/accounts/",
)


class NoStoreMiddleware:
    """``Cache-Control: no-store, private`` on every page Django answers.

    The prefixes above are forced even over a view's own caching; any other response keeps a
    Cache-Control its view chose on purpose (a school crest) and gets no-store otherwise, so a
    new page is private until someone decides it need not be. Static files never reach here
    (WhiteNoise answers them first) and keep their long cache lifetimes.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(NO_STORE_PREFIXES) or not response.has_header("Cache-Control"):
            response.headers.pop("Cache-Control", None)
            add_never_cache_headers(response)
        return response
