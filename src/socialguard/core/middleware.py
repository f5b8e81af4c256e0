"""Security headers the whole site relies on, refusal of NUL characters, and optional server
timings for load tests."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

from socialguard.core.http import InvalidInput

# No inline script or style anywhere: every asset is served from our own origin (schools run
# offline and behind filtering proxies; a CDN is both a privacy leak and a point of failure).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class ServerTimingMiddleware:
    """``Server-Timing: app;dur=<ms>``: the time Django spent on the request, from the moment a
    worker picked it up, so a load test can tell time spent working from time spent waiting
    for a free worker. Off unless ``SOCIALGUARD_SERVER_TIMING=1``: timings help an attacker
    more than a visitor."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        response["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        return response


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in v for v in values):
            return True
    if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return False
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body)
        except ValueError:
            return False  # not JSON at all: the API answers that itself
        return any("\x00" in text for text in _strings(body))
    for key, values in request.POST.lists():
        if "\x00" in key or any("\x00" in v for v in values):
            return True
    names = (upload.name or "" for uploads in request.FILES.lists() for upload in uploads[1])
    return any("\x00" in name for name in names)


class RefuseNulMiddleware:
    """Text with a NUL character in it is refused with 400 everywhere, whether or not a form
    validates it: PostgreSQL cannot store NUL in text and raises mid-request, and no person
    types one. Forms already refuse it; this covers query strings, API bodies and raw reads."""

    MESSAGE = "The request contains a character that is not allowed (NUL). Remove it and try again."

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            if request.path.startswith("/api/"):
                body = {"code": "invalid", "message": self.MESSAGE, "detail": None}
                return JsonResponse(body, status=400)
            raise InvalidInput(self.MESSAGE)
        return self.get_response(request)
