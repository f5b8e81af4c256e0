"""API routes. The API answers 401 in JSON itself, so its views opt out of the site-wide
sign-in redirect; ninja checks sessions and CSRF on its own."""

from __future__ import annotations

import functools
from typing import Any

from django.urls import URLPattern, path

from socialguard.accounts.models import Role
from socialguard.api import views
from socialguard.api.api import api
from socialguard.api.monitoring_api import router as monitoring_router
from socialguard.api.policy_api import router as policy_router
from socialguard.api.postcheck_api import router as postcheck_router
from socialguard.core.access import (
    EVERYONE,
    LINE_MANAGER,
    PUBLIC,
    SITE_ADMINISTRATOR,
    SITE_MODERATOR,
    SITE_OWNER,
    SITE_VETTER,
    STAFF,
    UNAUTHENTICATED,
    Access,
    access,
    access_rule,
    declare,
)


def _open(pattern: URLPattern) -> URLPattern:
    callback = pattern.callback

    @functools.wraps(callback)
    def view(*args: Any, **kwargs: Any) -> Any:
        return callback(*args, **kwargs)

    view.login_required = False  # type: ignore[attr-defined]
    view.csrf_exempt = getattr(callback, "csrf_exempt", False)  # type: ignore[attr-defined]
    pattern.callback = view
    return pattern


# Who may call each endpoint, by operation name; an endpoint missing here fails the access
# matrix (tests/test_access_matrix.py). The API refuses with 403 or, for an object the caller
# may not know of, 404; anonymous callers get 401.
MODERATION = {SITE_MODERATOR, SITE_ADMINISTRATOR, SITE_OWNER, SITE_VETTER}
ACCESS: dict[str, Access] = {
    "openapi-json": declare(anonymous=PUBLIC, allow={EVERYONE}),
    # The API root has no page of its own; the documentation is at /api/docs/.
    "api-root": declare(anonymous=404, allow={EVERYONE}, ok=404),
    "sites_register": declare(anonymous=UNAUTHENTICATED, allow={STAFF}),
    "site_propose": declare(anonymous=UNAUTHENTICATED, allow={STAFF}),
    "site_get": declare(anonymous=UNAUTHENTICATED, allow={STAFF}, refused=404, objects="site"),
    "site_submit": declare(
        anonymous=UNAUTHENTICATED,
        may={SITE_OWNER},
        refused=(403, 404),
        action=True,
        objects="site",
    ),
    "approvals_waiting": declare(anonymous=UNAUTHENTICATED, allow={EVERYONE}),
    "approval_decide_endpoint": declare(
        anonymous=UNAUTHENTICATED,
        may={LINE_MANAGER, Role.COMMS_MANAGER, Role.HEAD_TEACHER},
        refused=(403, 404),
        action=True,
        objects="approval",
    ),
    "policy_get": declare(anonymous=UNAUTHENTICATED, allow={EVERYONE}),
    "policy_acknowledge_endpoint": declare(anonymous=UNAUTHENTICATED, allow={STAFF}, action=True),
    "policy_acknowledgements_list": declare(
        anonymous=UNAUTHENTICATED, allow={Role.HEAD_TEACHER, Role.ADMINISTRATOR}
    ),
    "contributions_mine": declare(anonymous=UNAUTHENTICATED, allow={EVERYONE}),
    # Issue 13: a staff member checks a draft for their own account (2.1: all staff members).
    "post_check_endpoint": declare(anonymous=UNAUTHENTICATED, allow={STAFF}, action=True),
    "review_items": declare(anonymous=UNAUTHENTICATED, allow={EVERYONE}),
    # Issue 14: the selector returns pupils' findings only to the safeguarding leads.
    "monitoring_findings": declare(
        anonymous=UNAUTHENTICATED,
        allow={Role.IT_LEAD, Role.HEAD_TEACHER, Role.DSL, Role.DEPUTY_DSL},
    ),
    "review_item_act": declare(
        anonymous=UNAUTHENTICATED,
        may=MODERATION,
        refused=(403, 404),
        action=True,
        objects="review_item",
    ),
}

api.add_router("", policy_router)
api.add_router("", postcheck_router)
api.add_router("", monitoring_router)
patterns, app_name, namespace = api.urls
urlpatterns = [
    # Public, as the schema is: the page says how to sign in, and holds no data.
    access(path("docs/", views.api_docs, name="api_docs"), anonymous=PUBLIC, allow={EVERYONE}),
    *(_open(p) for p in patterns if isinstance(p, URLPattern)),
]
access_rule(urlpatterns, lambda pattern: ACCESS.get(pattern.name or ""))
