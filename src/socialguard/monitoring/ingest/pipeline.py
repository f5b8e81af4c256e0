"""What is done with each parsed chunk, all in Polars: attribution (proxy user name, else the
address lease covering that address at that time; otherwise unattributed, never guessed),
categories by domain suffix, the day totals, and the candidates for findings (6.13, 6.11, A.2.3).

Python runs per distinct value (a host, a user name, a search), never per line. Memory stays
bounded: a chunk is dropped once it is summed; what is kept grows with people and minutes, not
with lines."""

from __future__ import annotations

import hashlib
import queue
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any
from urllib.parse import unquote_plus
from zoneinfo import ZoneInfo

import polars as pl

from socialguard.monitoring.ingest.reader import Chunk

EVIDENCE_PER_FINDING = 20
EDIT_EVIDENCE = 50
BAD_LINE_NUMBERS = 10
SEARCH_ENGINES = re.compile(r"(^|\.)(google\.[a-z.]+|bing\.com|duckduckgo\.com|youtube\.com)$")
SEARCH_QUERY = r"[?&](?:q|search_query)=([^&#]*)"
EDIT_MARKERS = r"[?&]action=(?:edit|submit)(?:&|$)"
# Who made a request, as a small code per line (the day totals name them): nobody identified, a
# pupil, or a member of staff (anyone identified who is not a pupil).
UNATTRIBUTED, PUPIL, STAFF = 0, 1, 2
AUDIENCES = {UNATTRIBUTED: "unattributed", PUPIL: "pupil", STAFF: "staff"}
AUTHORITY_SCHEMA = pl.Schema(
    {
        "host": pl.String(),
        "bare_host": pl.String(),
        "category": pl.String(),
        "search_engine": pl.Boolean(),
    }
)
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
    leases: pl.DataFrame | None = None  # ip (dotted), starts_at, ends_at, lease_user_id
    screen: Callable[[list[str]], list[dict[str, Any]]] | None = None  # searches -> verdicts


@dataclass
class Prepared:
    """What one chunk adds to the run, worked out without reference to any other chunk."""

    chunk: Chunk
    lines: int
    bad: pl.Series  # 0-based indices of the lines that could not be read
    unattributed: int = 0
    totals: pl.DataFrame | None = None  # day, category, audience, hits, bytes
    social_minutes: pl.DataFrame | None = None  # user_id, minute (distinct)
    social_domains: pl.DataFrame | None = None  # user_id, week, host, hits
    social_lines: pl.DataFrame | None = None  # the first lines per person and week
    edits: pl.DataFrame | None = None
    encrypted_encyclopaedia: int = 0
    searches: pl.DataFrame | None = None  # pupils' searches with their terms (q), unscreened
    encrypted_pupil_search: int = 0


@dataclass
class Evidence:
    line_number: int
    at: datetime | None
    line: str

    @cached_property
    def sha256(self) -> str:  # read for the finding's hash and again for the line's row
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


def host_of(authority: str) -> str:
    """The host of ``[user@]host[:port]``, lower case, without a final dot; an IPv6 literal
    keeps its brackets."""
    host = authority.rpartition("@")[2]
    if host.startswith("["):
        host = host[: host.find("]") + 1] if "]" in host else host
    else:
        host = host.partition(":")[0]
    return host.lower().rstrip(".")


class Pipeline:
    def __init__(self, setup: Setup) -> None:
        self.setup = setup
        self.results = Results()
        self._verdicts: dict[str, dict[str, Any]] = {}
        pupils = sorted(p.user_id for p in setup.people.values() if p.is_pupil)
        self._pupils = pl.Series("user_id", pupils, dtype=pl.Int64)
        self._name_keys = pl.Series("user", list(setup.names), dtype=pl.String)
        self._name_ids = pl.Series("user_id", list(setup.names.values()), dtype=pl.Int64)
        self._authorities = pl.DataFrame(schema=AUTHORITY_SCHEMA)
        self._lock = threading.Lock()
        self._screening = threading.Lock()
        rows = [(u, d, s, e) for u, spans in setup.hours.items() for d, s, e in spans]
        self._hours = pl.DataFrame(
            rows, schema=["user_id", "weekday", "start", "end"], orient="row"
        ).cast({"user_id": pl.Int64, "weekday": pl.Int8, "start": pl.Int32, "end": pl.Int32})
        self._terms = (
            pl.Series("d", setup.term_days, dtype=pl.Date) if setup.term_days is not None else None
        )

    # -- one chunk --------------------------------------------------------------------------

    def prepare(self, frame: pl.DataFrame, chunk: Chunk) -> Prepared:
        """All of a chunk's work that depends on nothing read before it (attribution, host and
        category, the day, the day totals, the candidates for findings): safe to run for two
        chunks at once, in any order. What is kept is small; the chunk's frame is dropped."""
        bad = frame.filter(pl.col("bad"))["idx"]
        prepared = Prepared(chunk=chunk, lines=frame.height, bad=bad)
        good = frame.filter(~pl.col("bad")).drop("bad") if len(bad) else frame.drop("bad")
        if good.height == 0:
            return prepared
        good = self._categorise(self._attribute(good))
        good = good.with_columns(day=self._local_day(good["ts"]))
        prepared.unattributed = int(good["user_id"].null_count())
        prepared.totals = good.group_by("day", "category", "audience").agg(
            hits=pl.len(), bytes=pl.col("bytes").sum()
        )
        self._social(good, prepared)
        self._edits(good, prepared)
        self._searches(good, prepared)
        return prepared

    def feed(self, prepared: Prepared) -> None:
        """Adds a prepared chunk to what the run has gathered; chunks must come in file order
        (evidence is the first lines of each finding)."""
        results, chunk = self.results, prepared.chunk
        first_line = chunk.first_line
        results.lines += prepared.lines
        if len(prepared.bad):
            results.bad += len(prepared.bad)
            room = BAD_LINE_NUMBERS - len(results.bad_line_numbers)
            if room > 0:
                numbers = (prepared.bad.head(room) + first_line).to_list()
                results.bad_line_numbers.extend(int(n) for n in numbers)
        results.unattributed += prepared.unattributed
        results.encrypted_encyclopaedia += prepared.encrypted_encyclopaedia
        results.encrypted_pupil_search += prepared.encrypted_pupil_search
        if prepared.totals is not None:
            for day, category, audience, hits, size in prepared.totals.iter_rows():
                entry = results.totals.setdefault((day, category, AUDIENCES[audience]), [0, 0])
                entry[0] += int(hits)
                entry[1] += int(size or 0)
        self._keep_social(prepared)
        if prepared.edits is not None:
            self._keep_edits(prepared.edits, chunk)
        searches = self._screened(prepared.searches)
        if searches is not None:
            self._keep_searches(searches, chunk)

    def _local_day(self, ts: pl.Series) -> pl.Series:
        """The school's calendar day of each time: one offset for the whole chunk when the
        clocks do not change within it (nearly always), else a time-zone conversion per line."""
        first, last = ts.min(), ts.max()
        zone = ZoneInfo(self.setup.zone)
        if (
            isinstance(first, datetime)
            and isinstance(last, datetime)
            and last - first <= timedelta(days=1)  # clocks never change twice in a day
        ):
            offset = first.astimezone(zone).utcoffset()
            if offset is not None and offset == last.astimezone(zone).utcoffset():
                return (ts.dt.replace_time_zone(None) + offset).dt.date().alias("day")
        return ts.dt.convert_time_zone(self.setup.zone).dt.date().alias("day")

    def _attribute(self, good: pl.DataFrame) -> pl.DataFrame:
        """Proxy user names first; then, for lines without one (or with a name not known), the
        lease covering the line's address at its time. Both are lookups in small tables (a
        school has hundreds of names and addresses, a chunk a quarter of a million lines): an
        address with one lease over the whole chunk (nearly always) needs no time; only lines
        from an address whose lease changes within the chunk are matched in time (an as-of
        join)."""
        first, last = good["ts"].min(), good["ts"].max()
        leases = self.setup.leases
        current = (
            leases.filter((pl.col("starts_at") <= last) & (pl.col("ends_at") > first))
            if leases is not None
            else None
        )
        steady: dict[str, int] = {}
        timed = None
        if current is not None and current.height:
            per_address = current.group_by("ip").agg(
                leases=pl.len(),
                starts_at=pl.col("starts_at").min(),
                ends_at=pl.col("ends_at").max(),
                lease_user_id=pl.col("lease_user_id").first(),
            )
            whole = (
                (pl.col("leases") == 1)
                & (pl.col("starts_at") <= first)
                & (pl.col("ends_at") > last)
            )
            steady = dict(per_address.filter(whole).select("ip", "lease_user_id").iter_rows())
            timed = current.join(per_address.filter(~whole).select("ip"), on="ip", how="semi")
        by_name = pl.col("user").replace_strict(self._name_keys, self._name_ids, default=None)
        by_lease = pl.col("ip").replace_strict(
            list(steady), list(steady.values()), default=None, return_dtype=pl.Int64
        )
        frame = good.with_columns(user_id=pl.coalesce(by_name, by_lease)).with_columns(
            audience=self._audience()
        )
        if timed is not None and timed.height:
            frame = self._in_time(frame, timed)
        return frame

    def _in_time(self, frame: pl.DataFrame, timed: pl.DataFrame) -> pl.DataFrame:
        """Lines without a user name from an address whose lease changes within the chunk:
        the lease that had started by the line's time and had not yet ended."""
        unmatched = frame.filter(
            pl.col("user_id").is_null() & pl.col("ip").is_in(timed["ip"].unique().implode())
        )
        if not unmatched.height:
            return frame
        matched = (
            unmatched.select("idx", "ip", "ts")
            .sort("ts")
            .join_asof(
                timed.sort("starts_at").rename({"lease_user_id": "timed_user_id"}),
                left_on="ts",
                right_on="starts_at",
                by="ip",
                strategy="backward",
                check_sortedness=False,
            )
            .filter(pl.col("ts") < pl.col("ends_at"))
            .select("idx", "timed_user_id")
        )
        return (
            frame.join(matched, on="idx", how="left")
            .with_columns(user_id=pl.coalesce("user_id", "timed_user_id"))
            .drop("timed_user_id")
            .with_columns(audience=self._audience())
        )

    def _audience(self) -> pl.Expr:
        return (
            pl.when(pl.col("user_id").is_null())
            .then(UNATTRIBUTED)
            .when(pl.col("user_id").is_in(self._pupils.implode()))
            .then(PUPIL)
            .otherwise(STAFF)
            .cast(pl.Int8)
        )

    def _categorise(self, frame: pl.DataFrame) -> pl.DataFrame:
        """Each line's host and category, worked out once per distinct ``[user@]host[:port]``
        of the whole run (the table grows with the sites seen, not with lines): a join with the
        sites known so far, and a second only when the chunk has sites not seen before."""
        joined = frame.join(self._authorities, on="host", how="left")
        new = (
            joined.filter(pl.col("bare_host").is_null() & pl.col("host").is_not_null())["host"]
            .unique()
            .to_list()
        )
        if new:
            hosts = [host_of(a) for a in new]
            categories = [category_of(h, self.setup.categories) for h in hosts]
            found = pl.DataFrame(
                {
                    "host": new,
                    "bare_host": hosts,
                    "category": categories,
                    "search_engine": [bool(SEARCH_ENGINES.search(h)) for h in hosts],
                },
                schema=AUTHORITY_SCHEMA,
            )
            with self._lock:  # two chunks may be prepared at once
                known = self._authorities
                fresh = found.join(known, on="host", how="anti")
                self._authorities = pl.concat([known, fresh]).rechunk()
            joined = frame.join(self._authorities, on="host", how="left")
        return (
            joined.drop("host")
            .rename({"bare_host": "host"})
            .with_columns(
                pl.col("category").fill_null("other"), pl.col("search_engine").fill_null(False)
            )
        )

    # -- 6.13 -------------------------------------------------------------------------------

    def _social(self, good: pl.DataFrame, prepared: Prepared) -> None:
        rows = good.filter((pl.col("category") == "social_media") & (pl.col("audience") == STAFF))
        if rows.height == 0 or self._hours.height == 0:
            return
        if self._terms is not None:
            rows = rows.filter(pl.col("day").is_in(self._terms.implode()))
        rows = rows.with_columns(local=pl.col("ts").dt.convert_time_zone(self.setup.zone))
        rows = rows.with_columns(
            weekday=(pl.col("local").dt.weekday() - 1).cast(pl.Int8),
            minute_of_day=(pl.col("local").dt.hour().cast(pl.Int32) * 60)
            + pl.col("local").dt.minute().cast(pl.Int32),
        )
        within = rows.join(self._hours, on=["user_id", "weekday"], how="inner").filter(
            (pl.col("minute_of_day") >= pl.col("start")) & (pl.col("minute_of_day") < pl.col("end"))
        )
        if within.height == 0:
            return
        within = within.unique("idx", keep="first", maintain_order=True).with_columns(
            week=pl.col("day") - pl.duration(days=pl.col("weekday").cast(pl.Int64)),
            minute=pl.col("ts").dt.truncate("1m"),
        )
        prepared.social_minutes = (
            within.select(pl.col("user_id"), pl.col("minute")).unique().cast(HIT_SCHEMA)
        )
        prepared.social_domains = within.group_by("user_id", "week", "host").agg(hits=pl.len())
        prepared.social_lines = (
            within.group_by("user_id", "week", maintain_order=True)
            .head(EVIDENCE_PER_FINDING)
            .select("idx", "user_id", "week", "ts")
        )

    def _keep_social(self, prepared: Prepared) -> None:
        results = self.results
        if prepared.social_minutes is not None:
            results.social_minutes.append(prepared.social_minutes)
        if prepared.social_domains is not None:
            for user_id, week, host, hits in prepared.social_domains.iter_rows():
                by_domain = results.social_hits.setdefault((user_id, week), {})
                by_domain[host] = by_domain.get(host, 0) + int(hits)
        if prepared.social_lines is None:
            return
        chunk = prepared.chunk
        for idx, user_id, week, ts in prepared.social_lines.iter_rows():
            kept = results.social_evidence.setdefault((user_id, week), [])
            if len(kept) < EVIDENCE_PER_FINDING:  # the text only of lines still wanted
                kept.append(Evidence(chunk.first_line + idx, ts, chunk.line(idx)))

    # -- 6.11 -------------------------------------------------------------------------------

    def _edits(self, good: pl.DataFrame, prepared: Prepared) -> None:
        rows = good.filter((pl.col("category") == "encyclopaedia") & (pl.col("audience") != PUPIL))
        if rows.height == 0:
            return
        connect = pl.col("method") == "CONNECT"
        prepared.encrypted_encyclopaedia = int(rows.filter(connect).height)
        edits = rows.filter(
            ~connect & ((pl.col("method") == "POST") | pl.col("url").str.contains(EDIT_MARKERS))
        )
        if edits.height:
            prepared.edits = edits.select(
                "idx", "user_id", "ip", "day", "host", "ts", "method", "url"
            )

    def _keep_edits(self, rows: pl.DataFrame, chunk: Chunk) -> None:
        for idx, user_id, ip, day, host, ts, method, url in rows.iter_rows():
            who = f"user:{user_id}" if user_id is not None else f"ip:{ip}"
            entry = self.results.edits.setdefault(
                (who, day, host),
                {"user_id": user_id, "ip": ip, "first": ts, "urls": [], "evidence": [], "n": 0},
            )
            entry["n"] += 1
            if len(entry["evidence"]) < EDIT_EVIDENCE:
                entry["evidence"].append(Evidence(chunk.first_line + idx, ts, chunk.line(idx)))
                entry["urls"].append(f"{method} {url}")

    # -- A.2.3 ------------------------------------------------------------------------------

    def _searches(self, good: pl.DataFrame, prepared: Prepared) -> None:
        rows = good.filter((pl.col("audience") == PUPIL) & pl.col("search_engine"))
        if rows.height == 0 or self.setup.screen is None:
            return
        connect = pl.col("method") == "CONNECT"
        prepared.encrypted_pupil_search = int(rows.filter(connect).height)
        rows = (
            rows.filter(~connect)
            .with_columns(q=pl.col("url").str.extract(SEARCH_QUERY, 1))
            .filter(pl.col("q").is_not_null() & (pl.col("q") != ""))
        )
        if rows.height:
            prepared.searches = rows.select("idx", "user_id", "day", "q", "ts", "host")
            self._screen(rows["q"].unique().to_list())

    def _screen(self, searches: list[str]) -> None:
        """Each distinct search screened once a run, by the thread that first meets it (one at
        a time: the other goes on parsing meanwhile); a search's verdict depends on its words
        alone, so the order chunks are prepared in changes nothing."""
        screen = self.setup.screen
        assert screen is not None
        with self._screening:
            new = [q for q in searches if q not in self._verdicts]
            if not new:
                return
            decoded = [" ".join(unquote_plus(q).split())[:300] for q in new]
            for q, text, verdict in zip(new, decoded, screen(decoded), strict=True):
                self._verdicts[q] = {**verdict, "query": text}

    def _screened(self, rows: pl.DataFrame | None) -> pl.DataFrame | None:
        """The searches the screening engine flagged (each was screened as its chunk was
        prepared)."""
        if rows is None or self.setup.screen is None:
            return None
        # Only this chunk's searches are looked up: another thread may be adding verdicts.
        flagged = [q for q in rows["q"].unique().to_list() if self._verdicts[q].get("flag")]
        if not flagged:
            return None
        rows = rows.filter(pl.col("q").is_in(flagged))
        return rows if rows.height else None

    def _keep_searches(self, rows: pl.DataFrame, chunk: Chunk) -> None:
        for idx, user_id, day, q, ts, host in rows.iter_rows():
            verdict = self._verdicts[q]
            entry = self.results.searches.setdefault(
                (user_id, day, verdict["query"].lower()),
                {"user_id": user_id, "first": ts, "host": host, "verdict": verdict, "evidence": []},
            )
            if len(entry["evidence"]) < EVIDENCE_PER_FINDING:
                entry["evidence"].append(Evidence(chunk.first_line + idx, ts, chunk.line(idx)))


def prepared_in_order(
    chunks: Iterable[Chunk],
    work: Callable[[Chunk], Prepared],
    *,
    workers: int = 2,
    ahead: int = 4,
) -> Iterator[Prepared]:
    """``work`` (parse and prepare) for each chunk on ``workers`` threads, the results in the
    chunks' order, never more than ``ahead`` chunks read and not yet handed on, so memory is
    bounded by the chunk size, not the file's. Polars and numpy release the GIL, so the
    threads use the machine's cores while the caller adds each result to the run.

    The file is read on a thread of its own, so a worker that finishes finds the next chunk
    read even while the caller is busy with an earlier one; an error reading the file reaches
    the caller in its place in the order, as does an error in a chunk's work."""
    room = threading.Semaphore(ahead)
    handed: queue.Queue[Future[Prepared] | BaseException | None] = queue.Queue()
    stopping = threading.Event()
    source = iter(chunks)

    def read(pool: ThreadPoolExecutor) -> None:
        while True:
            room.acquire()
            if stopping.is_set():
                return
            try:
                chunk = next(source)
            except StopIteration:
                handed.put(None)
                return
            except BaseException as error:  # handed to the caller, raised there
                handed.put(error)
                return
            handed.put(pool.submit(work, chunk))

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ingest") as pool:
        reader = threading.Thread(target=read, args=(pool,), name="ingest-read", daemon=True)
        reader.start()
        try:
            while (item := handed.get()) is not None:
                if isinstance(item, BaseException):
                    raise item
                result = item.result()
                yield result
                room.release()
        finally:
            stopping.set()
            room.release()  # a reader waiting for room wakes, sees the stop and ends
            reader.join()
            while not handed.empty():
                left = handed.get_nowait()
                if isinstance(left, Future):
                    left.cancel()


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())
