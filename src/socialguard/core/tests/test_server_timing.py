from __future__ import annotations

import re

from django.http import HttpResponse
from django.test import RequestFactory

from socialguard.core.middleware import ServerTimingMiddleware


def test_the_header_gives_the_time_django_spent() -> None:
    middleware = ServerTimingMiddleware(lambda request: HttpResponse("ok"))
    response = middleware(RequestFactory().get("/"))
    assert re.fullmatch(r"app;dur=\d+\.\d", response["Server-Timing"])


def test_it_is_off_unless_asked_for(settings) -> None:  # type: ignore[no-untyped-def]
    assert "socialguard.core.middleware.ServerTimingMiddleware" not in settings.MIDDLEWARE
