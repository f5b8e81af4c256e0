"""The ingest engine's fast paths read exactly what the general ones do: Squid's fixed-width
start, hosts worked out per distinct authority, one offset per chunk for the day, address
leases joined without time where one lease covers the chunk, and chunks prepared two at once
but added in file order."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from socialguard.monitoring.ingest import formats
from socialguard.monitoring.ingest.pipeline import host_of, prepared_in_order
from socialguard.monitoring.ingest.reader import Chunk
from socialguard.monitoring.models import AddressLease, TrafficSummary
from socialguard.monitoring.setup import ip_to_int
from socialguard.monitoring.tests.conftest import no_screening
from socialguard.monitoring.tests.helpers import at, squid, write


def _chunk(lines: list[str]) -> tuple[bytes, np.ndarray]:
    data = ("\n".join(lines) + "\n").encode()
    return data, np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)


def _squid_line(when: datetime, elapsed: int, url: str, user: str, method: str) -> str:
    return (
        f"{when.timestamp():.3f} {elapsed:6d} 10.0.0.5 TCP_MISS/200 2048 {method} {url} {user} "
        "HIER_DIRECT/198.51.100.7 text/html"
    )


def test_the_fixed_width_reader_agrees_with_the_column_shifting_one() -> None:
    when = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    lines = [
        _squid_line(when, 0, "http://www.bbc.co.uk/news", "-", "GET"),
        _squid_line(when, 7, "www.facebook.com:443", "t.jones", "CONNECT"),
        _squid_line(when, 120, "http://en.wikipedia.org/w/index.php?action=edit", "-", "POST"),
        _squid_line(when, 99_999, "https://x.example?q=1", "Someone", "get"),
        _squid_line(when, 999_999, "http://a.example/", "-", "GET"),
        _squid_line(when, 12_345_678, "news.example:443", "-", "CONNECT"),  # 8 digits, no pad
    ]
    data, ends = _chunk(lines)
    assert formats._squid_fixed_width(data, ends) is not None
    fast = formats.parse_squid(data, ends)
    general = formats._parse_squid_shifted(data, len(ends))
    assert_frame_equal(fast, general)
    assert fast["host"].to_list() == [
        "www.bbc.co.uk",
        "www.facebook.com:443",
        "en.wikipedia.org",
        "x.example",
        "a.example",
        "news.example:443",
    ]
    assert not fast["bad"].any()


def test_a_chunk_with_a_garbled_line_is_read_by_the_general_reader() -> None:
    when = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    good = _squid_line(when, 120, "http://www.bbc.co.uk/", "-", "GET")
    data, ends = _chunk([good, "garbage", "1764748800 120 10.0.0.5 short", good])
    assert formats._squid_fixed_width(data, ends) is None
    frame = formats.parse_squid(data, ends)
    assert frame["bad"].to_list() == [False, True, True, False]


def test_the_fixed_width_copy_leaves_the_evidence_as_it_was_written() -> None:
    when = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    lines = [_squid_line(when, 5, "http://www.bbc.co.uk/", "-", "GET")] * 3
    data, ends = _chunk(lines)
    chunk = Chunk(data=data, first_line=1, end_offset=len(data))
    formats.parse_squid(data, ends)
    assert [chunk.line(i) for i in range(3)] == lines


@pytest.mark.parametrize(
    ("authority", "host"),
    [
        ("www.facebook.com:443", "www.facebook.com"),
        ("WWW.Facebook.COM.", "www.facebook.com"),
        ("user:secret@mail.example:8080", "mail.example"),
        ("[2001:db8::1]:443", "[2001:db8::1]"),
        ("10.0.0.1", "10.0.0.1"),
    ],
)
def test_the_host_of_an_authority(authority: str, host: str) -> None:
    assert host_of(authority) == host


def test_chunks_are_prepared_two_at_once_and_handed_on_in_order() -> None:
    running, most = 0, 0
    lock = threading.Lock()

    def work(chunk: Any) -> Any:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.02 if chunk % 2 else 0.001)  # the later chunk may finish first
        with lock:
            running -= 1
        return chunk

    read: list[int] = []

    def chunks() -> Any:
        for n in range(12):
            read.append(n)
            yield n

    handed = []
    for result in prepared_in_order(chunks(), work, workers=2, ahead=3):
        assert len(read) - len(handed) <= 3  # never more than three read and not handed on
        handed.append(result)
    assert handed == list(range(12))
    assert most == 2


def test_an_error_in_a_chunk_reaches_the_caller() -> None:
    def work(chunk: Any) -> Any:
        if chunk == 2:
            raise ValueError("the log's lines could not be counted")
        return chunk

    got = []
    with pytest.raises(ValueError, match="could not be counted"):
        for result in prepared_in_order(iter(range(6)), work):
            got.append(result)
    assert got == [0, 1]


def test_an_error_reading_the_file_reaches_the_caller_after_the_chunks_before_it() -> None:
    def chunks() -> Any:
        yield 0
        yield 1
        raise EOFError("Compressed file ended before the end-of-stream marker was reached")

    got = []
    with pytest.raises(EOFError, match="end-of-stream"):
        for result in prepared_in_order(chunks(), lambda chunk: chunk):
            got.append(result)
    assert got == [0, 1]


def test_a_caller_that_stops_early_stops_the_reading() -> None:
    read: list[int] = []

    def chunks() -> Any:
        for n in range(100):
            read.append(n)
            yield n

    for result in prepared_in_order(chunks(), lambda chunk: chunk, ahead=2):
        if result == 3:
            break
    assert not [t for t in threading.enumerate() if t.name == "ingest-read"]  # it has ended
    assert len(read) <= 4 + 2  # those handed on, and no more than two ahead


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("times", "days"),
    [
        # Summer time ends at 01:00 UTC on 25 October 2026: 23:30 UTC on the 24th is 00:30 BST
        # on the 25th; 23:30 UTC on the 25th is 23:30 GMT on the 25th.
        (
            [(2026, 10, 24, 22, 30), (2026, 10, 24, 23, 30), (2026, 10, 25, 23, 30)],
            {"2026-10-24": 1, "2026-10-25": 2},
        ),
        # One chunk inside summer time: the one offset for the chunk is BST.
        ([(2026, 6, 1, 22, 59), (2026, 6, 1, 23, 1)], {"2026-06-01": 1, "2026-06-02": 1}),
    ],
    ids=["across-the-clocks-changing", "in-summer-time"],
)
def test_days_are_the_schools_local_days(
    cast: Any, tmp_path, ingest, times: list[tuple[int, ...]], days: dict[str, int]
) -> None:
    lines = [squid(datetime(*t, tzinfo=UTC), "http://www.bbc.co.uk/", "-") for t in times]
    run = ingest(write(tmp_path / "access.log", lines), screen=no_screening)
    found = {str(r.day): r.hits for r in TrafficSummary.objects.filter(source=run.source)}
    assert found == days


@pytest.mark.django_db
def test_an_address_leased_to_two_pupils_in_turn_is_matched_in_time(
    cast: Any, source: Any, tmp_path, ingest
) -> None:
    ip = "10.0.7.7"

    def lease(user: Any, start: int, end: int) -> AddressLease:
        return AddressLease(
            source=source,
            first_ip=ip,
            last_ip=ip,
            first_ip_int=ip_to_int(ip),
            last_ip_int=ip_to_int(ip),
            starts_at=at(0, start),
            ends_at=at(0, end),
            user=user,
        )

    from socialguard.core.tests.factories import person_with_roles

    other = person_with_roles(
        "pupil", organisation=cast.organisation, school=cast.junior, username="second.pupil"
    )
    AddressLease.objects.bulk_create([lease(cast.pupil, 0, 30), lease(other, 30, 60)])
    steady = "10.0.7.8"  # one lease over the whole file: joined without time
    AddressLease.objects.create(
        source=source,
        first_ip=steady,
        last_ip=steady,
        first_ip_int=ip_to_int(steady),
        last_ip_int=ip_to_int(steady),
        starts_at=at(0, -60),
        ends_at=at(0, 600),
        user=cast.pupil,
    )
    log = write(
        tmp_path / "access.log",
        [
            squid(at(0, 10), "http://www.youtube.com/", ip=ip),
            squid(at(0, 40), "http://www.youtube.com/", ip=ip),
            squid(at(0, 41), "http://www.youtube.com/", ip=ip),
            squid(at(0, 50), "http://www.youtube.com/", ip=steady),
            squid(at(0, 70), "http://www.youtube.com/", ip=ip),  # after both leases
        ],
    )
    from socialguard.monitoring.ingest.pipeline import Pipeline
    from socialguard.monitoring.ingest.reader import LogFile
    from socialguard.monitoring.setup import setup_for

    pipeline = Pipeline(setup_for(source=source, screen=no_screening))
    chunk = next(LogFile(log).chunks(offset=0))
    attributed = pipeline._attribute(formats.parse_squid(chunk.data, chunk.ends).drop("bad"))
    by_line = dict(attributed.select("idx", "user_id").iter_rows())
    assert by_line == {0: cast.pupil.pk, 1: other.pk, 2: other.pk, 3: cast.pupil.pk, 4: None}
    run = ingest(log, screen=no_screening)
    assert run.unattributed == 1
    hits = TrafficSummary.objects.filter(source=source, audience="pupil")
    assert sum(r.hits for r in hits) == 4


def test_a_long_gap_in_a_chunk_converts_each_time_on_its_own() -> None:
    from socialguard.monitoring.ingest.pipeline import Pipeline, Setup

    pipeline = Pipeline(
        Setup(zone="Europe/London", names={}, people={}, categories={}, hours={}, term_days=None)
    )
    times = pl.Series(
        [
            datetime(2026, 3, 1, 23, 30, tzinfo=UTC),  # GMT: 1 March
            datetime(2026, 7, 1, 23, 30, tzinfo=UTC),  # BST: 2 July
            datetime(2026, 12, 1, 23, 30, tzinfo=UTC) + timedelta(0),  # GMT: 1 December
        ],
        dtype=pl.Datetime("ms", "UTC"),
    )
    days = [str(d) for d in pipeline._local_day(times).to_list()]
    assert days == ["2026-03-01", "2026-07-02", "2026-12-01"]


@pytest.mark.parametrize(
    ("names", "read"),
    [
        (["-", "t.jones", "", "a.b"], [None, "t.jones", None, "a.b"]),  # no lookup needed
        (["-", "T.Jones", "t.jones", None], [None, "t.jones", "t.jones", None]),  # a lookup
    ],
)
def test_proxy_names_are_read_once_per_distinct_name(
    names: list[str | None], read: list[str | None]
) -> None:
    frame = pl.DataFrame({"user": names}, schema={"user": pl.String})
    column = formats._per_distinct(frame["user"], formats._user_name)
    assert frame.select(column)["user"].to_list() == read


def test_sites_seen_in_an_earlier_chunk_are_categorised_from_the_table() -> None:
    from socialguard.monitoring.ingest.pipeline import Pipeline, Setup

    pipeline = Pipeline(
        Setup(
            zone="Europe/London",
            names={},
            people={},
            categories={"facebook.com": "social_media", "bing.com": "search"},
            hours={},
            term_days=None,
        )
    )
    when = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    first = [
        _squid_line(when, 5, "M.Facebook.com:443", "-", "CONNECT"),
        _squid_line(when, 5, "http://www.bing.com/search?q=x", "-", "GET"),
    ]
    later = [*first, _squid_line(when, 5, "http://news.example/", "-", "GET")]
    for lines in (first, later):  # the second chunk: two sites known, one new
        data, ends = _chunk(lines)
        frame = pipeline._categorise(formats.parse_squid(data, ends).drop("bad"))
        assert frame.select("host", "category", "search_engine").rows()[:2] == [
            ("m.facebook.com", "social_media", False),
            ("www.bing.com", "search", True),
        ]
    assert frame.row(2, named=True)["category"] == "other"
    assert pipeline._authorities.height == 3


@pytest.mark.django_db
def test_a_file_read_in_many_small_chunks_gives_what_one_chunk_gives(
    cast: Any, tmp_path, ingest, monkeypatch
) -> None:
    """Chunks prepared two at once must still be added in file order: the same totals, the
    same bad line numbers and the same first lines as evidence as a single chunk."""
    from socialguard.monitoring.ingest import reader
    from socialguard.monitoring.models import FindingEvidence, MonitoringFinding

    page = "http://en.wikipedia.org/w/index.php?title=Stafford&action=edit"
    lines: list[str] = []
    for n in range(240):
        if n % 37 == 5:
            lines.append("garbage")
        elif n % 3 == 0:
            lines.append(squid(at(0, n / 10), page, cast.teacher.username))
        else:
            lines.append(squid(at(0, n / 10), "http://www.bbc.co.uk/", "-", ip=f"10.0.9.{n % 7}"))
    log = write(tmp_path / "access.log", lines)

    def outcome() -> tuple[Any, ...]:
        run = ingest(log, screen=no_screening)
        totals = sorted(
            TrafficSummary.objects.filter(source=run.source).values_list(
                "day", "category", "audience", "hits", "bytes"
            )
        )
        evidence = sorted(
            FindingEvidence.objects.filter(finding__run=run).values_list("line_number", "sha256")
        )
        hashes = sorted(
            MonitoringFinding.objects.filter(run=run).values_list("key", "evidence_sha256")
        )
        result = (run.lines_read, run.lines_bad, run.bad_line_numbers, totals, evidence, hashes)
        MonitoringFinding.objects.all().delete()
        TrafficSummary.objects.all().delete()
        run.source.files.all().delete()  # read the same file again from its start
        return result

    whole = outcome()
    monkeypatch.setattr(reader, "CHUNK_BYTES", 1024)  # about seven lines a chunk
    assert outcome() == whole
    assert whole[0] == 240 and whole[1] == 7
    assert len(whole[4]) == 50  # the edit finding's first fifty lines, in order
