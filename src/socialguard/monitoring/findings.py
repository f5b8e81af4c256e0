"""Turning what the engine gathered into findings (6.13, 6.11, A.2.3), each citing its clause and
carrying its evidence lines, every line with its sha256 and the finding one over them all. A
pupil's search that may be a safeguarding matter is handed to the DSL at once (A.2.3), through
the one door every other route uses (``safeguarding.escalations.escalation_open``)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from socialguard.accounts.models import User
from socialguard.audit.services import audit_record
from socialguard.monitoring.ingest.pipeline import Evidence, Results
from socialguard.monitoring.models import (
    Clause,
    FindingEvidence,
    FindingKind,
    IngestRun,
    LogSource,
    MonitoringFinding,
    MonitoringSettings,
    WeeklyTally,
)
from socialguard.safeguarding.escalations import escalation_open
from socialguard.screening import categories as registry

MINUTES_METHOD = (
    "Minutes are the distinct minutes in which the proxy saw at least one request from this "
    "person to a social media site within their contracted hours in term time, so they are an "
    "estimate: a page left open that refreshes itself counts too."
)
MAX_EVIDENCE = 50


def evidence_hash(hashes: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(hashes).encode()).hexdigest()


def _name(user: User | None) -> str:
    if user is None:
        return "Someone not identified"
    return user.get_full_name() or user.username


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def _new_references(count: int) -> list[str]:
    from socialguard.monitoring.services import new_reference_code

    references: set[str] = set()
    while len(references) < count:
        wanted = {new_reference_code() for _ in range(count - len(references))}
        taken = set(
            MonitoringFinding.objects.filter(reference__in=wanted).values_list(
                "reference", flat=True
            )
        )
        references |= wanted - taken
    return sorted(references)


EVIDENCE_COLUMNS = ("finding", "line_number", "file_name", "at", "line", "sha256")


def _evidence_row(finding: MonitoringFinding, line: Evidence, file_name: str) -> tuple[Any, ...]:
    return (finding.pk, line.line_number, file_name, line.at, line.line, line.sha256)


def _insert_evidence(rows: list[tuple[Any, ...]]) -> None:
    """Evidence lines in one parameterised INSERT run for all rows (a long log's run writes
    tens of thousands): Django's bulk_create builds a model and compiles SQL per row, which was
    a third of the time a 10 M-line ingest spent in the database."""
    if not rows:
        return
    meta = FindingEvidence._meta
    quote = connection.ops.quote_name
    fields = {f.name: f for f in meta.concrete_fields}
    columns = ", ".join(quote(fields[name].column) for name in EVIDENCE_COLUMNS)
    places = ", ".join(["%s"] * len(EVIDENCE_COLUMNS))
    at = EVIDENCE_COLUMNS.index("at")
    adapt = connection.ops.adapt_datetimefield_value
    params = [(*row[:at], adapt(row[at]), *row[at + 1 :]) for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({places})",  # noqa: S608
            params,
        )


@dataclass
class Draft:
    key: str
    evidence: list[Evidence]
    fields: dict[str, Any]
    escalate: bool = False


@dataclass
class Batch:
    """The run's findings, written together: a run may make hundreds, and one query per kind
    of row, not per finding, keeps a log's ingest bounded by its lines, not its findings."""

    source: LogSource
    run: IngestRun
    drafts: list[Draft] = field(default_factory=list)

    def add(
        self, key: str, evidence: list[Evidence], escalate: bool = False, **fields: Any
    ) -> None:
        self.drafts.append(Draft(key, evidence, fields, escalate))

    def save(self, by: User | None) -> int:
        if not self.drafts:
            return 0
        org_id = self.source.organisation_id
        existing: dict[str, MonitoringFinding] = {}
        keys = [d.key for d in self.drafts]
        for i in range(0, len(keys), 500):
            for found in MonitoringFinding.objects.select_for_update().filter(
                organisation_id=org_id, key__in=keys[i : i + 500]
            ):
                existing[found.key] = found
        references = iter(_new_references(sum(1 for k in keys if k not in existing)))
        findings, new, kept = [], [], []
        name = self.run.file_name
        for draft in self.drafts:
            finding = existing.get(draft.key)
            if finding is None:
                # A new finding's evidence is the draft's, so its hash is known before it is
                # written: one insert per finding, no update after.
                lines = sorted(draft.evidence[:MAX_EVIDENCE], key=lambda e: (e.at, e.line_number))
                finding = MonitoringFinding(
                    organisation_id=org_id,
                    source=self.source,
                    run=self.run,
                    key=draft.key,
                    reference=next(references),
                    evidence_sha256=evidence_hash(e.sha256 for e in lines),
                    **draft.fields,
                )
                new.append((finding, lines))
            else:
                finding.summary, finding.details = draft.fields["summary"], draft.fields["details"]
                kept.append((finding, draft))
            findings.append(finding)
        MonitoringFinding.objects.bulk_create([f for f, _ in new], batch_size=500)
        _insert_evidence([_evidence_row(finding, e, name) for finding, lines in new for e in lines])
        if kept:
            self._add_evidence(kept)
            MonitoringFinding.objects.bulk_update(
                [f for f, _ in kept],
                ["summary", "details", "evidence_sha256", "updated_at"],
                batch_size=500,
            )
        new_ids = {f.pk for f, _ in new}
        self._audit(by, [f for f, _ in new], [f for f in findings if f.pk not in new_ids])
        for draft, finding in zip(self.drafts, findings, strict=True):
            if draft.escalate and finding.escalation_id is None:
                _hand_to_leads(finding, draft.fields.get("subject"), by)
        return len(new)

    def _add_evidence(self, kept: list[tuple[MonitoringFinding, Draft]]) -> None:
        """More lines for findings already made (a later part of the same week or day), up to
        the limit, and the hash over all of each finding's lines again."""
        ids = [f.pk for f, _ in kept]
        have: dict[int, set[tuple[int, str]]] = {pk: set() for pk in ids}
        for i in range(0, len(ids), 500):
            for pk, number, file_name in FindingEvidence.objects.filter(
                finding_id__in=ids[i : i + 500]
            ).values_list("finding_id", "line_number", "file_name"):
                have[pk].add((number, file_name))
        name = self.run.file_name
        rows = []
        for finding, draft in kept:
            room = MAX_EVIDENCE - len(have[finding.pk])
            fresh = [e for e in draft.evidence if (e.line_number, name) not in have[finding.pk]]
            rows += [_evidence_row(finding, e, name) for e in fresh[: max(room, 0)]]
        _insert_evidence(rows)
        hashes: dict[int, list[str]] = {pk: [] for pk in ids}
        for i in range(0, len(ids), 500):
            for pk, sha in (
                FindingEvidence.objects.filter(finding_id__in=ids[i : i + 500])
                .order_by("finding_id", "at", "line_number", "pk")
                .values_list("finding_id", "sha256")
            ):
                hashes[pk].append(sha)
        now = timezone.now()
        for finding, _ in kept:
            finding.evidence_sha256 = evidence_hash(hashes[finding.pk])
            finding.updated_at = now

    def _audit(
        self, by: User | None, new: list[MonitoringFinding], updated: list[MonitoringFinding]
    ) -> None:
        """One event for the run's findings, naming each by reference and clause."""
        for action, group in (
            ("monitoring.finding.new", new),
            ("monitoring.finding.update", updated),
        ):
            if not group:
                continue
            audit_record(
                actor=by,
                action=action,
                target=self.run,
                target_repr=f"web log {self.run.file_name}",
                clauses=sorted({f.clause for f in group}),
                organisation_id=self.source.organisation_id,
                details={
                    "findings": [
                        {
                            "reference": f.reference,
                            "clause": f.clause,
                            "kind": f.kind,
                            "evidence_sha256": f.evidence_sha256,
                        }
                        for f in group
                    ]
                },
            )


def write_findings(*, source: LogSource, run: IngestRun, results: Results, by: User | None) -> int:
    batch = Batch(source, run)
    _social_media(batch, results)
    _encyclopaedia_edits(batch, results)
    _pupil_searches(batch, results)
    return batch.save(by)


# -- 6.13 -------------------------------------------------------------------------------------


def _merge_week(
    tally: WeeklyTally,
    days: list[tuple[date, int]],
    first: datetime,
    last: datetime,
    domains: dict[str, int],
) -> None:
    # Lines are in time order: a run can share only its first minute with the one before.
    overlap = 1 if tally.last_minute is not None and first == tally.last_minute else 0
    for day, minutes in days:
        tally.days[str(day)] = tally.days.get(str(day), 0) + minutes
    if overlap:
        key = str(timezone.localtime(first).date())
        tally.days[key] = max(tally.days.get(key, 1) - 1, 0)
    tally.minutes += sum(m for _, m in days) - overlap
    for host, hits in domains.items():
        tally.domains[host] = tally.domains.get(host, 0) + hits
    tally.hits += sum(domains.values())
    if tally.last_minute is None or last > tally.last_minute:
        tally.last_minute = last


def _tallies(
    organisation_id: int, grouped: dict[tuple[int, date], dict[str, Any]], results: Results
) -> dict[tuple[int, date], WeeklyTally]:
    """Every person-week's running tally, read and written in bulk (hundreds of staff)."""
    weeks = {week for _, week in grouped}
    tallies = {
        (t.user_id, t.week_starts): t
        for t in WeeklyTally.objects.select_for_update().filter(
            organisation_id=organisation_id, week_starts__in=weeks
        )
    }
    new = []
    for key, entry in grouped.items():
        tally = tallies.get(key)
        if tally is None:
            tally = tallies[key] = WeeklyTally(
                organisation_id=organisation_id, user_id=key[0], week_starts=key[1]
            )
            new.append(tally)
        _merge_week(
            tally, entry["days"], entry["first"], entry["last"], results.social_hits.get(key, {})
        )
    WeeklyTally.objects.bulk_create(new, batch_size=500)
    fresh = {(t.user_id, t.week_starts) for t in new}
    changed = [t for key, t in tallies.items() if key in grouped and key not in fresh]
    WeeklyTally.objects.bulk_update(
        changed, ["minutes", "hits", "days", "domains", "last_minute"], batch_size=500
    )
    return {key: tallies[key] for key in grouped}


def _social_media(batch: Batch, results: Results) -> None:
    source = batch.source
    weeks = results.social_weeks(settings.TIME_ZONE)
    if weeks.height == 0:
        return
    threshold = MonitoringSettings.objects.get_or_create(organisation_id=source.organisation_id)[
        0
    ].weekly_social_minutes_threshold
    grouped: dict[tuple[int, date], dict[str, Any]] = {}
    for user_id, week, day, minutes, first, last in weeks.select(
        "user_id", "week", "day", "minutes", "first", "last"
    ).iter_rows():
        entry = grouped.setdefault((user_id, week), {"days": [], "first": first, "last": last})
        entry["days"].append((day, int(minutes)))
        entry["first"], entry["last"] = min(entry["first"], first), max(entry["last"], last)
    tallies = _tallies(source.organisation_id, grouped, results)
    above = [key for key, tally in tallies.items() if tally.minutes > threshold]
    people = User.objects.in_bulk([u for u, _ in above])
    for user_id, week in sorted(above, key=str):
        tally, entry = tallies[(user_id, week)], grouped[(user_id, week)]
        person = people.get(user_id)
        top = sorted(tally.domains.items(), key=lambda kv: -kv[1])[:3]
        summary = (
            f"{_name(person)} used personal social media for about {tally.minutes} minutes in "
            f"contracted hours in the week of {_day(week)}, above the school's "
            f"{threshold}-minute threshold, on {sum(1 for m in tally.days.values() if m)} days "
            f"(mostly {', '.join(h for h, _ in top)}). {MINUTES_METHOD}"
        )
        batch.add(
            f"6.13:{user_id}:{week}",
            results.social_evidence.get((user_id, week), []),
            clause=Clause.PERSONAL_SOCIAL_MEDIA,
            kind=FindingKind.SOCIAL_MEDIA_WEEK,
            subject=person,
            subject_is_pupil=False,
            school_id=person.school_id if person else None,
            occurred_at=entry["first"],
            week_starts=week,
            summary=summary,
            details={
                "minutes": tally.minutes,
                "hits": tally.hits,
                "threshold": threshold,
                "days": dict(sorted(tally.days.items())),
                "domains": tally.domains,
                "method": MINUTES_METHOD,
            },
        )


# -- 6.11 -------------------------------------------------------------------------------------


def _encyclopaedia_edits(batch: Batch, results: Results) -> None:
    people = User.objects.in_bulk([e["user_id"] for e in results.edits.values() if e["user_id"]])
    for (who, day, host), entry in sorted(results.edits.items(), key=lambda i: str(i[0])):
        person = people.get(entry["user_id"]) if entry["user_id"] else None
        actor = _name(person) if person else f"A device at {entry['ip']} (not identified)"
        summary = (
            f"{actor} sent {entry['n']} edit request{'s' if entry['n'] != 1 else ''} (opening "
            f"the editor or saving a change) to {host} on {_day(day)} from the school's network. "
            "6.11: an edit made at work shows the school's address."
        )
        batch.add(
            f"6.11:{who}:{day}:{host}",
            entry["evidence"],
            clause=Clause.ENCYCLOPAEDIA_EDIT,
            kind=FindingKind.ENCYCLOPAEDIA_EDIT,
            subject=person,
            subject_is_pupil=False,
            school_id=person.school_id if person else None,
            ip=entry["ip"],
            occurred_at=entry["first"],
            summary=summary,
            details={"host": host, "requests": entry["n"], "urls": entry["urls"][:10]},
        )


# -- A.2.3 ------------------------------------------------------------------------------------


def _pupil_searches(batch: Batch, results: Results) -> None:
    people = User.objects.in_bulk([e["user_id"] for e in results.searches.values()])
    for (user_id, day, _query), entry in sorted(results.searches.items(), key=lambda i: str(i[0])):
        person = people.get(user_id)
        verdict = entry["verdict"]
        labels = ", ".join(registry.label(c) for c in verdict["categories"]) or "a concern"
        query_hash = hashlib.sha256(verdict["query"].lower().encode()).hexdigest()[:16]
        summary = (
            f"{_name(person)} searched for \u201c{verdict['query']}\u201d on {entry['host']} on "
            f"{_day(day)}; the screening engine found: {labels}."
        )
        batch.add(
            f"A.2.3:{user_id}:{day}:{query_hash}",
            entry["evidence"],
            escalate=bool(verdict["escalate"]),
            clause=Clause.PUPIL_SEARCH,
            kind=FindingKind.PUPIL_SEARCH,
            subject=person,
            subject_is_pupil=True,
            school_id=person.school_id if person else None,
            occurred_at=entry["first"],
            summary=summary,
            details={
                "engine": entry["host"],
                "query": verdict["query"],
                "action": verdict["action"],
                "categories": verdict["categories"],
                "escalate": verdict["escalate"],
                "findings": verdict["findings"],
            },
        )


def _hand_to_leads(finding: MonitoringFinding, pupil: User | None, by: User | None) -> None:
    """A.2.3: the DSL hears at once, with the evidence frozen as it was read."""
    lines = list(finding.evidence.order_by("at", "line_number", "pk"))
    record = {
        "kind": "monitoring_finding",
        "finding": finding.reference,
        "clause": finding.clause,
        "pupil": _name(pupil),
        "pupil_id": pupil.pk if pupil else None,
        "summary": finding.summary,
        "query": finding.details.get("query", ""),
        "engine": finding.details.get("engine", ""),
        "at": finding.occurred_at.isoformat(),
        "lines": [
            {"line_number": e.line_number, "file": e.file_name, "line": e.line, "sha256": e.sha256}
            for e in lines
        ],
        "evidence_sha256": finding.evidence_sha256,
        # What the leads' page and "Record as a concern" read of any escalated item: the words,
        # who wrote them (the pupil is named on the concern), and when.
        "content": finding.details.get("query", ""),
        "author": _name(pupil),
        "author_id": pupil.pk if pupil else None,
        "written_at": finding.occurred_at.isoformat(),
    }
    escalation = escalation_open(
        organisation_id=finding.organisation_id,
        school_id=finding.school_id,
        site_id=None,
        place="Web search on the school's network",
        source_type="monitoring_finding",
        source_id=finding.pk,
        category=_safeguarding_category(finding),
        record=record,
        by=None,
        findings=finding.details.get("findings", []),
    )
    finding.escalation = escalation
    finding.save(update_fields=["escalation"])
    audit_record(
        actor=by,
        action="monitoring.finding.escalated",
        target=finding,
        target_repr=finding.reference,
        clauses=("A.2.3", "A.5.6"),
        organisation_id=finding.organisation_id,
        details={"escalation": escalation.pk, "sha256": escalation.sha256},
    )


def _safeguarding_category(finding: MonitoringFinding) -> str:
    for found in finding.details.get("findings", []):
        if registry.category(found["category"]).safeguarding:
            return str(found["category"])
    return "other"
