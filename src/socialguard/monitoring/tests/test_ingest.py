"""Reading logs: every format, gzip, bad lines, re-runs and growing files, attribution."""

from __future__ import annotations

import gzip
from typing import Any

import pytest

from socialguard.monitoring.ingest.pipeline import category_of
from socialguard.monitoring.models import (
    AddressLease,
    IngestRun,
    LogFormat,
    MonitoringFinding,
    SourceFile,
    TrafficSummary,
    UserAlias,
)
from socialguard.monitoring.setup import shipped_categories
from socialguard.monitoring.tests.conftest import no_screening
from socialguard.monitoring.tests.helpers import at, combined, squid, write

pytestmark = pytest.mark.django_db


def totals(source: Any) -> dict[tuple[str, str], int]:
    found: dict[tuple[str, str], int] = {}
    for row in TrafficSummary.objects.filter(source=source):
        key = (row.category, row.audience)
        found[key] = found.get(key, 0) + row.hits
    return found


@pytest.mark.parametrize(
    "host", ["facebook.com", "www.facebook.com", "m.facebook.com", "WWW.Facebook.com."]
)
def test_a_domain_matches_itself_and_every_sub_domain(host: str) -> None:
    assert category_of(host, shipped_categories()) == "social_media"


def test_the_longest_listed_suffix_wins_and_near_misses_do_not_match() -> None:
    categories = shipped_categories()
    assert category_of("mail.google.com", categories) == "webmail"
    assert category_of("www.google.com", categories) == "search"
    assert category_of("notfacebook.com", categories) == "other"
    assert category_of("facebook.com.evil.example", categories) == "other"


def test_squid_with_and_without_user_names_and_connect_lines(cast: Any, tmp_path, ingest) -> None:
    log = write(
        tmp_path / "access.log",
        [
            squid(at(0, 1), "http://www.bbc.co.uk/news", cast.teacher.username),
            squid(at(0, 2), "www.facebook.com:443", cast.teacher.username, method="CONNECT"),
            squid(at(0, 3), "http://en.wikipedia.org/wiki/Kent", "-", ip="10.9.9.9"),
        ],
    )
    run = ingest(log, screen=no_screening)
    assert (run.status, run.lines_read, run.lines_bad, run.unattributed) == ("done", 3, 0, 1)
    assert totals(run.source) == {
        ("news", "staff"): 1,
        ("social_media", "staff"): 1,
        ("encyclopaedia", "unattributed"): 1,
    }


def test_ncsa_combined_and_common(cast: Any, source: Any, tmp_path, ingest) -> None:
    source.format = LogFormat.COMBINED
    source.save()
    log = write(
        tmp_path / "combined.log",
        [
            combined(at(0, 1), "http://www.youtube.com/watch?v=x", cast.pupil.username),
            combined(at(0, 2), "www.instagram.com:443", cast.teacher.username, method="CONNECT"),
            '10.0.0.8 - - [23/Nov/2026:10:05:00 +0000] "GET http://www.bbc.co.uk/ HTTP/1.0" 200 99',
        ],
    )
    run = ingest(log, screen=no_screening)
    assert (run.lines_read, run.lines_bad) == (3, 0)
    assert totals(source) == {
        ("video", "pupil"): 1,
        ("social_media", "staff"): 1,
        ("news", "unattributed"): 1,
    }


def test_csv_export_read_through_the_sources_column_mapping(
    cast: Any, source: Any, tmp_path, ingest
) -> None:
    source.format = LogFormat.CSV
    source.column_mapping = {"time": "Date/Time", "ip": "Client IP", "user": "User", "url": "URL"}
    source.save()
    log = write(
        tmp_path / "filter.csv",
        [
            "Date/Time,Client IP,User,URL,Action",
            f"2026-11-23 10:01:00,10.0.0.5,{cast.teacher.username.upper()},https://m.facebook.com/,allowed",
            '2026-11-23 10:02:00,10.0.0.6,-,"https://www.bing.com/search?q=a,b",allowed',
            "not a time,10.0.0.6,-,https://x.example/,allowed",
        ],
    )
    run = ingest(log, screen=no_screening)
    assert (run.lines_read, run.lines_bad, run.bad_line_numbers) == (3, 1, [4])
    assert totals(source) == {("social_media", "staff"): 1, ("search", "unattributed"): 1}


def test_a_csv_source_without_a_mapping_is_refused_in_plain_words(
    source: Any, tmp_path, ingest
) -> None:
    from socialguard.core.errors import ApplicationError

    source.format = LogFormat.CSV
    source.save()
    with pytest.raises(ApplicationError, match="column mapping"):
        ingest(write(tmp_path / "x.csv", ["a,b"]), screen=no_screening)


def test_gzip_is_read_like_plain_text(cast: Any, tmp_path, ingest) -> None:
    lines = [squid(at(0, m), "http://www.bbc.co.uk/", cast.teacher.username) for m in range(50)]
    path = tmp_path / "access.log.gz"
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    run = ingest(path, screen=no_screening)
    assert (run.status, run.lines_read, run.lines_bad) == ("done", 50, 0)
    assert totals(run.source) == {("news", "staff"): 50}


def test_bad_lines_are_counted_with_their_first_line_numbers(cast: Any, tmp_path, ingest) -> None:
    good = squid(at(0, 1), "http://www.bbc.co.uk/", cast.teacher.username)
    lines = [good, "", "garbage", good, "1764748800.1 oops"] + ["x"] * 12 + [good]
    run = ingest(write(tmp_path / "access.log", lines), screen=no_screening)
    assert (run.lines_read, run.lines_bad) == (18, 15)
    assert run.bad_line_numbers == [2, 3, 5, 6, 7, 8, 9, 10, 11, 12]
    assert totals(run.source) == {("news", "staff"): 3}


def test_reading_the_same_file_again_adds_nothing(cast: Any, tmp_path, ingest) -> None:
    lines = [squid(at(0, m), "http://www.bbc.co.uk/", cast.teacher.username) for m in range(5)]
    log = write(tmp_path / "access.log", lines)
    ingest(log, screen=no_screening)
    copy = write(tmp_path / "renamed.log", lines)
    again = ingest(copy, screen=no_screening)
    assert (again.lines_read, again.lines_skipped) == (0, 5)
    assert totals(again.source) == {("news", "staff"): 5}
    assert SourceFile.objects.get().lines == 5


def test_a_growing_file_is_read_from_its_new_tail(cast: Any, tmp_path, ingest) -> None:
    lines = [squid(at(0, m), "http://www.bbc.co.uk/", cast.teacher.username) for m in range(4)]
    log = write(tmp_path / "access.log", lines)
    ingest(log, screen=no_screening)
    bad_tail = ["garbage"]
    more = [
        squid(at(0, 10 + m), "http://www.youtube.com/", cast.teacher.username) for m in range(3)
    ]
    write(log, lines + bad_tail + more)
    with log.open("a") as handle:
        handle.write(squid(at(0, 20), "http://www.bbc.co.uk/", cast.teacher.username))  # no end
    run = ingest(log, screen=no_screening)
    assert (run.lines_read, run.lines_skipped, run.bad_line_numbers) == (4, 4, [5])
    assert totals(run.source) == {("news", "staff"): 4, ("video", "staff"): 3}
    assert any("no line end" in n for n in run.notes)
    with log.open("a") as handle:
        handle.write("\n")
    last = ingest(log, screen=no_screening)
    assert last.lines_read == 1
    assert totals(run.source)[("news", "staff")] == 5


def test_proxy_names_map_by_alias_or_by_email_per_source(
    cast: Any, source: Any, tmp_path, ingest
) -> None:
    UserAlias.objects.create(source=source, proxy_name="rs\\pbennett", user=cast.pupil)
    source.match_users_by = "email"
    source.save()
    log = write(
        tmp_path / "access.log",
        [
            squid(at(0, 1), "http://www.youtube.com/", "RS\\PBennett"),
            squid(at(0, 2), "http://www.bbc.co.uk/", cast.teacher.email.upper()),
            squid(at(0, 3), "http://www.bbc.co.uk/", cast.teacher.username),  # not an e-mail
        ],
    )
    run = ingest(log, screen=no_screening)
    assert totals(source) == {
        ("video", "pupil"): 1,
        ("news", "staff"): 1,
        ("news", "unattributed"): 1,
    }
    assert run.unattributed == 1


def test_leases_attribute_by_address_and_time_and_nothing_is_guessed(
    cast: Any, source: Any, tmp_path, ingest
) -> None:
    import io

    from socialguard.monitoring.services import lease_import

    csv = (
        "network,starts_at,ends_at,username,device\n"
        f"10.0.4.0/30,{at(0, 0).isoformat()},{at(0, 60).isoformat()},"
        f"{cast.pupil.username},LAPTOP-7\n"
    )
    assert lease_import(source=source, file=io.StringIO(csv), by=cast.it_lead) == 1
    assert AddressLease.objects.get().user == cast.pupil
    log = write(
        tmp_path / "access.log",
        [
            squid(at(0, 5), "http://www.youtube.com/", ip="10.0.4.2"),  # leased
            squid(at(0, 70), "http://www.youtube.com/", ip="10.0.4.2"),  # after the lease
            squid(at(0, 5), "http://www.youtube.com/", ip="10.0.4.9"),  # outside the range
        ],
    )
    run = ingest(log, screen=no_screening)
    assert totals(source) == {("video", "pupil"): 1, ("video", "unattributed"): 2}
    assert run.unattributed == 2


def test_a_lease_file_with_bad_rows_imports_nothing(cast: Any, source: Any) -> None:
    import io

    from socialguard.core.errors import ApplicationError
    from socialguard.monitoring.services import lease_import

    csv = "ip,starts_at,ends_at\n10.0.0.1,2026-11-23T08:00,2026-11-23T09:00\n999.1.1.1,x,y\n"
    with pytest.raises(ApplicationError, match="rows 3"):
        lease_import(source=source, file=io.StringIO(csv), by=cast.it_lead)
    assert not AddressLease.objects.exists()


def test_an_unreadable_gzip_fails_the_run_in_plain_words(tmp_path, ingest) -> None:
    path = tmp_path / "broken.log.gz"
    data = "\n".join(f"{n} {n * 7919 % 104729}" for n in range(20000)).encode()
    path.write_bytes(gzip.compress(data)[:3000])
    run = ingest(path, screen=no_screening)
    assert run.status == IngestRun.Status.FAILED
    assert "could not be read" in run.error
    assert not MonitoringFinding.objects.exists()
