"""Reading the audit trail: verification of the hash chains, listing and export."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from socialguard.audit.models import AuditChainHead, AuditEvent
from socialguard.core.csv_safe import SafeDictWriter

EXPORT_FIELDS = (
    "chain",
    "seq",
    "at",
    "organisation_id",
    "actor_id",
    "actor_repr",
    "action",
    "target_type",
    "target_id",
    "target_repr",
    "clauses",
    "details",
    "prev_hash",
    "hash",
)


@dataclass(frozen=True)
class ChainProblem:
    chain: str
    seq: int
    event_id: int | None
    message: str


@dataclass(frozen=True)
class VerifyReport:
    events_checked: int
    chains_checked: int
    problem: ChainProblem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def audit_chain_verify(*, organisation_id: int | None = None) -> VerifyReport:
    """Walk every chain in order; stop at the first tampered, missing or extra event."""
    heads = AuditChainHead.objects.order_by("chain")
    if organisation_id is not None:
        heads = heads.filter(chain=f"org:{organisation_id}")
    checked = 0
    chains = 0
    for head in heads:
        chains += 1
        problem, count = _verify_chain(head)
        checked += count
        if problem is not None:
            return VerifyReport(checked, chains, problem)
    return VerifyReport(checked, chains, None)


def _verify_chain(head: AuditChainHead) -> tuple[ChainProblem | None, int]:
    expected_seq, prev_hash, count = 1, "0" * 64, 0
    events = AuditEvent.objects.filter(chain=head.chain).order_by("seq")
    for event in events.iterator(chunk_size=2000):
        count += 1
        if event.seq != expected_seq:
            missing = (
                f"{expected_seq}"
                if event.seq == expected_seq + 1
                else (f"{expected_seq} to {event.seq - 1}")
            )
            return ChainProblem(
                head.chain, expected_seq, None, f"event(s) {missing} missing"
            ), count
        if event.prev_hash != prev_hash:
            return ChainProblem(
                head.chain, event.seq, event.pk, "does not follow the event before it"
            ), count
        if event.compute_hash() != event.hash:
            return ChainProblem(
                head.chain, event.seq, event.pk, "has been altered (its hash no longer matches)"
            ), count
        prev_hash, expected_seq = event.hash, expected_seq + 1
    if expected_seq - 1 != head.seq or prev_hash != head.hash:
        return ChainProblem(
            head.chain,
            expected_seq,
            None,
            f"the chain ends at {expected_seq - 1} but its head records {head.seq}: "
            "events were removed from the end",
        ), count
    return None, count


def audit_events_between(
    *, since: date | None, until: date | None, organisation_id: int | None = None
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.order_by("at", "chain", "seq")
    tz = timezone.get_current_timezone()
    if since is not None:
        events = events.filter(at__gte=datetime.combine(since, time.min, tzinfo=tz))
    if until is not None:
        events = events.filter(at__lt=datetime.combine(until + timedelta(days=1), time.min, tz))
    if organisation_id is not None:
        events = events.filter(organisation_id=organisation_id)
    return events


def _row(event: AuditEvent) -> dict[str, object]:
    row = {field: getattr(event, field) for field in EXPORT_FIELDS}
    row["at"] = event.at.isoformat()
    return row


def audit_export_lines(*, events: QuerySet[AuditEvent], fmt: str) -> Iterator[str]:
    """Yield the export chunk by chunk, so a year of events never sits in memory at once."""
    if fmt == "json":
        yield "[\n"
        for index, event in enumerate(events.iterator(chunk_size=2000)):
            yield ("" if index == 0 else ",\n") + json.dumps(_row(event), default=str)
        yield "\n]\n"
        return
    buffer = io.StringIO()
    writer = SafeDictWriter(buffer, fieldnames=EXPORT_FIELDS)
    writer.writeheader()
    for event in events.iterator(chunk_size=2000):
        row = _row(event)
        row["clauses"] = " ".join(event.clauses)
        row["details"] = json.dumps(event.details, sort_keys=True)
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


AuditScope = Callable[[Any, QuerySet[AuditEvent]], QuerySet[AuditEvent]]
_SCOPES: list[AuditScope] = []


def register_audit_scope(scope: AuditScope) -> AuditScope:
    """Apps whose records are need-to-know (safeguarding, breach cases) narrow what the audit
    trail shows a person to the events about records that person may open. Registered in the
    app's ``ready``, so the audit app names none of them."""
    if scope not in _SCOPES:
        _SCOPES.append(scope)
    return scope


def audit_events_for(
    *, user: Any, since: date | None = None, until: date | None = None, action: str = ""
) -> QuerySet[AuditEvent]:
    """The events a person may read: their organisation's (all, for deployment administrators),
    less those about need-to-know records they may not open. The chains themselves are whole:
    ``audit verify`` and ``audit export`` on the command line see every event."""
    org_id = None if user.is_superuser else user.organisation_id
    events = audit_events_between(since=since, until=until, organisation_id=org_id)
    if not user.is_superuser and org_id is None:
        return events.none()
    for scope in _SCOPES:
        events = scope(user, events)
    return events.filter(action__startswith=action.strip()) if action.strip() else events
