"""The governors' report: how many, and how fast, by month and school.

Every figure is counted from the records themselves (no separate statistics table to drift) and
attributed to the month in which the matter *started* (a disclosure, a breach report, a media
enquiry), so a month's row does not change meaning as later months pass; its medians fill in
as matters are acknowledged, referred or decided. Medians are over the matters that have reached
that step. No name, pupil or content leaves this module: only school names, months, counts and
durations.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone

from socialguard.accounts.models import Organisation, School

WHOLE_ORGANISATION = "Organisation-wide (no single school)"


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    unit: str = ""  # "" for counts, else the unit of a median
    clauses: tuple[str, ...] = ()
    section: str = "Safeguarding"


MEASURES = (
    Measure("safeguarding_reports", "Safeguarding reports to the DSL", clauses=("A.2.3", "A.5.6")),
    Measure("dsl_ack_minutes", "Median time to DSL acknowledgement", "minutes", ("A.2.3",)),
    Measure("concerns", "Concerns recorded", clauses=("A.2.3",)),
    Measure("concerns_referred", "Concerns referred to an agency", clauses=("A.5.6",)),
    Measure("referral_days", "Median time from concern to referral", "days", ("A.5.6",)),
    Measure("breach_reports", "Breach reports", "", ("9.1", "9.4"), "Breaches of the policy"),
    Measure("breach_outcomes", "With an outcome", "", ("9.2",), "Breaches of the policy"),
    Measure(
        "outcome_days",
        "Median time from report to outcome",
        "days",
        ("9.2",),
        "Breaches of the policy",
    ),
    Measure("media_enquiries", "Media enquiries", "", ("A.3.7",), "Media enquiries"),
    Measure(
        "media_response_hours", "Median time to the head's response", "hours", (), "Media enquiries"
    ),
)
MEASURE_BY_KEY = {m.key: m for m in MEASURES}


@dataclass
class Cell:
    """The raw material of one (month, school) row: counts and the durations behind medians."""

    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    durations: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))

    def value(self, measure: Measure) -> float | int | None:
        if not measure.unit:
            return self.counts.get(measure.key, 0)
        values = self.durations.get(measure.key)
        return round(statistics.median(values), 1) if values else None


@dataclass(frozen=True)
class Row:
    month: date
    school: str
    values: tuple[float | int | None, ...]


@dataclass(frozen=True)
class Section:
    title: str
    measures: tuple[Measure, ...]
    totals: tuple[Row, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class GovernanceReport:
    since: date
    until: date
    months: tuple[date, ...]
    schools: tuple[str, ...]
    rows: tuple[Row, ...]  # one per month and school with anything in it
    totals: tuple[Row, ...]  # one per month, all schools together (medians over all)
    measures: tuple[Measure, ...] = MEASURES

    def sections(self) -> list[Section]:
        """The figures split by topic, so that each table is narrow enough to read."""
        found: list[Section] = []
        for title in dict.fromkeys(m.section for m in self.measures):
            index = [n for n, m in enumerate(self.measures) if m.section == title]
            found.append(
                Section(
                    title=title,
                    measures=tuple(self.measures[n] for n in index),
                    totals=tuple(
                        Row(r.month, r.school, tuple(r.values[n] for n in index))
                        for r in self.totals
                    ),
                    rows=tuple(
                        Row(r.month, r.school, tuple(r.values[n] for n in index))
                        for r in self.rows
                        if any(r.values[n] for n in index)
                    ),
                )
            )
        return found

    def series(self, key: str) -> list[tuple[date, float | int | None]]:
        index = [m.key for m in self.measures].index(key)
        return [(row.month, row.values[index]) for row in self.totals]


def month_of(moment: datetime | date) -> date:
    day = timezone.localtime(moment).date() if isinstance(moment, datetime) else moment
    return day.replace(day=1)


def next_month(day: date) -> date:
    """The first day of the month after ``day``'s."""
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def month_end(day: date) -> date:
    return next_month(day) - timedelta(days=1)


def months_between(since: date, until: date) -> list[date]:
    months, current = [], since.replace(day=1)
    while current <= until:
        months.append(current)
        current = next_month(current)
    return months


def _minutes(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 60


class _Collector:
    def __init__(self, since: date, until: date) -> None:
        self.since, self.until = since, until
        self.cells: dict[tuple[date, str], Cell] = defaultdict(Cell)
        self.totals: dict[date, Cell] = defaultdict(Cell)

    def within(self, moment: datetime) -> bool:
        day = timezone.localtime(moment).date()
        return self.since <= day <= self.until

    def count(self, moment: datetime, school: str | None, key: str) -> None:
        month = month_of(moment)
        self.cells[(month, school or WHOLE_ORGANISATION)].counts[key] += 1
        self.totals[month].counts[key] += 1

    def duration(self, moment: datetime, school: str | None, key: str, value: float) -> None:
        month = month_of(moment)
        self.cells[(month, school or WHOLE_ORGANISATION)].durations[key].append(value)
        self.totals[month].durations[key].append(value)


def _safeguarding(collect: _Collector, organisation: Organisation, school: School | None) -> None:
    from socialguard.safeguarding.models import Concern, Escalation

    items = Escalation.objects.filter(organisation=organisation).values_list(
        "escalated_at", "acknowledged_at", "school__name", "school_id"
    )
    for escalated_at, acknowledged_at, school_name, school_id in items:
        if school is not None and school_id != school.pk:
            continue
        if escalated_at is None or not collect.within(escalated_at):
            continue
        collect.count(escalated_at, school_name, "safeguarding_reports")
        if acknowledged_at:
            collect.duration(
                escalated_at,
                school_name,
                "dsl_ack_minutes",
                _minutes(escalated_at, acknowledged_at),
            )

    concerns = Concern.objects.filter(organisation=organisation)
    if school is not None:
        concerns = concerns.filter(school=school)
    first_referral: dict[int, date] = {}
    for concern_id, made_on in concerns.values_list("pk", "referrals__made_on"):
        if made_on and (concern_id not in first_referral or made_on < first_referral[concern_id]):
            first_referral[concern_id] = made_on
    rows = concerns.values_list("pk", "created_at", "acknowledged_at", "source", "school__name")
    for pk, created_at, acknowledged_at, source, school_name in rows:
        if not collect.within(created_at):
            continue
        collect.count(created_at, school_name, "concerns")
        # A concern raised from a review item was already counted (and timed) as that item.
        if source != Concern.Source.REVIEW_ITEM:
            collect.count(created_at, school_name, "safeguarding_reports")
            if acknowledged_at:
                collect.duration(
                    created_at,
                    school_name,
                    "dsl_ack_minutes",
                    _minutes(created_at, acknowledged_at),
                )
        if pk in first_referral:
            collect.count(created_at, school_name, "concerns_referred")
            days = (first_referral[pk] - timezone.localtime(created_at).date()).days
            collect.duration(created_at, school_name, "referral_days", max(days, 0))


def _breaches(collect: _Collector, organisation: Organisation, school: School | None) -> None:
    from socialguard.cases.models import BreachCase, BreachReport

    reports = BreachReport.objects.filter(organisation=organisation)
    cases = BreachCase.objects.filter(organisation=organisation)
    if school is not None:
        reports, cases = reports.filter(school=school), cases.filter(school=school)
    # A matter starts with its report; a case opened without one (from a monitoring finding,
    # say) starts when it was opened.
    matters = [
        *reports.values_list("created_at", "case__outcome_at", "school__name"),
        *cases.filter(report__isnull=True).values_list("created_at", "outcome_at", "school__name"),
    ]
    for started, outcome_at, school_name in matters:
        if not collect.within(started):
            continue
        collect.count(started, school_name, "breach_reports")
        if outcome_at:
            collect.count(started, school_name, "breach_outcomes")
            days = round(_minutes(started, outcome_at) / 1440, 1)
            collect.duration(started, school_name, "outcome_days", days)


def _media(collect: _Collector, organisation: Organisation, school: School | None) -> None:
    from socialguard.cases.models import MediaEnquiry

    enquiries = MediaEnquiry.objects.filter(organisation=organisation)
    if school is not None:
        enquiries = enquiries.filter(school=school)
    for created_at, responded_at, school_name in enquiries.values_list(
        "created_at", "responded_at", "school__name"
    ):
        if not collect.within(created_at):
            continue
        collect.count(created_at, school_name, "media_enquiries")
        if responded_at:
            collect.duration(
                created_at,
                school_name,
                "media_response_hours",
                round(_minutes(created_at, responded_at) / 60, 1),
            )


def governance_report(
    *, organisation: Organisation, since: date, until: date, school: School | None = None
) -> GovernanceReport:
    collect = _Collector(since, until)
    _safeguarding(collect, organisation, school)
    _breaches(collect, organisation, school)
    _media(collect, organisation, school)
    months = months_between(since, until)
    schools = sorted({name for _, name in collect.cells})
    rows = tuple(
        Row(month, name, tuple(collect.cells[(month, name)].value(m) for m in MEASURES))
        for month in months
        for name in schools
        if (month, name) in collect.cells
    )
    totals = tuple(
        Row(month, "", tuple(collect.totals[month].value(m) for m in MEASURES)) for month in months
    )
    return GovernanceReport(
        since=since,
        until=until,
        months=tuple(months),
        schools=tuple(schools),
        rows=rows,
        totals=totals,
    )


def default_period(today: date) -> tuple[date, date]:
    """The last twelve months, this one included."""
    return next_month(date(today.year - 1, today.month, 1)), today


def csv_lines(report: GovernanceReport) -> Iterable[list[str]]:
    yield ["month", "school", *(m.label + (f" ({m.unit})" if m.unit else "") for m in MEASURES)]
    for row in report.rows:
        yield [
            row.month.strftime("%Y-%m"),
            row.school,
            *("" if v is None else str(v) for v in row.values),
        ]
