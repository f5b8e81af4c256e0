"""What is done with each parsed chunk, all in Polars: attribution (proxy user name, else the
address lease covering that address at that time; otherwise unattributed, never guessed),
categories by domain suffix, the day totals, and the candidates for findings (6.13, 6.11, A.2.3).

Python runs per distinct value (a host, a user name, a search), never per line. Memory stays
bounded: a chunk is dropped once it is summed; what is kept grows with people and minutes, not
with lines."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import unquote_plus

import numpy as np
import polars as pl

EVIDENCE_PER_FINDING = 20
EDIT_EVIDENCE = 50
BAD_LINE_NUMBERS = 10
SEARCH_ENGINES = r"(^|\.)(google\.[a-z.]+|bing\.com|duckduckgo\.com|youtube\.com)$"
SEARCH_QUERY = r"[?&](?:q|search_query)=([^&#]*)"
EDIT_MARKERS = r"[?&]action=(?:edit|submit)(?:&|$)"
HIT_SCHEMA = pl.Schema({"user_id": pl.Int64(), "minute": pl.Datetime("ms", "UTC")})


@dataclass
class Person:
    user_id: int
    is_pupil: bool
    school_id: int | None


@dataclass
class Setup:
    """Everything the engine needs to know about the school, read once before a run."""

    zone: str
    names: Mapping[str, int]  # proxy name (lower case) -> user id: aliases, then username/e-mail
    people: Mapping[int, Person]
    categories: Mapping[str, str]  # domain -> category
    # contracted hours per staff member: user id -> [(weekday, start minute, end minute)]
    hours: Mapping[int, list[tuple[int, int, int]]]
    term_days: list[date] | None  # None: no term dates set, every day is a term day
    leases: pl.DataFrame | None = None  # ip_int, starts_at, ends_at, user_id (sorted by starts)
    screen: Callable[[list[str]], list[dict[str, Any]]] | None = None  # searches -> verdicts


@dataclass
class Evidence:
    line_number: int
    at: datetime | None
    line: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.line.encode()).hexdigest()


@dataclass
class Results:
    lines: int = 0
    bad: int = 0
    bad_line_numbers: list[int] = field(default_factory=list)
    unattributed: int = 0
    encrypted_encyclopaedia: int = 0
    encrypted_pupil_search: int = 0
    totals: dict[tuple[date, str, str], list[int]] = field(default_factory=dict)
    social_minutes: list[pl.DataFrame] = field(default_factory=list)
    social_hits: dict[tuple[int, date], dict[str, int]] = field(default_factory=dict)
    social_evidence: dict[tuple[int, date], list[Evidence]] = field(default_factory=dict)
    edits: dict[tuple[str, date, str], dict[str, Any]] = field(default_factory=dict)
    searches: dict[tuple[int, date, str], dict[str, Any]] = field(default_factory=dict)

    def social_weeks(self, zone: str) -> pl.DataFrame:
        """Distinct minutes with a hit, per person, week and day (6.13's measure)."""
        if not self.social_minutes:
            return pl.DataFrame(
                schema={"user_id": pl.Int64, "week": pl.Date, "day": pl.Date, "minutes": pl.UInt32}
            )
        local = pl.col("minute").dt.convert_time_zone(zone).dt.date()
        return (
            pl.concat(self.social_minutes)
            .unique()
            .with_columns(day=local)
            .with_columns(week=pl.col("day") - pl.duration(days=pl.col("day").dt.weekday() - 1))
            .group_by("user_id", "week", "day")
            .agg(minutes=pl.len(), first=pl.col("minute").min(), last=pl.col("minute").max())
        )


def category_of(host: str, categories: Mapping[str, str]) -> str:
    """A domain matches itself and every sub-domain: ``m.facebook.com`` is ``facebook.com``;
    the longest listed suffix wins (``mail.google.com`` is web mail, ``google.com`` search)."""
    parts = host.lower().strip(".").split(".")
    for i in range(len(parts)):
        found = categories.get(".".join(parts[i:]))
        if found:
            return found
    return "other"


def line_texts(data: bytes, indices: list[int]) -> dict[int, str]:
    """The raw text of a few lines of a chunk, by their 0-based index."""
    if not indices:
        return {}
    ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
    texts = {}
    for i in indices:
        start = int(ends[i - 1]) + 1 if i else 0
        texts[i] = data[start : int(ends[i])].decode("utf-8", "replace").rstrip("\r")
    return texts


class Pipeline:
    def __init__(self, setup: Setup) -> None:
        self.setup = setup
        self.results = Results()
        self._host_category: dict[str, str] = {}
        self._verdicts: dict[str, dict[str, Any]] = {}
        self._names = pl.DataFrame(
            {"user": list(setup.names), "name_user_id": list(setup.names.values())},
            schema={"user": pl.String, "name_user_id": pl.Int64},
        )
        people = list(setup.people.values())
        self._people = pl.DataFrame(
            {
                "user_id": [p.user_id for p in people],
                "is_pupil": [p.is_pupil for p in people],
            },
            schema={"user_id": pl.Int64, "is_pupil": pl.Boolean},
        )
        rows = [(u, d, s, e) for u, spans in setup.hours.items() for d, s, e in spans]
        self._hours = pl.DataFrame(
            rows, schema=["user_id", "weekday", "start", "end"], orient="row"
        ).cast({"user_id": pl.Int64, "weekday": pl.Int8, "start": pl.Int32, "end": pl.Int32})
        self._terms = (
            pl.Series("d", setup.term_days, dtype=pl.Date) if setup.term_days is not None else None
        )

    # -- one chunk --------------------------------------------------------------------------

    def feed(self, frame: pl.DataFrame, data: bytes, first_line: int) -> None:
        results = self.results
        results.lines += frame.height
        bad = frame.filter(pl.col("bad"))
        if bad.height:
            results.bad += bad.height
            room = BAD_LINE_NUMBERS - len(results.bad_line_numbers)
            if room > 0:
                numbers = (bad["idx"].head(room) + first_line).to_list()
                results.bad_line_numbers.extend(int(n) for n in numbers)
        good = frame.filter(~pl.col("bad")).drop("bad")
        if good.height == 0:
            return
        good = self._categorise(self._attribute(good))
        local = pl.col("ts").dt.convert_time_zone(self.setup.zone)
        good = good.with_columns(local=local).with_columns(day=pl.col("local").dt.date())
        results.unattributed += int(good["user_id"].null_count())
        self._totals(good)
        texts_wanted: list[int] = []
        social = self._social(good)
        edits = self._edits(good)
        searches = self._searches(good)
        for part in (social, edits, searches):
            if part is not None:
                texts_wanted.extend(part["idx"].to_list())
        texts = line_texts(data, sorted(set(texts_wanted)))
        if social is not None:
            self._keep_social(social, texts, first_line)
        if edits is not None:
            self._keep_edits(edits, texts, first_line)
        if searches is not None:
            self._keep_searches(searches, texts, first_line)

    def _attribute(self, good: pl.DataFrame) -> pl.DataFrame:
        frame = good.join(self._names, on="user", how="left").rename({"name_user_id": "user_id"})
        leases = self.setup.leases
        if leases is not None and leases.height and frame["user_id"].null_count():
            octets = pl.col("ip").str.split_exact(".", 3)
            ip_int = (
                octets.struct.field("field_0").cast(pl.Int64, strict=False) * 16777216
                + octets.struct.field("field_1").cast(pl.Int64, strict=False) * 65536
                + octets.struct.field("field_2").cast(pl.Int64, strict=False) * 256
                + octets.struct.field("field_3").cast(pl.Int64, strict=False)
            )
            frame = (
                frame.with_columns(ip_int=ip_int)
                .sort("ts")
                .join_asof(
                    leases,
                    left_on="ts",
                    right_on="starts_at",
                    by_left="ip_int",
                    by_right="ip_int",
                    strategy="backward",
                    check_sortedness=False,
                )
                .with_columns(
                    user_id=pl.coalesce(
                        "user_id",
                        pl.when(pl.col("ts") < pl.col("ends_at")).then(pl.col("lease_user_id")),
                    )
                )
                .drop("ip_int", "starts_at", "ends_at", "lease_user_id")
                .sort("idx")
            )
        frame = frame.join(self._people, on="user_id", how="left")
        audience = (
            pl.when(pl.col("user_id").is_null())
            .then(pl.lit("unattributed"))
            .when(pl.col("is_pupil"))
            .then(pl.lit("pupil"))
            .otherwise(pl.lit("staff"))
        )
        return frame.with_columns(audience=audience)

    def _category_of(self, host: str) -> str:
        found = self._host_category.get(host)
        if found is None:
            found = self._host_category[host] = category_of(host, self.setup.categories)
        return found

    def _categorise(self, frame: pl.DataFrame) -> pl.DataFrame:
        hosts = frame["host"].drop_nulls().unique().to_list()
        table = pl.DataFrame(
            {"host": hosts, "category": [self._category_of(h) for h in hosts]},
            schema={"host": pl.String, "category": pl.String},
        )
        return frame.join(table, on="host", how="left").with_columns(
            pl.col("category").fill_null("other")
        )

    def _totals(self, good: pl.DataFrame) -> None:
        grouped = good.group_by("day", "category", "audience").agg(
            hits=pl.len(), bytes=pl.col("bytes").sum()
        )
        for day, category, audience, hits, size in grouped.iter_rows():
            entry = self.results.totals.setdefault((day, category, audience), [0, 0])
            entry[0] += int(hits)
            entry[1] += int(size or 0)

    # -- 6.13 -------------------------------------------------------------------------------

    def _social(self, good: pl.DataFrame) -> pl.DataFrame | None:
        rows = good.filter((pl.col("category") == "social_media") & (pl.col("audience") == "staff"))
        if rows.height == 0 or self._hours.height == 0:
            return None
        if self._terms is not None:
            rows = rows.filter(pl.col("day").is_in(self._terms.implode()))
        rows = rows.with_columns(
            weekday=(pl.col("local").dt.weekday() - 1).cast(pl.Int8),
            minute_of_day=(pl.col("local").dt.hour().cast(pl.Int32) * 60)
            + pl.col("local").dt.minute().cast(pl.Int32),
        )
        within = rows.join(self._hours, on=["user_id", "weekday"], how="inner").filter(
            (pl.col("minute_of_day") >= pl.col("start")) & (pl.col("minute_of_day") < pl.col("end"))
        )
        if within.height == 0:
            return None
        within = within.unique("idx", keep="first", maintain_order=True).with_columns(
            week=pl.col("day") - pl.duration(days=pl.col("weekday").cast(pl.Int64)),
            minute=pl.col("ts").dt.truncate("1m"),
        )
        self.results.social_minutes.append(
            within.select(pl.col("user_id"), pl.col("minute")).unique().cast(HIT_SCHEMA)
        )
        per_domain = within.group_by("user_id", "week", "host").agg(hits=pl.len())
        for user_id, week, host, hits in per_domain.iter_rows():
            by_domain = self.results.social_hits.setdefault((user_id, week), {})
            by_domain[host] = by_domain.get(host, 0) + int(hits)
        return within.group_by("user_id", "week", maintain_order=True).head(EVIDENCE_PER_FINDING)

    def _keep_social(self, rows: pl.DataFrame, texts: dict[int, str], first_line: int) -> None:
        for idx, user_id, week, ts in rows.select("idx", "user_id", "week", "ts").iter_rows():
            kept = self.results.social_evidence.setdefault((user_id, week), [])
            if len(kept) < EVIDENCE_PER_FINDING:
                kept.append(Evidence(first_line + idx, ts, texts[idx]))

    # -- 6.11 -------------------------------------------------------------------------------

    def _edits(self, good: pl.DataFrame) -> pl.DataFrame | None:
        rows = good.filter(
            (pl.col("category") == "encyclopaedia") & (pl.col("audience") != "pupil")
        )
        if rows.height == 0:
            return None
        connect = pl.col("method") == "CONNECT"
        self.results.encrypted_encyclopaedia += int(rows.filter(connect).height)
        edits = rows.filter(
            ~connect & ((pl.col("method") == "POST") | pl.col("url").str.contains(EDIT_MARKERS))
        )
        return edits if edits.height else None

    def _keep_edits(self, rows: pl.DataFrame, texts: dict[int, str], first_line: int) -> None:
        columns = ("idx", "user_id", "ip", "day", "host", "ts", "method", "url")
        for idx, user_id, ip, day, host, ts, method, url in rows.select(columns).iter_rows():
            who = f"user:{user_id}" if user_id is not None else f"ip:{ip}"
            entry = self.results.edits.setdefault(
                (who, day, host),
                {"user_id": user_id, "ip": ip, "first": ts, "urls": [], "evidence": [], "n": 0},
            )
            entry["n"] += 1
            if len(entry["evidence"]) < EDIT_EVIDENCE:
                entry["evidence"].append(Evidence(first_line + idx, ts, texts[idx]))
                entry["urls"].append(f"{method} {url}")

    # -- A.2.3 ------------------------------------------------------------------------------

    def _searches(self, good: pl.DataFrame) -> pl.DataFrame | None:
        rows = good.filter(
            (pl.col("audience") == "pupil") & pl.col("host").str.contains(SEARCH_ENGINES)
        )
        if rows.height == 0 or self.setup.screen is None:
            return None
        connect = pl.col("method") == "CONNECT"
        self.results.encrypted_pupil_search += int(rows.filter(connect).height)
        rows = (
            rows.filter(~connect)
            .with_columns(q=pl.col("url").str.extract(SEARCH_QUERY, 1))
            .filter(pl.col("q").is_not_null() & (pl.col("q") != ""))
        )
        if rows.height == 0:
            return None
        new = [q for q in rows["q"].unique().to_list() if q not in self._verdicts]
        if new:
            decoded = [" ".join(unquote_plus(q).split())[:300] for q in new]
            for q, text, verdict in zip(new, decoded, self.setup.screen(decoded), strict=True):
                self._verdicts[q] = {**verdict, "query": text}
        flagged = [q for q, v in self._verdicts.items() if v.get("flag")]
        if not flagged:
            return None
        rows = rows.filter(pl.col("q").is_in(flagged))
        return rows if rows.height else None

    def _keep_searches(self, rows: pl.DataFrame, texts: dict[int, str], first_line: int) -> None:
        columns = ("idx", "user_id", "day", "q", "ts", "host")
        for idx, user_id, day, q, ts, host in rows.select(columns).iter_rows():
            verdict = self._verdicts[q]
            entry = self.results.searches.setdefault(
                (user_id, day, verdict["query"].lower()),
                {"user_id": user_id, "first": ts, "host": host, "verdict": verdict, "evidence": []},
            )
            if len(entry["evidence"]) < EVIDENCE_PER_FINDING:
                entry["evidence"].append(Evidence(first_line + idx, ts, texts[idx]))


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())
