"""``socialguard monitoring ingest FILE... [--source NAME] [--format squid|combined|csv]``: read web
proxy logs at the command line, with a progress bar on a terminal and one line at the end: lines
read, lines skipped as bad (with the first few line numbers), findings made, lines per second.
The audit trail records "system" as the actor."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any, TextIO

from socialguard.core.errors import ApplicationError

FORMATS = ("squid", "combined", "csv")  # LogFormat's values; the parser is built before Django


def add_parser(sub: Any, parser_class: Any) -> Any:
    """Add ``monitoring ingest``; returns the ``ingest`` parser (its ``func`` is set by caller)."""
    monitoring = sub.add_parser("monitoring", help="read web proxy logs into monitoring findings")
    actions = monitoring.add_subparsers(
        dest="monitoring_command", metavar="ACTION", parser_class=parser_class
    )
    actions.required = True
    ingest = actions.add_parser("ingest", help="read Squid, NCSA or CSV logs (plain or gzip)")
    ingest.add_argument("files", metavar="FILE", nargs="+")
    ingest.add_argument(
        "--source", metavar="NAME", help="a log source by name (default: the default)"
    )
    ingest.add_argument(
        "--format", choices=FORMATS, help="the log's format (default: the source's)"
    )
    ingest.add_argument("--organisation", metavar="SLUG")
    return ingest


def _source(organisation: Any, name: str | None, fmt: str | None) -> Any:
    from socialguard.monitoring.models import LogSource
    from socialguard.monitoring.services import source_default

    if name:
        source = LogSource.objects.filter(organisation=organisation, name=name).first()
        if source is None:
            known = ", ".join(
                LogSource.objects.filter(organisation=organisation).values_list("name", flat=True)
            )
            raise ApplicationError(f"No log source '{name}' (known: {known or 'none yet'}).")
    else:
        source = source_default(organisation=organisation)
    if fmt and fmt != source.format:
        source.format = fmt  # for this run only: the source keeps its own setting
    return source


def summary_line(runs: list[Any]) -> str:
    read = sum(r.lines_read for r in runs)
    bad = sum(r.lines_bad for r in runs)
    made = sum(r.findings_made for r in runs)
    seconds = sum(r.seconds for r in runs)
    numbers = [n for r in runs for n in r.bad_line_numbers][:5]
    where = f" (lines {', '.join(str(n) for n in numbers)}{', ...' if bad > len(numbers) else ''})"
    skipped = sum(r.lines_skipped for r in runs)
    before = f", {skipped} already read" if skipped else ""
    rate = read / seconds if seconds else 0.0
    return (
        f"{read} lines read{before}, {bad} skipped as bad{where if bad else ''}, "
        f"{made} findings made, {rate:,.0f} lines/s"
    )


def run(
    args: argparse.Namespace,
    organisation: Any,
    progress_bar: Callable[[TextIO, str], Any],
    out: TextIO | None = None,
) -> int:
    from socialguard.monitoring.services import ingest_file

    out = out or sys.stdout
    source = _source(organisation, args.source, args.format)
    runs, failed = [], 0
    for path in args.files:
        bar = progress_bar(sys.stderr, path)

        def progress(done: int, total: int | None, bar: Any = bar) -> None:
            bar(done, total or done)

        run = ingest_file(source=source, path=path, by=None, progress=progress)
        if run.status == run.Status.FAILED:
            print(f"socialguard: {path}: {run.error}", file=sys.stderr)
            failed += 1
        runs.append(run)
    for note in [n for r in runs for n in r.notes]:
        print(f"note: {note}", file=sys.stderr)
    out.write(summary_line(runs) + "\n")
    return 1 if failed else 0
