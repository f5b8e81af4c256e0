"""Who may open each URL, declared beside its ``path()``.

Every URL pattern carries an :class:`Access`. ``tests/test_access_matrix.py`` walks the URL conf,
fills each pattern with real objects of two organisations, requests it as every person of the
first and anonymously, and compares the answers with the declaration. A pattern without one
fails that test, so a new page cannot be added without saying who may see it.

Audiences are role names (``accounts.models.Role``) or the relations below, which the policy
gives people by what they do rather than by a role they hold::

    urlpatterns = [
        access(path("", views.concern_list, name="list"), allow={Role.DSL, Role.DEPUTY_DSL}),
        access(
            path("<int:pk>/", views.concern_detail, name="concern"),
            allow={Role.DSL, Role.DEPUTY_DSL}, refused=404, objects="concern",
        ),
    ]

The declaration is data only: the views decide access on the server as before; this says what
they must decide, so that the matrix can check it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver

# What an anonymous visitor gets: sent to the sign-in page (302 there, nowhere else), the same
# answer as the people allowed, or a status of its own (the API answers 401 itself, in JSON).
LOGIN = "login"
PUBLIC = "public"
UNAUTHENTICATED = 401

Statuses = int | Iterable[int]

# Audiences beyond roles. Anyone signed in to the organisation:
EVERYONE = "everyone"
# 2.1: governors, staff, contractors, trainees and volunteers are all staff members.
STAFF = "staff_member"
# Relations the data gives a person (a site role, a reporting line, a membership, a grant).
SITE_OWNER = "site_owner"
SITE_ADMINISTRATOR = "site_administrator"
SITE_MODERATOR = "site_moderator"
SITE_VETTER = "site_vetter"
SITE_MEMBER = "site_member"
LINE_MANAGER = "line_manager"
CASE_HANDLER = "case_handler"
ASSIGNEE = "action_assignee"
# The organisation's administrator in the Django admin (the administrator role and is_staff).
ADMIN_SITE_USER = "admin_site_user"


@dataclass(frozen=True)
class Access:
    """The expected answer to each kind of caller.

    ``allow``: audiences that get the page for every object of their own organisation.
    ``may``: audiences that get it for some objects only (need to know: the sites they moderate,
    the cases they were named on) and are refused the rest.
    ``refused``: what everyone else of the organisation gets (403, or 404 where even the
    existence of the object is not theirs to know).
    ``other_org``: what anyone gets for an object of another organisation.
    ``ok``: what an allowed person gets (200, or a redirect where the page sends them on).
    ``action``: the URL only takes POST (a GET answers 405); refused people's POSTs are checked.
    ``objects``: which objects fill the path parameters (a name the matrix knows how to fill).
    """

    allow: frozenset[str] = frozenset()
    may: frozenset[str] = frozenset()
    anonymous: int | str = LOGIN
    refused: frozenset[int] = frozenset({403})
    other_org: frozenset[int] = frozenset({404})
    ok: frozenset[int] = frozenset({200})
    action: bool = False
    objects: str | None = None
    note: str = ""


def declare(
    *,
    allow: Iterable[str] = (),
    may: Iterable[str] = (),
    anonymous: int | str = LOGIN,
    refused: Statuses = 403,
    other_org: Statuses = 404,
    ok: Statuses = 200,
    action: bool = False,
    objects: str | None = None,
    note: str = "",
) -> Access:
    return Access(
        allow=frozenset(str(a) for a in allow),
        may=frozenset(str(a) for a in may),
        anonymous=anonymous,
        refused=_statuses(refused),
        other_org=_statuses(other_org),
        ok=_statuses(ok),
        action=action,
        objects=objects,
        note=note,
    )


def _statuses(value: Statuses) -> frozenset[int]:
    return frozenset({value} if isinstance(value, int) else value)


def access(pattern: URLPattern, **expected: Any) -> URLPattern:
    """Attach the expected access to one ``path()``; returns the pattern for ``urlpatterns``."""
    pattern.access = declare(**expected)  # type: ignore[attr-defined]
    return pattern


def access_rule(
    patterns: Iterable[URLPattern | URLResolver], rule: Callable[[URLPattern], Access | None]
) -> None:
    """Declare patterns that another library generates (the admin's, the API's) by one rule.

    The rule sees each pattern and returns its Access, or None where it has no answer (which
    leaves the pattern undeclared, so the matrix fails until someone decides).
    """
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            access_rule(pattern.url_patterns, rule)
        elif access_of(pattern) is None:
            declared = rule(pattern)
            if declared is not None:
                pattern.access = declared  # type: ignore[attr-defined]


def access_of(pattern: URLPattern) -> Access | None:
    return getattr(pattern, "access", None)


# The models an organisation's administrator manages in the admin; every other model there
# (groups, task results, sign-in records, the audit trail) is for deployment operators.
ADMIN_MANAGED_MODELS = frozenset({"accounts.user", "accounts.school", "accounts.organisation"})
# The admin sends people without access to its sign-in page (302) and refuses an administrator
# a model they do not manage (403); an object of another organisation gets its "does not
# exist" redirect (302), a refusal (403) or 404, never the object.
_ADMIN_REFUSED = (302, 403)
_ADMIN_OTHER_ORG = (302, 403, 404)


def admin_access(pattern: URLPattern) -> Access | None:
    """The Django admin's generated URLs, by kind. Only an organisation's administrator (the
    administrator role with ``is_staff``) uses the admin; everyone else is sent to its sign-in
    page. The objects of a kind are those the matrix finds for ``admin:<app>.<model>``."""
    name = pattern.name or ""
    model_admin = getattr(pattern.callback, "model_admin", None)
    if model_admin is not None or name == "auth_user_password_change":
        model = model_admin.model._meta.label_lower if model_admin else "accounts.user"
        route = str(pattern.pattern)
        managed = model in ADMIN_MANAGED_MODELS
        listing = name.endswith("_changelist")
        return declare(
            allow={ADMIN_SITE_USER} if managed and listing else (),
            # Adding, changing and deleting depend on the object (and on the retention rules).
            may={ADMIN_SITE_USER} if managed and not listing else (),
            ok=(200, 302),
            refused=_ADMIN_REFUSED,
            other_org=_ADMIN_OTHER_ORG,
            objects=f"admin:{model}" if "<" in route else None,
        )
    return _ADMIN_SITE_PAGES.get(name, _ADMIN_CATCH_ALL if "url" in _groups(pattern) else None)


def _groups(pattern: URLPattern) -> dict[str, int]:
    return dict(pattern.pattern.regex.groupindex)


_ADMIN_SITE_PAGES: dict[str, Access] = {
    "index": declare(allow={ADMIN_SITE_USER}, refused=302),
    "login": declare(anonymous=200, allow={EVERYONE}, ok=(200, 302)),
    "logout": declare(allow={ADMIN_SITE_USER}, refused=302, action=True),
    "password_change": declare(allow={ADMIN_SITE_USER}, refused=302),
    "password_change_done": declare(allow={ADMIN_SITE_USER}, refused=302),
    "jsi18n": declare(allow={ADMIN_SITE_USER}, refused=302),
    # Without a query the autocomplete answers 403 even to the administrator.
    "autocomplete": declare(may={ADMIN_SITE_USER}, refused=_ADMIN_REFUSED),
    # Schools have no public page: "view on site" finds nothing, in either organisation.
    "view_on_site": declare(
        may={ADMIN_SITE_USER},
        ok=(302, 404),
        refused=302,
        other_org=404,
        objects="admin:view_on_site",
    ),
    "app_list": declare(
        may={ADMIN_SITE_USER}, refused=(302, 404), objects="values:auth;accounts;audit"
    ),
}
_ADMIN_CATCH_ALL = declare(
    may={ADMIN_SITE_USER}, ok=(302, 404), refused=(302, 404), objects="values:nothing-here/"
)
