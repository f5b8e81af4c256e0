"""Reading a log into day totals, weekly tallies and findings, from where each file was left."""

from __future__ import annotations

import os
import time as clock
from collections.abc import Callable
from typing import IO, Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from socialguard.accounts.models import User
from socialguard.audit.services import audit_record
from socialguard.core.errors import ApplicationError
from socialguard.monitoring import findings as finding_writer
from socialguard.monitoring.ingest import formats
from socialguard.monitoring.ingest.pipeline import Pipeline, Results, prepared_in_order
from socialguard.monitoring.ingest.reader import LogFile
from socialguard.monitoring.models import (
    IngestRun,
    LogFormat,
    LogSource,
    SourceFile,
    TrafficSummary,
)
from socialguard.monitoring.services._common import (
    CSV_REQUIRED,
)
from socialguard.monitoring.setup import setup_for


def _check_csv_mapping(source: LogSource) -> None:
    mapping = source.column_mapping or {}
    if source.format != LogFormat.CSV:
        return
    missing = [f for f in CSV_REQUIRED if not mapping.get(f)]
    if missing or not (mapping.get("url") or mapping.get("host")):
        raise ApplicationError(
            f"The source '{source.name}' reads CSV but does not say which columns hold the time "
            "and the address (url or host). Set its column mapping first."
        )


def _parse(source: LogSource, log: LogFile, header: list[str] | None) -> Callable[..., Any]:
    if source.format == LogFormat.COMBINED:
        return lambda chunk: formats.parse_combined(chunk.data, chunk.lines)
    if source.format == LogFormat.CSV:
        from django.conf import settings

        assert header is not None
        return lambda chunk: formats.parse_csv(
            chunk.data,
            header=header,
            mapping=source.column_mapping,
            time_format=source.time_format,
            zone=settings.TIME_ZONE,
            skip_header=chunk.starts_file,
        )
    return lambda chunk: formats.parse_squid(chunk.data, chunk.ends)


def _csv_header(source: LogSource, log: LogFile) -> list[str] | None:
    if source.format != LogFormat.CSV:
        return None
    header = formats.csv_header(log.first_line)
    mapped = {v for v in (source.column_mapping or {}).values() if v}
    unknown = sorted(mapped - set(header))
    if unknown:
        raise ApplicationError(
            f"The file has no column {', '.join(repr(u) for u in unknown)}; its columns are "
            f"{', '.join(header)}. Change the source's column mapping or choose another file."
        )
    return header


def _start_run(source: LogSource, name: str, by: User | None) -> IngestRun:
    with transaction.atomic():
        run = IngestRun.objects.create(
            source=source, file_name=name[:300], started_at=timezone.now(), started_by=by
        )
        audit_record(
            actor=by,
            action="monitoring.ingest.start",
            target=run,
            clauses=("8.1",),
            organisation_id=source.organisation_id,
            details={"source": source.name, "file": name[:300]},
        )
    return run


def _fail(run: IngestRun, by: User | None, message: str, started: float) -> IngestRun:
    with transaction.atomic():
        run.status = IngestRun.Status.FAILED
        run.error = message
        run.finished_at = timezone.now()
        run.seconds = clock.perf_counter() - started
        run.save(update_fields=["status", "error", "finished_at", "seconds"])
        audit_record(
            actor=by,
            action="monitoring.ingest.failed",
            target=run,
            clauses=("8.1",),
            organisation_id=run.source.organisation_id,
            details={"file": run.file_name, "error": message},
        )
    return run


def ingest_file(
    *,
    source: LogSource,
    path: str | os.PathLike[str] | IO[bytes],
    by: User | None,
    progress: Callable[[int, int | None], None] | None = None,
    name: str | None = None,
    screen: Callable[[list[str]], list[dict[str, Any]]] | None = None,
) -> IngestRun:
    """Read a log (a path or an open binary file; plain or gzip) from where this source left
    off, into day totals and findings. The file itself is not kept; raw lines only as the
    evidence of findings. Re-reading lines already read adds nothing."""
    _check_csv_mapping(source)
    started = clock.perf_counter()
    try:
        log = LogFile(path, name=name)
    except OSError as error:
        raise ApplicationError(f"The log could not be opened: {error.strerror or error}.") from None
    try:
        run = _start_run(source, log.name, by)
        try:
            header = _csv_header(source, log)
            known = SourceFile.objects.filter(source=source, fingerprint=log.fingerprint).first()
            offset, before = (known.offset, known.lines) if known else (0, 0)
            pipeline = Pipeline(setup_for(source=source, screen=screen))
            parse = _parse(source, log, header)
            chunks = log.chunks(offset=offset)
            for prepared in prepared_in_order(chunks, lambda c: pipeline.prepare(parse(c), c)):
                chunk = prepared.chunk
                chunk.first_line = before + 1
                pipeline.feed(prepared)
                offset, before = chunk.end_offset, before + chunk.lines
                if progress is not None:
                    progress(chunk.read_to, log.total)
            if progress is not None:
                progress(log.raw_position(), log.total)
        except ApplicationError as error:
            return _fail(run, by, error.message, started)
        except (OSError, EOFError, ValueError) as error:
            return _fail(run, by, f"The log could not be read to the end: {error}.", started)
        _finish(
            run=run,
            source=source,
            log=log,
            results=pipeline.results,
            offset=offset,
            lines=before,
            skipped=known.lines if known else 0,
            by=by,
            started=started,
        )
    finally:
        log.close()
    return run


def _notes(results: Results, log: LogFile) -> list[str]:
    notes = []
    if results.encrypted_encyclopaedia:
        notes.append(
            f"{results.encrypted_encyclopaedia} requests to open encyclopaedias were encrypted "
            "(only the site's name is visible): an edit cannot be seen, and none is claimed."
        )
    if results.encrypted_pupil_search:
        notes.append(
            f"{results.encrypted_pupil_search} pupils' requests to search engines were "
            "encrypted: their search terms cannot be seen."
        )
    if log.partial_tail:
        notes.append("The last line has no line end yet; it will be read next time.")
    return notes


@transaction.atomic
def _finish(
    *,
    run: IngestRun,
    source: LogSource,
    log: LogFile,
    results: Results,
    offset: int,
    lines: int,
    skipped: int,
    by: User | None,
    started: float,
) -> None:
    if not log.empty:
        SourceFile.objects.update_or_create(
            source=source,
            fingerprint=log.fingerprint,
            defaults={"name": log.name[:300], "offset": offset, "lines": lines},
        )
    _add_totals(source, results)
    made = finding_writer.write_findings(source=source, run=run, results=results, by=by)
    run.lines_read = results.lines
    run.lines_bad = results.bad
    run.bad_line_numbers = results.bad_line_numbers
    run.lines_skipped = skipped
    run.findings_made = made
    run.unattributed = results.unattributed
    run.notes = _notes(results, log)
    run.status = IngestRun.Status.DONE
    run.finished_at = timezone.now()
    run.seconds = clock.perf_counter() - started
    run.save(
        update_fields=[
            "lines_read",
            "lines_bad",
            "bad_line_numbers",
            "lines_skipped",
            "findings_made",
            "unattributed",
            "notes",
            "status",
            "finished_at",
            "seconds",
        ]
    )
    audit_record(
        actor=by,
        action="monitoring.ingest.done",
        target=run,
        clauses=("8.1",),
        organisation_id=source.organisation_id,
        details={
            "file": run.file_name,
            "lines_read": run.lines_read,
            "lines_bad": run.lines_bad,
            "findings_made": made,
            "unattributed": run.unattributed,
        },
    )


def _add_totals(source: LogSource, results: Results) -> None:
    """The run's day totals added to the source's, in three queries whatever their number: the
    rows already there read once, each one's counts raised in the database (an update adds to
    what is there, so two runs at once lose nothing), the new ones inserted together."""
    if not results.totals:
        return
    days = {day for day, _, _ in results.totals}
    have = {
        (row.day, row.category, row.audience): row
        for row in TrafficSummary.objects.filter(source=source, day__in=days).only(
            "pk", "day", "category", "audience"
        )
    }
    new, changed = [], []
    for (day, category, audience), (hits, size) in results.totals.items():
        row = have.get((day, category, audience))
        if row is None:
            new.append(
                TrafficSummary(
                    organisation_id=source.organisation_id,
                    source=source,
                    day=day,
                    category=category,
                    audience=audience,
                    hits=hits,
                    bytes=size,
                )
            )
        else:
            row.hits, row.bytes = F("hits") + hits, F("bytes") + size
            changed.append(row)
    TrafficSummary.objects.bulk_update(changed, ["hits", "bytes"], batch_size=500)
    TrafficSummary.objects.bulk_create(new, batch_size=500)


# -- leases and aliases ----------------------------------------------------------------------
