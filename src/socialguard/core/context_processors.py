from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

# The header's links for the signed-in person. accounts knows the roles and permissions and
# registers the provider at start-up, so core names no app.
NavigationProvider = Callable[[Any], list[tuple[str, str]]]
_NAVIGATION: list[NavigationProvider] = []


def register_navigation(provider: NavigationProvider) -> NavigationProvider:
    if provider not in _NAVIGATION:
        _NAVIGATION.append(provider)
    return provider


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the header shows: the signed-in person's organisation and the links they may use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_links": []}
    return {"nav_links": [link for provider in _NAVIGATION for link in provider(user)]}
