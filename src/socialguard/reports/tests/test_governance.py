"""Governors see counts and median times by month and school, and never a name or a word of
what was reported."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.test import Client

from socialguard.cases.models import BreachCase, BreachReport, MediaEnquiry
from socialguard.reports.charts import bar_chart
from socialguard.reports.selectors import default_period, governance_report, months_between
from socialguard.safeguarding.models import Concern, Escalation, Referral

pytestmark = pytest.mark.django_db

SEPT = datetime(2026, 9, 8, 10, 0, tzinfo=UTC)
OCT = datetime(2026, 10, 13, 9, 0, tzinfo=UTC)
SECRET = "Jayden said his uncle hurts him"


def _concern(cast, at, *, ack_minutes=None, referral_days=None, school=None) -> Concern:  # type: ignore[no-untyped-def]
    concern = Concern.objects.create(
        organisation=cast.organisation,
        school=school,
        reference=f"SG-T-{Concern.objects.count() + 1}",
        reporter=cast.teacher,
        occurred_at=at,
        account=SECRET,
        categories=["disclosure_abuse"],
    )
    changes = {"created_at": at}
    if ack_minutes is not None:
        changes["acknowledged_at"] = at + timedelta(minutes=ack_minutes)
    Concern.objects.filter(pk=concern.pk).update(**changes)
    if referral_days is not None:
        Referral.objects.create(
            concern=concern,
            agency="ceop",
            made_on=(at + timedelta(days=referral_days)).date(),
            made_by=cast.dsl,
        )
    return concern


def _breach(cast, at, *, outcome_days=None) -> BreachReport:  # type: ignore[no-untyped-def]
    report = BreachReport.objects.create(
        organisation=cast.organisation,
        reference=f"BR-T-{BreachReport.objects.count() + 1}",
        reporter_name="A Contractor",
        reporter_relationship="contractor",
        what_happened=SECRET,
    )
    BreachReport.objects.filter(pk=report.pk).update(created_at=at)
    if outcome_days is not None:
        BreachCase.objects.create(
            organisation=cast.organisation,
            reference=f"BC-T-{report.pk}",
            report=report,
            staff_member=cast.teacher,
            summary=SECRET,
            stage="outcome",
            outcome="advice",
            outcome_decided_by=cast.head,
            outcome_at=at + timedelta(days=outcome_days),
            opened_by=cast.head,
        )
    return report


def test_counts_and_medians_by_month(cast) -> None:  # type: ignore[no-untyped-def]
    _concern(cast, SEPT, ack_minutes=10, referral_days=2)
    _concern(cast, SEPT + timedelta(days=1), ack_minutes=30)
    _concern(cast, SEPT + timedelta(days=2))  # not yet acknowledged: counted, not timed
    _concern(cast, OCT, ack_minutes=5, referral_days=1)
    _breach(cast, SEPT, outcome_days=14)
    _breach(cast, OCT)
    enquiry = MediaEnquiry.objects.create(
        organisation=cast.organisation,
        reference="ME-T-1",
        logged_by=cast.teacher,
        enquirer_name="Reporter",
        outlet="Argus",
        contact="news@argus.example",
        about=SECRET,
        deadline=OCT + timedelta(days=1),
        status="responded",
        response="No comment",
        responded_by=cast.head,
        responded_at=OCT + timedelta(hours=3),
        closed_at=OCT + timedelta(hours=3),
    )
    MediaEnquiry.objects.filter(pk=enquiry.pk).update(created_at=OCT)

    report = governance_report(
        organisation=cast.organisation, since=date(2026, 9, 1), until=date(2026, 10, 31)
    )
    sept, october = report.totals
    values = dict(zip([m.key for m in report.measures], sept.values, strict=True))
    assert values["safeguarding_reports"] == 3
    assert values["concerns"] == 3
    assert values["dsl_ack_minutes"] == 20.0  # median of 10 and 30
    assert values["concerns_referred"] == 1
    assert values["referral_days"] == 2
    assert values["breach_reports"] == 1
    assert values["breach_outcomes"] == 1
    assert values["outcome_days"] == 14.0
    assert values["media_enquiries"] == 0
    assert values["media_response_hours"] is None
    values = dict(zip([m.key for m in report.measures], october.values, strict=True))
    assert (values["safeguarding_reports"], values["dsl_ack_minutes"]) == (1, 5.0)
    assert (values["breach_reports"], values["breach_outcomes"], values["outcome_days"]) == (
        1,
        0,
        None,
    )
    assert (values["media_enquiries"], values["media_response_hours"]) == (1, 3.0)


def test_rows_are_split_by_school_and_the_filter_keeps_one(cast) -> None:  # type: ignore[no-untyped-def]
    junior, infant = cast.junior, cast.infant
    _concern(cast, SEPT, ack_minutes=10, school=junior)
    _concern(cast, SEPT, ack_minutes=40, school=infant)
    report = governance_report(
        organisation=cast.organisation, since=date(2026, 9, 1), until=date(2026, 9, 30)
    )
    assert {row.school for row in report.rows} == {junior.name, infant.name}
    only = governance_report(
        organisation=cast.organisation,
        since=date(2026, 9, 1),
        until=date(2026, 9, 30),
        school=infant,
    )
    assert [row.school for row in only.rows] == [infant.name]
    assert only.totals[0].values[1] == 40.0


def test_a_report_raised_from_the_queue_is_timed_from_the_escalation(cast) -> None:  # type: ignore[no-untyped-def]
    from socialguard.community.tests.factories import live_site, member, post

    site = live_site(cast)
    member(site, cast.pupil, cast.teacher)
    contribution = post(site, cast.pupil, "We went to the park")
    item = contribution.review_items.get()
    escalation = Escalation.objects.create(
        organisation=cast.organisation,
        school=site.school,
        site=site,
        source_type="review_item",
        source_id=item.pk,
        category="other",
        raised_via="person",
        evidence={},
        sha256="",
        status="recorded",
        escalated_at=SEPT,
        acknowledged_at=SEPT + timedelta(minutes=12),
        acknowledged_by=cast.dsl,
    )
    concern = _concern(cast, SEPT + timedelta(hours=1))
    Concern.objects.filter(pk=concern.pk).update(source="review_item", escalation=escalation)
    report = governance_report(
        organisation=cast.organisation, since=date(2026, 9, 1), until=date(2026, 9, 30)
    )
    values = dict(zip([m.key for m in report.measures], report.totals[0].values, strict=True))
    # One matter, counted once, timed from the moment the DSL was told.
    assert values["safeguarding_reports"] == 1
    assert values["concerns"] == 1
    assert values["dsl_ack_minutes"] == 12.0


def test_governors_see_figures_without_names_or_content(cast) -> None:  # type: ignore[no-untyped-def]
    _concern(cast, SEPT, ack_minutes=10, referral_days=2)
    _breach(cast, SEPT, outcome_days=3)
    client = Client()
    client.force_login(cast.governor)
    page = client.get("/reports/?from=2026-09&to=2026-10").content.decode()
    assert "Safeguarding reports to the DSL" in page and "<svg" in page
    for private in (
        SECRET,
        "Jayden",
        cast.teacher.get_full_name(),
        cast.dsl.get_full_name(),
        "A Contractor",
    ):
        assert private not in page
    csv = client.get("/reports/?from=2026-09&to=2026-10&format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode().splitlines()
    assert lines[0].startswith("month,school,Safeguarding reports to the DSL")
    assert lines[1].startswith("2026-09,")
    assert SECRET not in csv.content.decode()


def test_who_may_open_the_report(cast) -> None:  # type: ignore[no-untyped-def]
    for person, status in [
        (cast.governor, 200),
        (cast.head, 200),
        (cast.dsl, 200),
        (cast.admin, 200),
        (cast.teacher, 403),
        (cast.comms, 403),
        (cast.pupil, 403),
        (cast.parent, 403),
    ]:
        client = Client()
        client.force_login(person)
        assert client.get("/reports/").status_code == status, person.username


def test_a_bad_period_is_explained_not_an_error(cast) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(cast.governor)
    page = client.get("/reports/?from=2026-13&to=2026-01").content.decode()
    assert "&#x27;From&#x27; must be a month" in page


def test_periods_and_charts() -> None:
    assert default_period(date(2026, 11, 25)) == (date(2025, 12, 1), date(2026, 11, 25))
    assert months_between(date(2025, 12, 1), date(2026, 2, 3)) == [
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]
    chart = bar_chart("Reports", [(date(2026, 9, 1), 3), (date(2026, 10, 1), 0)])
    tall, flat = chart.bars
    assert tall.height > 0 and flat.height == 0
    assert "September 2026: 3" in chart.summary


def test_the_page_costs_the_same_however_many_matters(cast) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(cast.governor)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/reports/?from=2026-09&to=2026-10").status_code == 200
        return len(captured)

    _concern(cast, SEPT, ack_minutes=10, referral_days=1)
    _breach(cast, SEPT, outcome_days=2)
    few = queries()
    for n in range(10):
        _concern(cast, OCT + timedelta(hours=n), ack_minutes=n, referral_days=n % 3)
        _breach(cast, OCT + timedelta(hours=n), outcome_days=n)
    assert queries() == few
