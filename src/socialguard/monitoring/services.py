"""Monitoring's writes (8.1): reading a log into totals and findings, leases, aliases, the annual
filtering review and retention. Keyword-only; each writes its audit event in its transaction."""

from __future__ import annotations

import csv
import hashlib
import io
import ipaddress
import os
import secrets
import time as clock
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from socialguard.accounts.models import Organisation, User
from socialguard.audit.services import audit_record
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.monitoring import findings as finding_writer
from socialguard.monitoring.ingest import formats
from socialguard.monitoring.ingest.pipeline import Pipeline, Results
from socialguard.monitoring.ingest.reader import LogFile
from socialguard.monitoring.models import (
    AddressLease,
    FilteringReview,
    IngestRun,
    LogFormat,
    LogSource,
    MonitoringSettings,
    SourceFile,
    TrafficSummary,
    UserAlias,
)
from socialguard.monitoring.setup import ip_to_int, setup_for

DEFAULT_SOURCE_NAME = "Default web proxy"
CSV_REQUIRED = ("time",)
LeaseRow = tuple[int, int, str, str, datetime, datetime, int | None, str]


def settings_for(*, organisation: Organisation) -> MonitoringSettings:
    found, _ = MonitoringSettings.objects.get_or_create(organisation=organisation)
    return found


@transaction.atomic
def source_default(*, organisation: Organisation) -> LogSource:
    """The organisation's default source, created on first use (Squid, by user name)."""
    found = LogSource.objects.filter(organisation=organisation, is_default=True).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            source = LogSource.objects.create(
                organisation=organisation, name=DEFAULT_SOURCE_NAME, is_default=True
            )
    except IntegrityError:  # created meanwhile by another run
        return LogSource.objects.get(organisation=organisation, is_default=True)
    audit_record(
        actor=None,
        action="monitoring.source.create",
        target=source,
        clauses=("8.1",),
        organisation_id=organisation.pk,
        details={"name": source.name, "format": source.format, "default": True},
    )
    return source


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
            skip_header=chunk.first_line == 1,
        )
    return lambda chunk: formats.parse_squid(chunk.data, chunk.lines)


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
            for chunk in log.chunks(offset=offset, lines_before=before, progress=progress):
                pipeline.feed(parse(chunk), chunk.data, chunk.first_line)
                offset, before = chunk.end_offset, chunk.first_line + chunk.lines - 1
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
    run.save()
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
    for (day, category, audience), (hits, size) in results.totals.items():
        updated = TrafficSummary.objects.filter(
            source=source, day=day, category=category, audience=audience
        ).update(hits=F("hits") + hits, bytes=F("bytes") + size)
        if not updated:
            TrafficSummary.objects.create(
                organisation_id=source.organisation_id,
                source=source,
                day=day,
                category=category,
                audience=audience,
                hits=hits,
                bytes=size,
            )


# -- leases and aliases ----------------------------------------------------------------------


def _lease_range(row: dict[str, str]) -> tuple[str, str]:
    if row.get("network"):
        network = ipaddress.IPv4Network(row["network"].strip(), strict=False)
        return str(network[0]), str(network[-1])
    if row.get("ip"):
        ip = str(ipaddress.IPv4Address(row["ip"].strip()))
        return ip, ip
    first = str(ipaddress.IPv4Address(row["first_ip"].strip()))
    last = str(ipaddress.IPv4Address(row["last_ip"].strip()))
    return first, last


def _aware(value: str) -> datetime:
    parsed = parse_datetime(value.strip())
    if parsed is None:
        raise ValueError(value)
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _lease_rows(source: LogSource, text: str) -> list[LeaseRow]:
    reader = csv.DictReader(io.StringIO(text))
    heads = {h.strip().lower() for h in reader.fieldnames or []}
    if not heads & {"ip", "network", "first_ip"} or not {"starts_at", "ends_at"} <= heads:
        raise ApplicationError(
            "The lease file needs the columns ip (or network, or first_ip and last_ip), "
            "starts_at and ends_at; username or email and device are optional."
        )
    people = User.objects.filter(organisation_id=source.organisation_id)
    by_name = {u.username.lower(): u.pk for u in people}
    by_email = {u.email.lower(): u.pk for u in people if u.email}
    rows, bad = [], []
    for number, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        try:
            first, last = _lease_range(row)
            starts, ends = _aware(row["starts_at"]), _aware(row["ends_at"])
            if ends <= starts or ip_to_int(last) < ip_to_int(first):
                raise ValueError("order")
        except (ValueError, KeyError):
            bad.append(number)
            continue
        name = row.get("username", "").lower()
        user_id = by_name.get(name) if name else by_email.get(row.get("email", "").lower())
        rows.append(
            (
                ip_to_int(first),
                ip_to_int(last),
                first,
                last,
                starts,
                ends,
                user_id,
                row.get("device", "")[:120],
            )
        )
    if bad:
        shown = ", ".join(str(n) for n in bad[:5])
        raise ApplicationError(
            f"{len(bad)} rows of the lease file could not be read (rows {shown}): each needs an "
            "IPv4 address or range and a start before its end. Nothing was imported."
        )
    return rows


@transaction.atomic
def lease_import(*, source: LogSource, file: IO[bytes] | IO[str], by: User | None) -> int:
    """Import a DHCP lease export (CSV): which device and person held which address when."""
    data = file.read()
    text = data.decode("utf-8-sig", "replace") if isinstance(data, bytes) else data
    rows = _lease_rows(source, text)
    AddressLease.objects.bulk_create(
        AddressLease(
            source=source,
            first_ip_int=a,
            last_ip_int=b,
            first_ip=first,
            last_ip=last,
            starts_at=starts,
            ends_at=ends,
            user_id=user_id,
            device=device,
        )
        for a, b, first, last, starts, ends, user_id, device in rows
    )
    audit_record(
        actor=by,
        action="monitoring.lease.import",
        target=source,
        clauses=("8.1",),
        organisation_id=source.organisation_id,
        details={"rows": len(rows), "with_person": sum(1 for r in rows if r[6])},
    )
    return len(rows)


@transaction.atomic
def alias_set(*, source: LogSource, proxy_name: str, user: User, by: User | None) -> UserAlias:
    name = proxy_name.strip().lower()
    if not name or len(name) > 200:
        raise ApplicationError("Give the user name as the proxy writes it (up to 200 letters).")
    if user.organisation_id != source.organisation_id:
        raise ApplicationError("That person is not in this organisation.", code=ErrorCode.INVALID)
    alias, _ = UserAlias.objects.update_or_create(
        source=source, proxy_name=name, defaults={"user": user}
    )
    audit_record(
        actor=by,
        action="monitoring.alias.set",
        target=alias,
        clauses=("8.1",),
        organisation_id=source.organisation_id,
        details={"proxy_name": name, "user": user.pk},
    )
    return alias


# -- the annual review and retention ---------------------------------------------------------


@transaction.atomic
def filtering_review_record(
    *,
    organisation: Organisation,
    by: User,
    reviewed_on: date,
    notes: str,
    next_due: date | None = None,
) -> FilteringReview:
    """The DfE filtering and monitoring standards: a review at least every year."""
    notes = notes.strip()
    if not notes:
        raise ApplicationError("Say what the review looked at and what it decided.")
    if reviewed_on > timezone.localdate():
        raise ApplicationError("A review cannot be recorded for a day still to come.")
    if next_due is not None:
        due = next_due
    else:
        try:
            due = reviewed_on.replace(year=reviewed_on.year + 1)
        except ValueError:  # 29 February
            due = reviewed_on + timedelta(days=365)
    if due <= reviewed_on:
        raise ApplicationError("The next review must fall after this one.")
    review = FilteringReview.objects.create(
        organisation=organisation,
        reviewed_on=reviewed_on,
        reviewed_by=by,
        notes=notes,
        next_due=due,
    )
    audit_record(
        actor=by,
        action="monitoring.review.record",
        target=review,
        clauses=("8.1",),
        organisation_id=organisation.pk,
        details={"reviewed_on": str(reviewed_on), "next_due": str(due)},
    )
    return review


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def new_reference_code() -> str:
    """A finding's reference, MF-XXXX-XXXX (the caller checks it is not taken)."""
    code = secrets.token_hex(4).upper()
    return f"MF-{code[:4]}-{code[4:]}"


from socialguard.monitoring.retention import monitoring_purge  # noqa: E402  (one name for callers)

__all__ = [
    "alias_set",
    "filtering_review_record",
    "ingest_file",
    "lease_import",
    "monitoring_purge",
    "settings_for",
    "source_default",
]
