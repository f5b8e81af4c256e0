"""How fast is the monitoring ingest, beside GoAccess, and how does its cost grow? (issue 14)

Generates a realistic Squid native access log: one school week (Monday to Friday, 07:45 to
16:45), 300 staff signed in to the proxy by user name and 900 pupils on classroom laptops known
only by their DHCP leases, sorted by time, two thirds of requests HTTPS (``CONNECT host:443``),
the rest with full URLs (SSL inspection, as schools run it): lessons, search engines (pupils'
searches with terms, a few of them safeguarding matters), video, social media, encyclopaedias
(edits among them), web mail, and a long tail of other sites.

Then, in one run on the same file, times:
- socialguard's whole ingest (``monitoring.services.ingest_file``: parse, attribute,
  categorise, screen pupils' search terms with the screening engine, findings and day totals
  written to the database), in lines/s, with the process's peak memory (RSS), each size in a
  fresh process on a fresh SQLite database;
- GoAccess (Debian package ``goaccess``, installed if missing) parsing the same file with
  its Squid format (the ``SQUID`` preset without its syslog prefix) to a JSON report, its wall time and peak RSS.

    .venv/bin/python benchmarks/ingest.py                 # 1 M, 3 M and 10 M lines
    .venv/bin/python benchmarks/ingest.py --sizes 1000000  # fewer sizes
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

STAFF, PUPILS = 300, 900
# GoAccess 1.7's SQUID preset is "%^ %^ %^ %v %^: %x.%^ %~%L %h %^/%s %b %m %U", for Squid
# logging through syslog; a native access.log has no syslog prefix, so the same fields without it:
GOACCESS_SQUID = "%x.%^ %~%L %h %^/%s %b %m %U"
MONDAY = datetime(2026, 11, 23, 7, 45, tzinfo=UTC)
SEARCHES = [
    "volcano facts",
    "times tables games",
    "how do plants grow",
    "roman soldiers",
    "minecraft skins",
    "fractions year 5",
    "world cup results",
    "how to draw a cat",
    "famous scientists",
    "solar system for kids",
    "spelling bee words",
    "tudor houses",
    "how to make slime",
    "best football players",
    "rainforest animals",
    "victorian toys",
    "how many legs does a spider have",
    "easy cake recipe",
    "fortnite update",
    "the great fire of london",
    "weather tomorrow",
    "homework help year 6",
]
# Searches that are a safeguarding matter: rare, as in a school's real week (about one search
# request in twenty thousand).
CONCERNING = ["how to hurt myself without anyone knowing", "i want to kill myself"]
COMMON = [
    "www.bbc.co.uk",
    "ttrockstars.com",
    "www.educationcity.com",
    "www.purplemash.com",
    "www.google.co.uk",
    "www.bing.com",
    "duckduckgo.com",
    "www.youtube.com",
    "i.ytimg.com",
    "rr3---sn-aigl6n7e.googlevideo.com",
    "fonts.gstatic.com",
    "www.gstatic.com",
    "ajax.googleapis.com",
    "login.microsoftonline.com",
    "outlook.office365.com",
    "www.facebook.com",
    "static.xx.fbcdn.net",
    "www.instagram.com",
    "www.tiktok.com",
    "en.wikipedia.org",
    "upload.wikimedia.org",
    "mail.google.com",
    "www.amazon.co.uk",
    "www.roblox.com",
    "www.khanacademy.org",
    "www.gov.uk",
]


def generate(path: Path, lines: int, seed: int = 14) -> None:
    """Write ``lines`` Squid lines, sorted by time, in blocks (bounded memory)."""
    rng = np.random.default_rng(seed)
    tail = [f"www.site{n}.example" for n in range(3000)]
    hosts = np.array(COMMON + tail)
    weights = np.concatenate([np.full(len(COMMON), 30.0), np.full(len(tail), 1.0)])
    weights /= weights.sum()
    seconds = 5 * 9 * 3600
    block = 1_000_000
    with path.open("wb") as handle:
        for start in range(0, lines, block):
            n = min(block, lines - start)
            t = np.sort(rng.uniform(start, start + n, n)) * (seconds / lines)
            day = (t // (9 * 3600)).astype(np.int64)
            stamp = MONDAY.timestamp() + day * 86400 + t % (9 * 3600)
            person = rng.integers(0, STAFF + PUPILS, n)
            is_staff = person < STAFF
            host = hosts[rng.choice(len(hosts), n, p=weights)]
            https = rng.random(n) < 0.66
            frame = pl.DataFrame(
                {
                    "t": stamp,
                    "p": person,
                    "staff": is_staff,
                    "host": host,
                    "https": https,
                    "r": rng.integers(0, 1 << 30, n),
                }
            )
            benign = pl.lit(SEARCHES).list.get(pl.col("r") % len(SEARCHES))
            worrying = pl.lit(CONCERNING).list.get(pl.col("r") % len(CONCERNING))
            query = (
                pl.when(pl.col("r") % 20000 == 7).then(worrying).otherwise(benign)
            ).str.replace_all(" ", "+")
            search = pl.col("host").is_in(["www.google.co.uk", "www.bing.com", "duckduckgo.com"])
            edit = (pl.col("host") == "en.wikipedia.org") & (pl.col("r") % 50 == 0)
            path_expr = (
                pl.when(search)
                .then(pl.concat_str(pl.lit("/search?q="), query))
                .when(pl.col("host") == "www.youtube.com")
                .then(pl.concat_str(pl.lit("/results?search_query="), query))
                .when(edit)
                .then(pl.lit("/w/index.php?title=Stafford_School&action=submit"))
                .otherwise(pl.concat_str(pl.lit("/page/"), (pl.col("r") % 997).cast(pl.String)))
            )
            method = (
                pl.when(pl.col("https"))
                .then(pl.lit("CONNECT"))
                .when(edit)
                .then(pl.lit("POST"))
                .otherwise(pl.lit("GET"))
            )
            url = (
                pl.when(pl.col("https"))
                .then(pl.concat_str("host", pl.lit(":443")))
                .otherwise(pl.concat_str(pl.lit("http://"), "host", path_expr))
            )
            user = (
                pl.when("staff")
                .then(pl.concat_str(pl.lit("staff"), pl.col("p").cast(pl.String)))
                .otherwise(pl.lit("-"))
            )
            ip = pl.concat_str(
                pl.lit("10.20."),
                (pl.col("p") // 250).cast(pl.String),
                pl.lit("."),
                (pl.col("p") % 250 + 1).cast(pl.String),
            )
            text = frame.select(
                pl.concat_str(
                    pl.col("t").round(3).cast(pl.String).str.pad_end(14, "0"),
                    (pl.col("r") % 900).cast(pl.String).str.pad_start(6, " "),
                    ip,
                    pl.when(pl.col("https"))
                    .then(pl.lit("TCP_TUNNEL/200"))
                    .otherwise(pl.lit("TCP_MISS/200")),
                    (pl.col("r") % 90000 + 200).cast(pl.String),
                    method,
                    url,
                    user,
                    pl.lit("HIER_DIRECT/198.51.100.7"),
                    pl.when(pl.col("https")).then(pl.lit("-")).otherwise(pl.lit("text/html")),
                    separator=" ",
                ).alias("line")
            )
            text.write_csv(handle, include_header=False, quote_style="never")


def prepare_database(db: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialguard.config.settings.test")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from socialguard.accounts.models import Organisation, RoleAssignment, School, User
    from socialguard.monitoring.models import AddressLease
    from socialguard.monitoring.services import source_default

    org = Organisation.objects.create(name="Benchmark Federation", slug="bench")
    school = School.objects.create(organisation=org, name="Bench Primary", slug="bench")
    people = User.objects.bulk_create(
        [User(username=f"staff{n}", organisation=org, school=school) for n in range(STAFF)]
        + [User(username=f"pupil{n}", organisation=org, school=school) for n in range(PUPILS)]
    )
    RoleAssignment.objects.bulk_create(
        RoleAssignment(
            user=u,
            organisation=org,
            school=school,
            role="staff" if n < STAFF else "pupil",
            year_group="" if n < STAFF else "5",
        )
        for n, u in enumerate(people)
    )
    dsl = User.objects.create(username="dsl", organisation=org, email="dsl@bench.example")
    RoleAssignment.objects.create(user=dsl, organisation=org, role="dsl")
    source = source_default(organisation=org)
    from socialguard.monitoring.setup import ip_to_int

    leases = []
    for n in range(STAFF, STAFF + PUPILS):
        ip = f"10.20.{n // 250}.{n % 250 + 1}"
        leases.append(
            AddressLease(
                source=source,
                first_ip=ip,
                last_ip=ip,
                first_ip_int=ip_to_int(ip),
                last_ip_int=ip_to_int(ip),
                starts_at=MONDAY - timedelta(hours=1),
                ends_at=MONDAY + timedelta(days=5),
                user=people[n],
                device=f"LAPTOP-{n}",
            )
        )
    AddressLease.objects.bulk_create(leases)


def worker(log: Path, db: Path) -> None:
    """One size, in its own process: the whole ingest, timed, and this process's peak RSS."""
    prepare_database(db)
    from socialguard.accounts.models import Organisation
    from socialguard.monitoring.models import MonitoringFinding
    from socialguard.monitoring.services import ingest_file, source_default
    from socialguard.screening.engine import Screener

    Screener.default().screen("warm up")  # model loading is not the log's cost
    source = source_default(organisation=Organisation.objects.get(slug="bench"))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    run = ingest_file(source=source, path=log, by=None)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    findings = dict.fromkeys(("6.13", "6.11", "A.2.3"), 0)
    for clause in MonitoringFinding.objects.values_list("clause", flat=True):
        findings[clause] += 1
    print(
        json.dumps(
            {
                "lines": run.lines_read,
                "bad": run.lines_bad,
                "seconds": seconds,
                "rss_before_mib": before / 1024,
                "peak_rss_mib": peak / 1024,
                "findings": findings,
                "unattributed": run.unattributed,
                "status": run.status,
                "error": run.error,
            }
        )
    )


def goaccess(log: Path, out: Path) -> dict[str, float]:
    if shutil.which("goaccess") is None:
        apt = shutil.which("apt-get") or "/usr/bin/apt-get"
        subprocess.run(
            [apt, "install", "-y", "-q", "goaccess"], check=True, stdout=subprocess.DEVNULL
        )
    started = time.perf_counter()
    measured = subprocess.run(
        [
            "/usr/bin/time",
            "-f",
            "%M",
            "goaccess",
            str(log),
            f"--log-format={GOACCESS_SQUID}",
            "--date-format=%s",
            "--time-format=%s",
            "--no-progress",
            "-o",
            str(out),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    seconds = time.perf_counter() - started
    peak = int(measured.stderr.strip().splitlines()[-1]) / 1024  # GNU time: peak RSS in KiB
    return {"seconds": seconds, "peak_rss_mib": peak}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000000,3000000,10000000")
    parser.add_argument("--worker", nargs=2, metavar=("LOG", "DB"))
    parser.add_argument("--dir", default=None, help="where to write the logs (default: a temp dir)")
    args = parser.parse_args()
    if args.worker:
        worker(Path(args.worker[0]), Path(args.worker[1]))
        return 0
    work = Path(args.dir or tempfile.mkdtemp(prefix="sg-ingest-"))
    work.mkdir(parents=True, exist_ok=True)
    print(
        f"{'lines':>11} {'MB':>6} | {'socialguard lines/s':>19} {'s':>6} {'peak RSS':>9} | "
        f"{'GoAccess lines/s':>16} {'s':>6} {'peak RSS':>9} | {'ratio':>5} | findings"
    )
    for size in [int(s) for s in args.sizes.split(",")]:
        log = work / f"access-{size}.log"
        generate(log, size)
        db = work / f"bench-{size}.sqlite3"
        db.unlink(missing_ok=True)
        done = subprocess.run(
            [sys.executable, __file__, "--worker", str(log), str(db)],
            check=True,
            capture_output=True,
            text=True,
        )
        ours = json.loads(done.stdout.strip().splitlines()[-1])
        theirs = goaccess(log, work / "report.json")
        our_rate = ours["lines"] / ours["seconds"]
        their_rate = size / theirs["seconds"]
        print(
            f"{size:>11,} {log.stat().st_size / 1e6:>6.0f} | {our_rate:>19,.0f} "
            f"{ours['seconds']:>6.1f} {ours['peak_rss_mib']:>6.0f} MiB | {their_rate:>16,.0f} "
            f"{theirs['seconds']:>6.1f} {theirs['peak_rss_mib']:>6.0f} MiB | "
            f"{our_rate / their_rate:>4.1f}x | {ours['findings']} bad={ours['bad']}",
            flush=True,
        )
        log.unlink()
        db.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
