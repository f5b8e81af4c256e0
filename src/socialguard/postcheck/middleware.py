"""Uploads to "Check my post" stay in memory. Set before any middleware reads the form (the NUL
check reads every POST), since Django fixes the upload handlers when it first parses one."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from socialguard.postcheck.uploads import InMemoryOnlyUploadHandler

PRIVATE_PREFIXES = ("/check-my-post/", "/api/check-my-post")


class InMemoryUploadsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(PRIVATE_PREFIXES):
            request.upload_handlers = [InMemoryOnlyUploadHandler(request)]
        return self.get_response(request)


def upload_too_big(request: HttpRequest) -> bool:
    return any(getattr(h, "too_big", False) for h in request.upload_handlers)
