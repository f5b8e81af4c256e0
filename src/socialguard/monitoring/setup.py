"""What the engine needs to know about a school, read from the database once before a run:
people and how the proxy names them, categories, contracted hours, term dates, leases, and the
screening of pupils' searches (A.2.3)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date, time, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings as django_settings

from socialguard.accounts.models import STAFF_ROLES, Organisation, Role, RoleAssignment, User
from socialguard.monitoring.ingest.pipeline import Person, Setup
from socialguard.monitoring.models import (
    AddressLease,
    DomainCategory,
    LogSource,
    MatchUsersBy,
    TermDate,
    UserAlias,
    WorkingHours,
)

DEFAULTS_FILE = Path(__file__).parent / "data" / "domains.csv"
DEFAULT_HOURS = [(day, 8 * 60, 17 * 60) for day in range(5)]  # Monday to Friday, 08:00-17:00
LARGEST_LEASE = 65536  # a /16: larger ranges are not one device
# A search is two or three words, far shorter than the messages the meaning model was tuned on,
# and on such words it is often sure and wrong (measured: "roman soldiers" read as
# radicalisation at 0.98, "fortnite update" as grooming at 0.84, with round 2 of the models;
# round 3 still reads "minecraft skins" as grooming at 0.79). So for searches the model alone
# makes a finding for the leads to triage at 0.9, and reaches the DSL at once only at 0.99 or
# with a rule's evidence (the safeguarding phrases).
SEMANTIC_ONLY_FLAGS_AT = 0.9
SEMANTIC_ONLY_ESCALATES_AT = 0.99


@cache
def shipped_categories() -> dict[str, str]:
    with DEFAULTS_FILE.open(encoding="utf-8") as handle:
        return {row["domain"].strip().lower(): row["category"] for row in csv.DictReader(handle)}


def domain_categories(*, organisation: Organisation) -> dict[str, str]:
    """Shipped defaults, then rows with no organisation, then the school's own (which win)."""
    found = dict(shipped_categories())
    rows = DomainCategory.objects.filter(organisation__isnull=True).values_list(
        "domain", "category"
    )
    found.update((d.lower(), c) for d, c in rows)
    own = DomainCategory.objects.filter(organisation=organisation).values_list("domain", "category")
    found.update((d.lower(), c) for d, c in own)
    return found


def _roles(organisation: Organisation) -> dict[int, set[str]]:
    today = date.today()
    current = RoleAssignment.objects.filter(
        organisation=organisation, starts_on__lte=today
    ).exclude(ends_on__lte=today)
    roles: dict[int, set[str]] = {}
    for user_id, role in current.values_list("user_id", "role"):
        roles.setdefault(user_id, set()).add(role)
    return roles


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def _hours(organisation: Organisation, staff: dict[int, set[str]]) -> dict[int, list[Any]]:
    by_role: dict[str, list[tuple[int, int, int]]] = {}
    by_user: dict[int, list[tuple[int, int, int]]] = {}
    for row in WorkingHours.objects.filter(organisation=organisation):
        span = (row.weekday, _minutes(row.starts), _minutes(row.ends))
        if row.user_id:
            by_user.setdefault(row.user_id, []).append(span)
        else:
            by_role.setdefault(row.role, []).append(span)
    hours: dict[int, list[Any]] = {}
    for user_id, roles in staff.items():
        spans = by_user.get(user_id) or [s for r in sorted(roles) for s in by_role.get(r, [])]
        hours[user_id] = spans or list(DEFAULT_HOURS)
    return hours


def _term_days(organisation: Organisation) -> list[date] | None:
    terms = list(TermDate.objects.filter(organisation=organisation))
    if not terms:
        return None
    days: set[date] = set()
    for term in terms:
        day = term.starts_on
        while day <= term.ends_on:
            days.add(day)
            day += timedelta(days=1)
    return sorted(days)


def ip_to_int(ip: str) -> int:
    a, b, c, d = (int(p) for p in ip.split("."))
    return (a << 24) | (b << 16) | (c << 8) | d


def _leases(source: LogSource) -> pl.DataFrame | None:
    rows = list(
        AddressLease.objects.filter(source=source, user__isnull=False).values_list(
            "first_ip_int", "last_ip_int", "starts_at", "ends_at", "user_id"
        )
    )
    if not rows:
        return None
    frame = pl.DataFrame(
        rows, schema=["first", "last", "starts_at", "ends_at", "lease_user_id"], orient="row"
    )
    frame = frame.filter(pl.col("last") - pl.col("first") < LARGEST_LEASE)
    return (
        frame.with_columns(ip_int=pl.int_ranges("first", pl.col("last") + 1))
        .explode("ip_int")
        .select(
            ip=pl.concat_str(
                [(pl.col("ip_int") // 256**k % 256).cast(pl.String) for k in (3, 2, 1, 0)],
                separator=".",
            ),
            starts_at=pl.col("starts_at").cast(pl.Datetime("ms", "UTC")),
            ends_at=pl.col("ends_at").cast(pl.Datetime("ms", "UTC")),
            lease_user_id=pl.col("lease_user_id").cast(pl.Int64),
        )
        .sort("starts_at")
    )


def search_screen() -> Any:
    """Screens pupils' searches (A.2.3) with the screening engine, as a pupil's own words."""
    from socialguard.screening import categories as registry
    from socialguard.screening.base import Context
    from socialguard.screening.engine import Screener

    screener = Screener.default()
    context = Context(audience="personal", author_role="pupil")

    def screen(texts: list[str]) -> list[dict[str, Any]]:
        verdicts = screener.screen_many(texts, context) if texts else []
        return [_verdict(v, registry) for v in verdicts]

    return screen


def _verdict(verdict: Any, registry: Any) -> dict[str, Any]:
    findings = [
        {
            "category": f.category,
            "detector": f.detector,
            "score": round(f.score, 3),
            "explanation": f.explanation,
        }
        for f in verdict.findings
    ]
    safeguarding = [f for f in findings if registry.category(f["category"]).safeguarding]
    rules = [f for f in safeguarding if f["detector"] != "semantic"]
    flagged = rules or [f for f in safeguarding if f["score"] >= SEMANTIC_ONLY_FLAGS_AT]
    sure = rules or [f for f in safeguarding if f["score"] >= SEMANTIC_ONLY_ESCALATES_AT]
    return {
        "flag": verdict.action != "allow" and bool(flagged),
        "action": verdict.action,
        "escalate": bool("dsl" in verdict.escalate and sure),
        "category": (sure or flagged or [{"category": "other"}])[0]["category"],
        "categories": sorted({f["category"] for f in findings}),
        "findings": findings,
    }


def _names(source: LogSource, people: Iterable[tuple[int, Any, str, str]]) -> dict[str, int]:
    """``people``: (id, school id, username, e-mail) of each active person, as ``setup_for``
    reads them."""
    names: dict[str, int] = {}
    by_email = source.match_users_by == MatchUsersBy.EMAIL
    for user_id, _, username, email in people:
        key = email if by_email else username
        if key:
            names[key.strip().lower()] = user_id
    for proxy_name, user_id in UserAlias.objects.filter(source=source).values_list(
        "proxy_name", "user_id"
    ):
        names[proxy_name.strip().lower()] = user_id
    return names


def setup_for(*, source: LogSource, screen: Any = None) -> Setup:
    organisation = source.organisation
    roles = _roles(organisation)
    # Rows, not model instances: a school has a thousand people or more, read at every run.
    users = list(
        User.objects.filter(organisation=organisation, is_active=True).values_list(
            "pk", "school_id", "username", "email"
        )
    )
    people = {}
    staff: dict[int, set[str]] = {}
    for user_id, school_id, _, _ in users:
        held = roles.get(user_id, set())
        is_pupil = Role.PUPIL in held and not held & STAFF_ROLES
        people[user_id] = Person(user_id, is_pupil, school_id)
        if not is_pupil:
            staff[user_id] = held & STAFF_ROLES or {Role.STAFF}
    return Setup(
        zone=django_settings.TIME_ZONE,
        names=_names(source, users),
        people=people,
        categories=domain_categories(organisation=organisation),
        hours=_hours(organisation, staff),
        term_days=_term_days(organisation),
        leases=_leases(source),
        screen=screen if screen is not None else search_screen(),
    )
