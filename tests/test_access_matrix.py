"""The access matrix, generated from the URL conf.

Every URL pattern (pages, the API, the admin) is filled with real objects of two demo
organisations and requested by every person of the first and anonymously: a GET by everyone,
and a POST with a valid CSRF token and no data by everyone who must be refused (a refusal
must hold for the action as well as for the page). Each answer is compared with the ``Access``
declared beside the pattern (``socialguard.core.access``). A pattern with no declaration fails,
so a new page cannot escape the matrix; objects of the other organisation must not be found.

One database set-up for the module; one test per URL pattern, so a finding fails (or is marked
xfail) on its own row.
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver

from socialguard.core import access as A
from socialguard.core.access import Access, access_of

# Marked so that pytest-django sets up the test database; the data itself is built once, by
# the module's fixture, and rolled back at its end.
pytestmark = pytest.mark.django_db

# Objects of the own organisation tried per pattern (spread over the table), and of the other.
OWN_OBJECTS = 2
OTHER_OBJECTS = 1
# The admin's pages answer every kind of object alike: one of each organisation is enough; and
# everyone without the admin is sent to its sign-in page alike: the organisation's
# administrator and a few of the most trusted others (and anonymous) stand for them there.
ADMIN_OWN_OBJECTS = 1
ADMIN_CALLERS = frozenset({"admin", "head", "dsl", "itlead", "teacher", "governor", "pupil"})
SERVER_ERROR = 500

# Rows the matrix found leaking in areas other helpers own: the expectation above is the
# correct one; the row is expected to fail until that area is fixed (strict: an unexpected
# pass fails too, so the mark is removed with the fix).
KNOWN_FINDINGS: dict[str, str] = {}


# ---------------------------------------------------------------------------------------------
# The URL conf, walked


@dataclass(frozen=True)
class Row:
    route: str
    pattern: URLPattern
    params: tuple[str, ...]

    @property
    def id(self) -> str:
        return self.route or "/"


def _walk(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern), entry


def _params(pattern: URLPattern) -> tuple[str, ...]:
    converters = getattr(pattern.pattern, "converters", None)
    if converters is not None:
        return tuple(converters)
    return tuple(pattern.pattern.regex.groupindex)


def _rows() -> list[Row]:
    return [Row(route, p, _params(p)) for route, p in _walk(get_resolver())]


ROWS = _rows()


def test_every_url_pattern_declares_who_may_open_it() -> None:
    undeclared = [row.id for row in ROWS if access_of(row.pattern) is None]
    assert not undeclared, (
        "These URL patterns say nothing about who may open them. Wrap each path() in "
        "socialguard.core.access.access(...) (or, for generated ones, declare them by rule):\n  "
        + "\n  ".join(undeclared)
    )


def test_declarations_name_audiences_that_exist() -> None:
    from socialguard.accounts.models import Role

    known = set(Role.values) | {
        v for k, v in vars(A).items() if k.isupper() and isinstance(v, str) and k != "__doc__"
    }
    unknown = {
        (row.id, name)
        for row in ROWS
        if (decl := access_of(row.pattern)) is not None
        for name in decl.allow | decl.may
        if name not in known
    }
    assert not unknown, unknown


# ---------------------------------------------------------------------------------------------
# Two organisations, their people, and what each person is (roles and relations)


@dataclass
class Person:
    name: str  # demo username without the organisation's prefix
    user: Any
    labels: frozenset[str]


@dataclass
class World:
    own: Any
    other: Any
    people: list[Person]
    clients: dict[str, Client]
    tokens: dict[str, str]
    objects: dict[tuple[str, str], list[tuple[Any, ...]]] = field(default_factory=dict)
    figures: Counter[str] = field(default_factory=Counter)
    urls: set[str] = field(default_factory=set)
    mismatches: list[str] = field(default_factory=list)


def _labels(user: Any) -> frozenset[str]:
    from socialguard.accounts.models import STAFF_ROLES, Role
    from socialguard.cases.models import CaseAccess
    from socialguard.community.models import Membership
    from socialguard.safeguarding.models import ConcernAction
    from socialguard.sites.models import Site, SiteRole

    roles = {r.role for r in user.role_assignments.all() if r.is_current()}
    labels = {A.EVERYONE, *roles}
    if roles & {str(r) for r in STAFF_ROLES}:
        labels.add(A.STAFF)
    site_roles = set(SiteRole.objects.filter(user=user, active=True).values_list("role", flat=True))
    if SiteRole.Role.ADMINISTRATOR in site_roles:
        labels.add(A.SITE_ADMINISTRATOR)
    if SiteRole.Role.MODERATOR in site_roles:
        labels.add(A.SITE_MODERATOR)
    if Site.objects.filter(owner=user).exists():
        labels.add(A.SITE_OWNER)
    if Site.objects.filter(vetter=user).exists():
        labels.add(A.SITE_VETTER)
    if Membership.objects.filter(user=user, status=Membership.Status.APPROVED).exists():
        labels.add(A.SITE_MEMBER)
    if user.reports.exists():
        labels.add(A.LINE_MANAGER)
    if CaseAccess.objects.filter(user=user, revoked_at__isnull=True).exists():
        labels.add(A.CASE_HANDLER)
    if ConcernAction.objects.filter(assignee=user).exists():
        labels.add(A.ASSIGNEE)
    if user.is_staff and Role.ADMINISTRATOR in roles:
        labels.add(A.ADMIN_SITE_USER)
    return frozenset(labels)


def _extras(organisation: Any, people: dict[str, Any]) -> None:
    """What the demo does not make but a URL needs: a concern's evidence file, a school crest,
    a message in the outbox (the demo's are sent after commit, which a test never reaches), a
    draft of the policy."""
    from django.core.files.base import ContentFile
    from django.core.files.uploadedfile import SimpleUploadedFile

    from socialguard.notifications.models import OutboxMessage
    from socialguard.safeguarding.models import Concern
    from socialguard.safeguarding.services import concern_evidence_add

    concern = Concern.objects.filter(organisation=organisation).order_by("pk").first()
    assert concern is not None
    concern_evidence_add(
        concern=concern,
        by=people["dsl"],
        description="Screenshot of the group chat (test file).",
        upload=SimpleUploadedFile("chat.txt", b"test evidence\n", "text/plain"),
    )
    OutboxMessage.objects.create(
        organisation=organisation,
        from_email="office@example",
        to=["head@example"],
        subject="Test message",
        body="For the access matrix.",
    )
    from socialguard.policy.services import policy_draft_create, policy_file_parse

    parsed, _sha = policy_file_parse(path=settings.DEFAULT_POLICY_FILE)
    policy_draft_create(
        organisation=organisation, parsed=parsed, source_name="draft.txt", by=people["head"]
    )
    school = organisation.schools.order_by("pk").first()
    school.logo.save(
        "crest.svg",
        ContentFile(b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>'),
        save=True,
    )


def _client(user: Any | None) -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    request = RequestFactory().get("/")
    token = get_token(request)
    client.cookies[settings.CSRF_COOKIE_NAME] = request.META["CSRF_COOKIE"]
    return client, token


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any, pytestconfig: Any) -> Iterator[World]:
    from socialguard.accounts.models import Organisation, User
    from socialguard.core.demo import PEOPLE, demo_federation_load

    with django_db_blocker.unblock(), transaction.atomic():
        demo_federation_load()
        demo_federation_load(slug="downs-valley", name="Downs Valley Trust", username_prefix="b-")
        own = Organisation.objects.get(slug="roselands-stafford")
        other = Organisation.objects.get(slug="downs-valley")
        for org, prefix in ((own, ""), (other, "b-")):
            found = {u.username.removeprefix(prefix): u for u in org.people.all()}
            _extras(org, found)
        people = [
            Person(spec.username, user, _labels(user))
            for spec in PEOPLE
            for user in [User.objects.get(username=spec.username)]
        ]
        clients: dict[str, Client] = {}
        tokens: dict[str, str] = {}
        for person in people:
            clients[person.name], tokens[person.name] = _client(person.user)
        clients["anonymous"], tokens["anonymous"] = _client(None)
        built = World(own, other, people, clients, tokens)
        started = time.monotonic()
        yield built
        transaction.set_rollback(True)
    _report(built, time.monotonic() - started, pytestconfig)


def _report(world: World, seconds: float, config: Any) -> None:
    figures = world.figures
    lines = [
        "access matrix: "
        f"{len(ROWS)} URL patterns, {len(world.urls)} concrete URLs, "
        f"{len(world.people)} people of one organisation + anonymous, objects of 2 organisations, "
        f"{figures['GET']} GETs + {figures['POST']} POSTs = {figures['GET'] + figures['POST']} "
        f"requests, {len(world.mismatches)} mismatches, {seconds:.0f} s",
    ]
    out = os.environ.get("ACCESS_MATRIX_REPORT")
    if out:
        with open(out, "w") as fh:
            fh.write("\n".join(lines + world.mismatches) + "\n")
    # The figures go to the terminal past pytest's capture, so every run shows them.
    capture = config.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled():
        sys.stdout.write("\n" + lines[0] + "\n")


# ---------------------------------------------------------------------------------------------
# Filling path parameters


def _org_q(model: Any, org: Any) -> dict[str, Any]:
    if model._meta.model_name == "organisation":
        return {"pk": org.pk}
    names = {f.name for f in model._meta.get_fields()}
    paths = ("organisation", "site__organisation", "concern__organisation", "case__organisation")
    for path in paths:
        if path.split("__")[0] in names:
            return {path: org.pk}
    return {}


def _spread(values: list[tuple[Any, ...]], n: int) -> list[tuple[Any, ...]]:
    if len(values) <= n:
        return values
    step = (len(values) - 1) / (n - 1) if n > 1 else 0
    return [values[round(i * step)] for i in range(n)]


def _model_rows(
    model: Any, org: Any, *, to: Callable[[Any], tuple[Any, ...]] | None = None, **filters: Any
) -> list[tuple[Any, ...]]:
    query = model.objects.filter(**_org_q(model, org), **filters).order_by("pk")
    return [to(obj) if to else (obj.pk,) for obj in query]


def _sources() -> dict[str, Callable[[Any], list[tuple[Any, ...]]]]:
    from socialguard.accounts.models import Role, RoleAssignment
    from socialguard.approvals.models import ApprovalRequest
    from socialguard.cases.models import (
        BreachCase,
        BreachReport,
        CaseAccess,
        CaseEvidence,
        MediaEnquiry,
    )
    from socialguard.community.models import Contribution, Image
    from socialguard.integrations.models import RosterImport
    from socialguard.moderation.models import ReviewItem
    from socialguard.monitoring.models import IngestRun, LogSource, MonitoringFinding
    from socialguard.notifications.models import OutboxMessage
    from socialguard.policy.models import Clause, PolicyVersion
    from socialguard.safeguarding.models import Concern, ConcernAction, ConcernEvidence, Escalation
    from socialguard.sites.models import Site

    def hosted(org: Any) -> list[tuple[Any, ...]]:
        # Only live school-hosted sites have community pages; the rest are not found.
        return _model_rows(Site, org, host=Site.Host.SCHOOL, status=Site.Status.LIVE)

    return {
        "organisation": lambda org: [(org.slug,)],
        "outbox_message": lambda org: _model_rows(OutboxMessage, org),
        "site": lambda org: _model_rows(Site, org),
        "hosted_site": hosted,
        "site_document": lambda org: [
            (pk, kind) for (pk,) in hosted(org)[:1] for kind in ("terms", "house_rules")
        ],
        "contribution": lambda org: _model_rows(Contribution, org, to=lambda c: (c.site_id, c.pk)),
        "image": lambda org: _model_rows(Image, org),
        "school": lambda org: [(s.pk,) for s in org.schools.order_by("pk")],
        "approval": lambda org: _model_rows(ApprovalRequest, org),
        "review_item": lambda org: _model_rows(ReviewItem, org),
        "safeguarding_item": lambda org: _model_rows(
            ReviewItem, org, status=ReviewItem.Status.SAFEGUARDING
        ),
        "concern": lambda org: _model_rows(Concern, org),
        "concern_receipt": lambda org: _model_rows(Concern, org, to=lambda c: (c.reference,)),
        "concern_action": lambda org: _model_rows(ConcernAction, org),
        # Evidence with a file (frozen screening evidence has none to download).
        "concern_evidence": lambda org: [
            (e.concern_id, e.pk)
            for e in ConcernEvidence.objects.filter(concern__organisation=org)
            .exclude(file="")
            .order_by("pk")
        ],
        "breach_report": lambda org: _model_rows(BreachReport, org),
        "case": lambda org: _model_rows(BreachCase, org),
        "case_evidence": lambda org: _model_rows(CaseEvidence, org, to=lambda e: (e.case_id, e.pk)),
        "case_access": lambda org: _model_rows(CaseAccess, org),
        "media_enquiry": lambda org: _model_rows(MediaEnquiry, org),
        "escalation": lambda org: _model_rows(Escalation, org),
        "lead_role": lambda org: _model_rows(
            RoleAssignment, org, role__in=[Role.DSL, Role.DEPUTY_DSL]
        ),
        "roster_import": lambda org: _model_rows(RosterImport, org),
        "policy_version": lambda org: _model_rows(PolicyVersion, org, status="published"),
        "policy_draft": lambda org: _model_rows(PolicyVersion, org, status="draft"),
        "policy_draft_clause": lambda org: [
            (c.version_id, c.number)
            for c in Clause.objects.filter(
                version__organisation=org, version__status="draft"
            ).order_by("pk")
        ],
        # Issue 14: the demo's findings (staff and pupils'), its runs and its sources.
        "monitoring_finding": lambda org: _model_rows(MonitoringFinding, org),
        "ingest_run": lambda org: _model_rows(IngestRun, org, source__organisation=org),
        "log_source": lambda org: _model_rows(LogSource, org),
    }


SOURCES = _sources()


def _admin_objects(label: str, org: Any) -> list[tuple[Any, ...]]:
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    if label == "admin:view_on_site":
        from socialguard.accounts.models import School

        ct = ContentType.objects.get_for_model(School)
        return [(ct.pk, pk) for (pk,) in _model_rows(School, org)]
    model = apps.get_model(label.removeprefix("admin:"))
    filters = _org_q(model, org)
    if not filters:
        # Not an organisation's record (groups, task results): the same rows for both.
        return [(pk,) for pk in model.objects.order_by("pk").values_list("pk", flat=True)[:3]]
    return _model_rows(model, org)


def _objects(world: World, label: str, which: str) -> list[tuple[Any, ...]]:
    key = (label, which)
    if key not in world.objects:
        org = world.own if which == "own" else world.other
        if label.startswith("admin:"):
            found = _admin_objects(label, org)
        else:
            assert label in SOURCES, f"The matrix does not know how to fill objects={label!r}"
            found = SOURCES[label](org)
        n = OWN_OBJECTS if which == "own" else OTHER_OBJECTS
        if label.startswith("admin:") and which == "own":
            n = ADMIN_OWN_OBJECTS
        world.objects[key] = _spread(found, n)
    return world.objects[key]


def _fill(row: Row, values: tuple[Any, ...]) -> str:
    assert len(values) == len(row.params), (row.id, values)
    route = row.route
    pattern = row.pattern.pattern
    if getattr(pattern, "converters", None) is None:  # a regular expression (the admin's)
        return "/" + _fill_regex(route, dict(zip(row.params, values, strict=True)))
    for name, value in zip(row.params, values, strict=True):
        start = route.index("<")
        end = route.index(">", start)
        assert route[start:end].endswith(name)
        route = route[:start] + str(value) + route[end + 1 :]
    return "/" + route


def _fill_regex(route: str, values: dict[str, Any]) -> str:
    if "app_label" in values:
        return route.split("^")[0] + str(values["app_label"]) + "/"
    if "url" in values:
        return route.split("(")[0] + str(values["url"])
    raise AssertionError(route)


def _urls(world: World, row: Row, declared: Access) -> list[tuple[str, str]]:
    """(url, "own" | "other") pairs for one pattern."""
    if not row.params:
        return [("/" + row.route, "own")]
    assert declared.objects, f"{row.id} has path parameters but declares no objects=..."
    if declared.objects.startswith("values:"):  # fixed values: "a|b;c|d" fills two rows
        rows = declared.objects.split(":", 1)[1].split(";")
        return [(_fill(row, tuple(values.split("|"))), "own") for values in rows]
    own = [_fill(row, values) for values in _objects(world, declared.objects, "own")]
    # Where keys are per organisation (concern references), the other's fill the same URLs.
    other = [_fill(row, values) for values in _objects(world, declared.objects, "other")]
    return [(url, "own") for url in own] + [(url, "other") for url in other if url not in own]


# ---------------------------------------------------------------------------------------------
# Expectations


def _expected(
    declared: Access, person: Person | None, which: str, method: str
) -> tuple[set[int], str]:
    """The statuses that pass, and who the caller is to this URL (for the report)."""
    if person is None:
        if declared.anonymous == A.PUBLIC:
            expected = set(declared.ok)
        elif declared.anonymous == A.LOGIN:
            expected = {302}
        else:
            expected = {int(declared.anonymous)}
        if (method == "GET" and declared.action) or method == "POST":
            expected.add(405)  # the API checks the method before the caller
        return expected, "anonymous"
    allowed = bool(person.labels & declared.allow)
    may = bool(person.labels & declared.may)
    if method == "GET" and declared.action:
        # Only POST is taken; some refuse before they look at the method (the admin's).
        return ({405} if allowed else {405, *declared.refused}), "any"
    # A POST may also be answered 405 (the URL takes no POST) or, by the API, 422 (it checks
    # the body before the caller); either way nothing changed, which the matrix checks too.
    posted = {405, 422} if method == "POST" else set()
    if which == "other":
        if allowed or may:
            return {*declared.other_org, *posted}, "other-org"
        return {*declared.other_org, *declared.refused, *posted}, "other-org"
    if allowed:
        return set(declared.ok), "allowed"
    if may:
        return set(declared.ok | declared.refused), "may"
    return {*declared.refused, *posted}, "refused"


def _should_post(declared: Access, person: Person | None, which: str) -> bool:
    """POST only where nothing may change: as those who must be refused, and at objects of
    the other organisation. Allowed people's POSTs would change the shared data."""
    if person is None:
        return declared.anonymous != A.PUBLIC and not declared.ok & {302}
    if which == "other":
        return True
    return not (person.labels & (declared.allow | declared.may))


def _request(world: World, who: str, method: str, url: str, api: bool) -> Any:
    client = world.clients[who]
    world.figures[method] += 1
    if method == "GET":
        return client.get(url)
    token = world.tokens[who]
    if api:
        return client.post(url, data="{}", content_type="application/json", HTTP_X_CSRFTOKEN=token)
    return client.post(url, {"csrfmiddlewaretoken": token})


def _location_ok(response: Any, declared: Access, role: str) -> bool:
    """An anonymous 302 must be the sign-in page, not somewhere that shows something."""
    if response.status_code != 302 or role != "anonymous" or declared.anonymous != A.LOGIN:
        return True
    where = response.get("Location", "")
    return "/accounts/sign-in/" in where or "/admin/login/" in where


def _check_row(world: World, row: Row) -> list[str]:
    from socialguard.audit.models import AuditEvent

    declared = access_of(row.pattern)
    assert declared is not None, f"{row.id}: no access declared"
    api = row.route.startswith("api/")
    found: list[str] = []
    callers: list[tuple[str, Person | None]] = [("anonymous", None)]
    callers += [
        (p.name, p)
        for p in world.people
        if not row.route.startswith("admin/") or p.name in ADMIN_CALLERS
    ]
    for url, which in _urls(world, row, declared):
        world.urls.add(url)
        for who, person in callers:
            for method in ("GET", "POST"):
                if method == "POST" and not _should_post(declared, person, which):
                    continue
                expected, role = _expected(declared, person, which, method)
                events = AuditEvent.objects.count() if method == "POST" else 0
                response = _request(world, who, method, url, api)
                status = response.status_code
                if (
                    status not in expected
                    or status >= SERVER_ERROR
                    or not _location_ok(response, declared, role)
                ):
                    found.append(
                        f"{method} {url} as {who} ({role}): {status}, expected "
                        f"{' or '.join(map(str, sorted(expected)))}"
                    )
                # Every change writes one audit event: a refused POST must have written none.
                if method == "POST" and AuditEvent.objects.count() != events:
                    found.append(f"{method} {url} as {who} ({role}): {status}, but it changed data")
    return found


def _param(row: Row) -> Any:
    reason = KNOWN_FINDINGS.get(row.id)
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(row, id=row.id, marks=marks)


@pytest.mark.parametrize("row", [_param(r) for r in ROWS])
def test_access_matrix(world: World, row: Row) -> None:
    if access_of(row.pattern) is None:
        pytest.fail(f"{row.id} declares no access (see the test above)")
    with transaction.atomic():
        mismatches = _check_row(world, row)
        transaction.set_rollback(True)  # a refusal that changed something changes nothing else
    world.mismatches += mismatches
    assert not mismatches, f"{row.id}:\n  " + "\n  ".join(mismatches)
