from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the header shows: the signed-in person's organisation and the links they may use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_links": []}
    from socialguard.accounts.selectors import navigation_links_for

    return {"nav_links": navigation_links_for(user)}
