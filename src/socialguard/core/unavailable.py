"""When the database drops out under a request: a plain 503 page, never a traceback.

A connection cut in the middle of a change (a failover, a restart, an operator ending a backend)
rolls the whole transaction back, so nothing is half-written; all that is left to do is to tell
the person, in plain words, that what they sent was not saved and that trying again is safe. The
page is rendered without the request's context processors, which would ask the database again.
A view names what was lost with ``@unsaved_message("Your post was not saved, ...")``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger("socialguard.unavailable")
View = TypeVar("View", bound=Callable[..., Any])
CHANGE_LOST = "What you sent was not saved, please try again in a moment."
PAGE_LOST = "This page could not be shown just now, please try again in a moment."


def unsaved_message(message: str) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        view.unsaved_message = message  # type: ignore[attr-defined]
        return view

    return decorate


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> None:
        request.unsaved_message = getattr(view_func, "unsaved_message", None)  # type: ignore[attr-defined]

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.warning(
            "database unavailable during %s %s: %s", request.method, request.path, exception
        )
        if request.method in ("GET", "HEAD"):
            message = PAGE_LOST
        else:
            message = getattr(request, "unsaved_message", None) or CHANGE_LOST
        html = render_to_string("unavailable.html", {"message": message})
        response = HttpResponse(html, status=503)
        response["Retry-After"] = "5"
        response["Cache-Control"] = "no-store"
        return response
