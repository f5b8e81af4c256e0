"""API routes. The API answers 401 in JSON itself, so its views opt out of the site-wide
sign-in redirect; ninja checks sessions and CSRF on its own."""

from __future__ import annotations

import functools
from typing import Any

from django.urls import URLPattern

from socialguard.api.api import api


def _open(pattern: URLPattern) -> URLPattern:
    callback = pattern.callback

    @functools.wraps(callback)
    def view(*args: Any, **kwargs: Any) -> Any:
        return callback(*args, **kwargs)

    view.login_required = False  # type: ignore[attr-defined]
    view.csrf_exempt = getattr(callback, "csrf_exempt", False)  # type: ignore[attr-defined]
    pattern.callback = view
    return pattern


patterns, app_name, namespace = api.urls
urlpatterns = [_open(p) for p in patterns if isinstance(p, URLPattern)]
