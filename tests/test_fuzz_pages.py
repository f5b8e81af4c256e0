"""A query-string and form-field fuzzer over every page: no input may cause a 5xx (issue 10).

The URL conf is walked (so a new page is fuzzed without anyone listing it), every path parameter
is filled with a real object of the demo federation, and each page is requested as a few roles:
first plainly, to learn which query keys the view reads and which forms it shows, then with
hostile values in each of those keys and in each field of each form. Every answer below 500
passes; the test collects every 5xx and fails with the whole list.
"""

from __future__ import annotations

import io
import itertools
import logging
import re
import struct
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.apps import apps
from django.core.handlers.wsgi import WSGIRequest
from django.http import QueryDict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# What an attacker, a broken client or a pasted spreadsheet sends.
HOSTILE = [
    "abc",
    "-1",
    "99999999999999999999",
    "1e20",
    "\x00",
    "x" * 3000,
    "😀\u202eü\u0301",
    "2026-02-30",
    "' OR '1'='1",
]
# Forms get fewer values per field (a form has many fields); NUL and overflow always among them.
HOSTILE_POST = ["abc", "-1", "99999999999999999999", "\x00", "x" * 3000]
FIELDS_ALONE = 8  # fields of one form tried alone (an even sample of a long form)
ROLES = ["anonymous", "head", "comms", "teacher", "dsl", "admin", "pupil", "outsider", "itlead"]
# Keys every Django admin change list reads through request.GET.items() (so not recorded).
ADMIN_KEYS = ["q", "o", "p", "all", "_to_field", "_popup", "_changelist_filters"]
# Posting these would end the fuzzing session or remove the objects the other pages need.
NO_POST = re.compile(r"(sign-out|/logout/|/delete/)")


def tiny_png(width: int, height: int) -> bytes:
    """A few dozen bytes that claim to be a ``width`` x ``height`` PNG (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00"))
        + chunk(b"IEND", b"")
    )


HOSTILE_FILES = [("bomb.png", tiny_png(100_000, 100_000)), ("junk.png", b"\x00\xffnot an image")]


# --- learning what a view reads --------------------------------------------------------------

_read: dict[str, set[str]] = {"GET": set(), "POST": set()}


class _RecordingQueryDict(QueryDict):
    method = "GET"

    def get(self, key: str, default: Any = None) -> Any:
        _read[self.method].add(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> Any:
        _read[self.method].add(key)
        return super().__getitem__(key)

    def getlist(self, key: str, default: Any = None) -> Any:
        _read[self.method].add(key)
        return super().getlist(key, default)

    def __contains__(self, key: object) -> bool:
        _read[self.method].add(str(key))
        return super().__contains__(key)


class _RecordingPost(_RecordingQueryDict):
    method = "POST"


@pytest.fixture
def recording(monkeypatch: pytest.MonkeyPatch) -> None:
    def recorded_get(self: WSGIRequest) -> QueryDict:
        if "_fuzz_get" not in self.__dict__:
            raw = self.environ.get("QUERY_STRING", "").encode("latin-1")
            self.__dict__["_fuzz_get"] = _RecordingQueryDict(raw, encoding=self._encoding)
        return self.__dict__["_fuzz_get"]

    original = WSGIRequest._load_post_and_files

    def recorded_post(self: WSGIRequest) -> None:
        original(self)
        wrapped = _RecordingPost(mutable=True)
        for key, values in self._post.lists():
            wrapped.setlist(key, values)
        wrapped._mutable = False
        self._post = wrapped

    monkeypatch.setattr(WSGIRequest, "GET", property(recorded_get))
    monkeypatch.setattr(WSGIRequest, "_load_post_and_files", recorded_post)


# --- forms and links on a page ---------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self.link_keys: set[str] = set()
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href", "").startswith("?"):
            self.link_keys |= set(QueryDict(a["href"][1:]).keys())
        if tag == "form":
            self.forms.append(Form(action=a.get("action", ""), method=a.get("method", "get")))
            return
        if not self.forms or "name" not in a:
            return
        form, name = self.forms[-1], a["name"]
        if tag == "input":
            kind = a.get("type", "text")
            if kind == "file":
                form.files.append(name)
            elif kind == "submit":
                form.buttons.append((name, a.get("value", "")))
            elif kind not in ("checkbox", "radio") or "checked" in a:
                form.fields.setdefault(name, a.get("value", ""))
            else:
                form.fields.setdefault(name, "")
        elif tag == "button":
            form.buttons.append((name, a.get("value", "")))
        elif tag == "select":
            self._select = name
            form.fields.setdefault(name, "")
        elif tag == "option" and self._select and not form.fields.get(self._select):
            form.fields[self._select] = a.get("value", "")
        elif tag == "textarea":
            form.fields.setdefault(name, "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def page_of(html: str) -> _PageParser:
    parser = _PageParser()
    parser.feed(html)
    return parser


# --- the URL conf, filled with real objects --------------------------------------------------


def walk(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def _first(label: str, attr: str = "pk", **filters: Any) -> Callable[[], str | None]:
    def value() -> str | None:
        found = apps.get_model(label).objects.filter(**filters).order_by("pk").first()
        return None if found is None else str(getattr(found, attr))

    return value


def _reset_link() -> tuple[str, str]:
    """The two halves of a real password-reset link, for the teacher."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = apps.get_model("accounts.User").objects.get(username="teacher")
    return urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)


def _policy_draft() -> str | None:
    """The demo publishes its policy and keeps no draft: an uploaded one stands in."""
    from tests.page_catalogue import _policy_draft as draft

    return str(draft().pk)


SITE = _first("sites.Site")
HOSTED = _first("sites.Site", host="school")
# route -> parameter -> a real value. A page with a parameter not listed here fails the test.
FILL: dict[str, dict[str, Callable[[], str | None]]] = {
    "policy/o/<slug:slug>/": {"slug": _first("accounts.Organisation", "slug")},
    "policy/versions/<int:pk>/": {"pk": _first("policy.PolicyVersion", status="published")},
    "policy/drafts/<int:pk>/": {"pk": _policy_draft},
    "policy/drafts/<int:pk>/clauses/<str:number>/": {"pk": _policy_draft, "number": lambda: "5.3"},
    "policy/drafts/<int:pk>/publish/": {"pk": _policy_draft},
    "policy/drafts/<int:pk>/discard/": {"pk": _policy_draft},
    "outbox/<int:pk>/": {"pk": _first("notifications.OutboxMessage")},
    "approvals/<int:pk>/": {"pk": _first("approvals.ApprovalRequest")},
    "community/<int:pk>/report/<int:contribution_pk>/": {
        "pk": HOSTED,
        "contribution_pk": _first("community.Contribution"),
    },
    "community/<int:pk>/<str:kind>/": {"pk": HOSTED, "kind": lambda: "house_rules"},
    "community/images/<int:pk>/": {"pk": _first("community.Image")},
    "community/logos/<int:pk>.svg": {"pk": _first("accounts.School")},
    "accounts/password/reset/<uidb64>/<token>/": {
        "uidb64": lambda: _reset_link()[0],
        "token": lambda: _reset_link()[1],
    },
    "accounts/roles/<int:pk>/confirm/": {"pk": _first("accounts.RoleAssignment")},
    "moderation/safeguarding/<int:pk>/": {"pk": _first("moderation.ReviewItem")},
    "safeguarding/received/<str:reference>/": {
        "reference": _first("safeguarding.Concern", "reference")
    },
    "safeguarding/my-actions/<int:pk>/done/": {"pk": _first("safeguarding.ConcernAction")},
    "safeguarding/from-review-item/<int:item_pk>/": {"item_pk": _first("moderation.ReviewItem")},
    "safeguarding/<int:pk>/evidence/<int:evidence_pk>/": {
        "pk": _first("safeguarding.Concern"),
        "evidence_pk": _first("safeguarding.ConcernEvidence"),
    },
    "cases/report-breach/<slug:slug>/": {"slug": _first("accounts.Organisation", "slug")},
    "cases/reports/<int:pk>/": {"pk": _first("cases.BreachReport")},
    "cases/<int:pk>/evidence/<int:evidence_pk>/": {
        "pk": _first("cases.BreachCase"),
        "evidence_pk": _first("cases.CaseEvidence"),
    },
    "cases/access/<int:pk>/revoke/": {"pk": _first("cases.CaseAccess")},
    "cases/media/<int:pk>/": {"pk": _first("cases.MediaEnquiry")},
    "admin/r/<path:content_type_id>/<path:object_id>/": {
        "content_type_id": _first("contenttypes.ContentType", model="school"),
        "object_id": _first("accounts.School"),
    },
    "admin/accounts/user/<id>/password/": {"id": _first("accounts.User")},
}
PREFIX_FILL = {  # every page under a prefix takes its <pk> from one model
    "sites/<int:pk>/": SITE,
    "lexicon/sites/<int:pk>/": SITE,
    "moderation/<int:pk>/": _first("moderation.ReviewItem"),
    "community/<int:pk>/": HOSTED,
    "safeguarding/<int:pk>/": _first("safeguarding.Concern"),
    "cases/<int:pk>/": _first("cases.BreachCase"),
    "integrations/roster/<int:pk>/": _first("integrations.RosterImport"),
    "monitoring/findings/<int:pk>/": _first("monitoring.MonitoringFinding"),
    "monitoring/runs/<int:pk>/": _first("monitoring.IngestRun"),
    "monitoring/sources/<int:pk>/": _first("monitoring.LogSource"),
}
PARAM = re.compile(r"<(?:\w+:)?(\w+)>")
ADMIN_OBJECT = re.compile(r"^admin/(\w+)/(\w+)/<path:object_id>/")


def fillers_for(route: str) -> dict[str, Callable[[], str | None]]:
    fillers = dict(FILL.get(route, {}))
    for prefix, filler in PREFIX_FILL.items():
        if route.startswith(prefix):
            fillers.setdefault("pk", filler)
    if admin := ADMIN_OBJECT.match(route):
        fillers.setdefault("object_id", _first(f"{admin[1]}.{admin[2]}"))
    return fillers


def fill(route: str) -> str | None:
    """The route with every parameter replaced by a real value; None where no such object exists
    in the demo data. Raises KeyError for a parameter nobody said how to fill."""
    names = PARAM.findall(route)
    if not names:
        return "/" + route
    fillers = fillers_for(route)
    if set(names) - set(fillers):
        return None  # test_every_route_has_a_filling names it
    values = {name: fillers[name]() for name in names}
    if None in values.values():
        return None
    return "/" + PARAM.sub(lambda m: values[m[1]], route)


def pages() -> list[str]:
    urls = []
    for route, _pattern in walk(get_resolver()):
        if route.startswith("api/") or "(?P<" in route or route.startswith("^"):
            continue  # the API has its own fuzzer (test_fuzz_api); regex catch-alls have no page
        url = fill(route)
        if url is not None:
            urls.append(url)
    return urls


# --- the fuzzer ------------------------------------------------------------------------------


@dataclass
class Tally:
    requests: int = 0
    failures: list[str] = field(default_factory=list)
    urls: set[str] = field(default_factory=set)
    values: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # by page, to keep the run short


def _send(client: Client, tally: Tally, method: str, url: str, data: Any = None) -> Any:
    tally.requests += 1
    started = time.perf_counter()
    try:
        response = getattr(client, method)(url, data) if data is not None else client.get(url)
    except Exception as error:  # raised out of the view: the server would have answered 500
        tally.failures.append(f"{method.upper()} {url} {_short(data)}: {error!r}"[:400])
        return None
    finally:
        page = urlsplit(url).path
        tally.seconds[page] = tally.seconds.get(page, 0) + time.perf_counter() - started
    if response.status_code >= 500:
        tally.failures.append(f"{method.upper()} {url} {_short(data)}: {response.status_code}")
    return response


def _short(data: Any) -> str:
    if not data:
        return ""
    return repr({k: (v[:20] if isinstance(v, str) else "<file>") for k, v in data.items()})[:200]


def _fuzz_query(client: Client, tally: Tally, url: str, keys: set[str], values: list[str]) -> None:
    for key in sorted(keys):
        for value in values:
            _send(client, tally, "get", f"{url}?{urlencode({key: value})}")


def _fuzz_form(client: Client, tally: Tally, url: str, form: Form, extra: set[str]) -> None:
    """Every field hostile at once, once per value; then each field alone, with the other
    fields as the page filled them, so a check that stops at the first bad field is passed."""
    target = urljoin(url, form.action or url)
    if urlsplit(target).netloc or NO_POST.search(target) or target.startswith("/api/"):
        return
    base = {**form.fields, **dict(form.buttons[:1])}
    names = sorted((set(base) | extra) - {"csrfmiddlewaretoken"})
    for value in HOSTILE_POST:
        _send(client, tally, "post", target, {**base, **dict.fromkeys(names, value)})
    # Django's admin forms are Django's own code, and slow to render: all-at-once only there.
    alone = [] if target.startswith("/admin/") else names[:: max(1, len(names) // FIELDS_ALONE)]
    for i, name in enumerate(alone):
        _send(client, tally, "post", target, {**base, name: HOSTILE_POST[i % len(HOSTILE_POST)]})
    for button in form.buttons[1:]:  # each other button once, every empty field filled
        noisy = {k: ("abc" if v == "" else v) for k, v in base.items()}
        _send(client, tally, "post", target, {**noisy, button[0]: button[1]})
    for name, (filename, content) in itertools.product(form.files, HOSTILE_FILES):
        upload = io.BytesIO(content)
        upload.name = filename
        _send(client, tally, "post", target, {**base, name: upload})


@dataclass
class Probe:
    status: int
    keys: set[str]
    forms: list[Form]


def probe_page(client: Client, tally: Tally, url: str) -> Probe | None:
    """One plain request that records which query keys the view reads and what forms it shows."""
    _read["GET"].clear()
    response = _send(client, tally, "get", f"{url}?_probe=1")
    if response is None:
        return None
    keys = set(_read["GET"]) - {"_probe"}
    forms: list[Form] = []
    if response.status_code == 200 and "html" in response.get("Content-Type", ""):
        parsed = page_of(response.content.decode(errors="replace"))
        keys |= parsed.link_keys
        forms = parsed.forms
        for form in forms:
            if form.method.lower() == "get":
                keys |= set(form.fields)
    if url.startswith("/admin/") and url.count("/") == 4:
        keys |= set(ADMIN_KEYS)  # a change list
    return Probe(response.status_code, keys, forms)


def fuzz_page(client: Client, tally: Tally, url: str, probe: Probe, values: list[str]) -> None:
    _fuzz_query(client, tally, url, probe.keys, values)
    tally.values += len(probe.keys) * len(values)
    for form in probe.forms:
        if form.method.lower() != "post":
            continue
        _read["POST"].clear()
        target = urljoin(url, form.action or url)
        if not NO_POST.search(target) and not target.startswith("/api/"):
            _send(client, tally, "post", target, {**form.fields, **dict(form.buttons[:1])})
        _fuzz_form(client, tally, url, form, set(_read["POST"]) - set(form.fields))


@pytest.fixture
def federation(db: None) -> dict[str, Any]:
    from socialguard.accounts.models import User
    from socialguard.core.demo import demo_federation_load
    from socialguard.core.tests.factories import OrganisationFactory, person_with_roles

    demo_federation_load()
    other = OrganisationFactory(name="Downs Valley Trust", slug="downs")
    person_with_roles("head_teacher", organisation=other, username="outsider")
    return {u.username: u for u in User.objects.filter(username__in=ROLES)}


def test_every_route_has_a_filling() -> None:
    """A new page whose parameters the fuzzer cannot fill fails here, not silently unfuzzed."""
    unknown = []
    for route, _pattern in walk(get_resolver()):
        if route.startswith("api/") or "(?P<" in route or route.startswith("^"):
            continue
        missing = set(PARAM.findall(route)) - set(fillers_for(route))
        if missing:
            unknown.append(f"{route}: {sorted(missing)}")
    assert unknown == []


def test_no_page_answers_5xx_to_hostile_input(federation, recording) -> None:  # type: ignore[no-untyped-def]
    """Every page is probed as every role; then fuzzed as the first two roles (in an order that
    rotates from page to page) that it opened for, or as the first role at all if none did:
    the first with every hostile value, the second with a sample."""
    tally = Tally()
    urls = pages()
    assert len(urls) > 60, urls
    clients = {role: Client() for role in ROLES}
    for role, client in clients.items():
        if role != "anonymous":
            client.force_login(federation[role])
    quiet = logging.getLogger("django.request")
    level, quiet.level = quiet.level, logging.CRITICAL  # 400s log a warning each; 5xx are kept
    try:
        for index, url in enumerate(urls):
            order = ROLES[index % len(ROLES) :] + ROLES[: index % len(ROLES)]
            probes = {role: probe_page(clients[role], tally, url) for role in order}
            opened = [r for r in order if (p := probes[r]) is not None and p.status == 200]
            chosen = opened[:2] or order[:1]
            for role, values in zip(chosen, (HOSTILE, HOSTILE[1:6:2]), strict=False):
                probe = probes[role]
                if probe is not None:
                    tally.urls.add(url)
                    fuzz_page(clients[role], tally, url, probe, values)
                if role != "anonymous":  # a fuzzed form may have signed the client out
                    clients[role].force_login(federation[role])
    finally:
        quiet.level = level
    print(
        f"\nfuzzed {len(tally.urls)} URLs, probed as {len(ROLES)} roles, fuzzed as up to 2: "
        f"{tally.values} key x value pairs, {tally.requests} requests, "
        f"{len(tally.failures)} answered 5xx; slowest pages (s): "
        + ", ".join(
            f"{p} {t:.1f}" for p, t in sorted(tally.seconds.items(), key=lambda x: -x[1])[:6]
        )
    )
    assert tally.failures == [], "\n".join(tally.failures[:80])
