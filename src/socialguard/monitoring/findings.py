"""Turning what the engine gathered into findings (6.13, 6.11, A.2.3), each citing its clause and
carrying its evidence lines, every line with its sha256 and the finding one over them all. A
pupil's search that may be a safeguarding matter is handed to the DSL at once (A.2.3), through
the one door every other route uses (``safeguarding.escalations.escalation_open``)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.conf import settings
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


def _new_reference() -> str:
    from socialguard.monitoring.services import new_reference

    return new_reference()


def _save_finding(
    *,
    source: LogSource,
    run: IngestRun,
    key: str,
    by: User | None,
    evidence: list[Evidence],
    **fields: Any,
) -> tuple[MonitoringFinding, bool]:
    """Create the finding for ``key``, or add to the one already made (a growing log)."""
    finding = (
        MonitoringFinding.objects.select_for_update()
        .filter(organisation_id=source.organisation_id, key=key)
        .first()
    )
    created = finding is None
    if finding is None:
        finding = MonitoringFinding(
            organisation_id=source.organisation_id,
            source=source,
            run=run,
            key=key,
            reference=_new_reference(),
            **fields,
        )
    else:
        for name in ("summary", "details"):
            setattr(finding, name, fields[name])
    finding.save()
    have = set(finding.evidence.values_list("line_number", "file_name"))
    room = MAX_EVIDENCE - len(have)
    FindingEvidence.objects.bulk_create(
        FindingEvidence(
            finding=finding,
            line_number=e.line_number,
            file_name=run.file_name,
            at=e.at,
            line=e.line,
            sha256=e.sha256,
        )
        for e in evidence[: max(room, 0)]
        if (e.line_number, run.file_name) not in have
    )
    finding.evidence_sha256 = evidence_hash(
        finding.evidence.order_by("at", "line_number", "pk").values_list("sha256", flat=True)
    )
    finding.save(update_fields=["evidence_sha256"])
    audit_record(
        actor=by,
        action="monitoring.finding.new" if created else "monitoring.finding.update",
        target=finding,
        target_repr=finding.reference,
        clauses=(finding.clause,),
        organisation_id=source.organisation_id,
        details={"kind": finding.kind, "run": run.pk, "evidence_sha256": finding.evidence_sha256},
    )
    return finding, created


def write_findings(*, source: LogSource, run: IngestRun, results: Results, by: User | None) -> int:
    made = _social_media(source, run, results, by)
    made += _encyclopaedia_edits(source, run, results, by)
    made += _pupil_searches(source, run, results, by)
    return made


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
    changed = [
        t
        for t in tallies.values()
        if t.pk and t not in new and (t.user_id, t.week_starts) in grouped
    ]
    WeeklyTally.objects.bulk_update(
        changed, ["minutes", "hits", "days", "domains", "last_minute"], batch_size=500
    )
    return {key: tallies[key] for key in grouped}


def _social_media(source: LogSource, run: IngestRun, results: Results, by: User | None) -> int:
    weeks = results.social_weeks(settings.TIME_ZONE)
    if weeks.height == 0:
        return 0
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
    made = 0
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
        _, created = _save_finding(
            source=source,
            run=run,
            key=f"6.13:{user_id}:{week}",
            by=by,
            evidence=results.social_evidence.get((user_id, week), []),
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
        made += created
    return made


# -- 6.11 -------------------------------------------------------------------------------------


def _encyclopaedia_edits(
    source: LogSource, run: IngestRun, results: Results, by: User | None
) -> int:
    people = User.objects.in_bulk([e["user_id"] for e in results.edits.values() if e["user_id"]])
    made = 0
    for (who, day, host), entry in sorted(results.edits.items(), key=lambda i: str(i[0])):
        person = people.get(entry["user_id"]) if entry["user_id"] else None
        actor = _name(person) if person else f"A device at {entry['ip']} (not identified)"
        summary = (
            f"{actor} sent {entry['n']} edit request{'s' if entry['n'] != 1 else ''} (opening "
            f"the editor or saving a change) to {host} on {_day(day)} from the school's network. "
            "6.11: an edit made at work shows the school's address."
        )
        _, created = _save_finding(
            source=source,
            run=run,
            key=f"6.11:{who}:{day}:{host}",
            by=by,
            evidence=entry["evidence"],
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
        made += created
    return made


# -- A.2.3 ------------------------------------------------------------------------------------


def _pupil_searches(source: LogSource, run: IngestRun, results: Results, by: User | None) -> int:
    people = User.objects.in_bulk([e["user_id"] for e in results.searches.values()])
    made = 0
    for (user_id, day, _query), entry in sorted(results.searches.items(), key=lambda i: str(i[0])):
        person = people.get(user_id)
        verdict = entry["verdict"]
        labels = ", ".join(registry.label(c) for c in verdict["categories"]) or "a concern"
        query_hash = hashlib.sha256(verdict["query"].lower().encode()).hexdigest()[:16]
        summary = (
            f"{_name(person)} searched for \u201c{verdict['query']}\u201d on {entry['host']} on "
            f"{_day(day)}; the screening engine found: {labels}."
        )
        finding, created = _save_finding(
            source=source,
            run=run,
            key=f"A.2.3:{user_id}:{day}:{query_hash}",
            by=by,
            evidence=entry["evidence"],
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
        made += created
        if verdict["escalate"] and finding.escalation_id is None:
            _hand_to_leads(finding, person, by)
    return made


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
