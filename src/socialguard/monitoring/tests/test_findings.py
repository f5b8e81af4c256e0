"""Findings: 6.13 per person per week above the threshold, 6.11 edits (never from CONNECT),
A.2.3 pupils' searches reaching the DSL, evidence hashed, and who may see which."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from socialguard.monitoring.models import (
    FindingKind,
    MonitoringFinding,
    MonitoringSettings,
    TermDate,
    WorkingHours,
)
from socialguard.monitoring.selectors import evidence_verifies, findings_visible_to
from socialguard.monitoring.tests.conftest import no_screening
from socialguard.monitoring.tests.helpers import at, social_minutes, squid, write
from socialguard.safeguarding.escalations import concern_from_escalation
from socialguard.safeguarding.models import Escalation

pytestmark = pytest.mark.django_db


def test_social_media_above_the_threshold_is_one_finding_per_person_week(
    cast: Any, tmp_path, ingest
) -> None:
    name = cast.teacher.username
    lines = social_minutes(name, 20, day=0) + social_minutes(name, 15, day=2)
    run = ingest(write(tmp_path / "a.log", lines), screen=no_screening)
    finding = MonitoringFinding.objects.get()
    assert run.findings_made == 1
    assert (finding.clause, finding.kind, finding.subject) == (
        "6.13",
        "social_media_week",
        cast.teacher,
    )
    assert finding.week_starts == date(2026, 11, 23)
    assert finding.details["minutes"] == 35 and finding.details["hits"] == len(lines)
    assert "about 35 minutes" in finding.summary and "distinct minutes" in finding.summary
    assert finding.evidence.count() == 20  # a sample, not every hit
    assert evidence_verifies(finding=finding)


def test_below_the_threshold_outside_hours_or_in_the_holidays_no_finding(
    cast: Any, tmp_path, ingest
) -> None:
    MonitoringSettings.objects.create(
        organisation=cast.organisation, weekly_social_minutes_threshold=30
    )
    name = cast.teacher.username
    ingest(write(tmp_path / "below.log", social_minutes(name, 30)), screen=no_screening)
    evening = [squid(at(1, m, hour=19), "http://www.facebook.com/", name) for m in range(60)]
    ingest(write(tmp_path / "evening.log", evening), screen=no_screening)
    assert not MonitoringFinding.objects.exists()
    TermDate.objects.create(
        organisation=cast.organisation,
        label="Spring",
        starts_on=date(2027, 1, 5),
        ends_on=date(2027, 3, 31),
    )
    ingest(write(tmp_path / "holiday.log", social_minutes(name, 50, day=3)), screen=no_screening)
    assert not MonitoringFinding.objects.exists()


def test_a_persons_own_hours_replace_their_roles(cast: Any, tmp_path, ingest) -> None:
    for weekday in range(5):
        WorkingHours.objects.create(
            organisation=cast.organisation,
            role="staff",
            weekday=weekday,
            starts=time(8),
            ends=time(16),
        )
        WorkingHours.objects.create(
            organisation=cast.organisation,
            user=cast.teacher,
            weekday=weekday,
            starts=time(13),
            ends=time(15),
        )
    ingest(
        write(tmp_path / "a.log", social_minutes(cast.teacher.username, 45)), screen=no_screening
    )
    assert not MonitoringFinding.objects.exists()  # 10:00 is outside her own hours


def test_a_week_read_in_parts_is_judged_as_a_whole(cast: Any, tmp_path, ingest) -> None:
    name = cast.teacher.username
    log = write(tmp_path / "a.log", social_minutes(name, 20))
    ingest(log, screen=no_screening)
    assert not MonitoringFinding.objects.exists()
    write(log, social_minutes(name, 20) + social_minutes(name, 20, day=1))
    second = ingest(log, screen=no_screening)
    finding = MonitoringFinding.objects.get()
    assert second.findings_made == 1 and finding.details["minutes"] == 40
    write(
        log,
        social_minutes(name, 20) + social_minutes(name, 20, day=1) + social_minutes(name, 5, day=2),
    )
    third = ingest(log, screen=no_screening)
    finding.refresh_from_db()
    assert third.findings_made == 0 and finding.details["minutes"] == 45
    assert MonitoringFinding.objects.count() == 1


def test_an_encyclopaedia_edit_is_a_6_11_finding(cast: Any, tmp_path, ingest) -> None:
    page = "http://en.wikipedia.org/w/index.php?title=Stafford_Junior_School"
    name = cast.teacher.username
    lines = [
        squid(at(0, 1), f"{page}&action=edit", name),
        squid(at(0, 4), f"{page}&action=submit", name, method="POST"),
        squid(at(0, 6), "http://en.wikipedia.org/wiki/Stafford_Junior_School", name),  # reading
        squid(
            at(0, 8), "http://fr.wikipedia.org/w/index.php?title=X&action=edit", "-", ip="10.0.0.99"
        ),
    ]
    run = ingest(write(tmp_path / "a.log", lines), screen=no_screening)
    findings = {
        f.subject_id: f
        for f in MonitoringFinding.objects.filter(kind=FindingKind.ENCYCLOPAEDIA_EDIT)
    }
    assert run.findings_made == 2
    mine = findings[cast.teacher.pk]
    assert mine.clause == "6.11" and mine.details["requests"] == 2
    assert [e.line_number for e in mine.evidence.all()] == [1, 2]
    assert "school's address" in mine.summary
    theirs = findings[None]
    assert theirs.ip == "10.0.0.99" and "not identified" in theirs.summary


def test_encrypted_encyclopaedia_traffic_is_noted_and_never_claimed_as_an_edit(
    cast: Any, tmp_path, ingest
) -> None:
    lines = [
        squid(at(0, m), "en.wikipedia.org:443", cast.teacher.username, method="CONNECT")
        for m in range(3)
    ]
    run = ingest(write(tmp_path / "a.log", lines), screen=no_screening)
    assert not MonitoringFinding.objects.exists()
    assert any("encrypted" in n and "an edit cannot be seen" in n for n in run.notes)


def test_a_pupils_self_harm_search_reaches_the_leads_at_once(
    cast: Any, tmp_path, ingest, django_capture_on_commit_callbacks: Any
) -> None:
    pupil = cast.pupil.username
    lines = [
        squid(at(0, 1), "http://www.google.co.uk/search?q=volcano+facts", pupil),
        squid(
            at(0, 2),
            "http://www.google.co.uk/search?q=how+to+hurt+myself+without+anyone+knowing&hl=en",
            pupil,
        ),
        squid(
            at(0, 2.2),
            "http://www.google.co.uk/complete/search?q=how+to+hurt+myself+without+anyone+knowing",
            pupil,
        ),
        squid(
            at(0, 3), "http://www.bing.com/search?q=how+to+hurt+myself", cast.teacher.username
        ),  # staff
    ]
    with django_capture_on_commit_callbacks(execute=True):
        run = ingest(write(tmp_path / "a.log", lines))
    finding = MonitoringFinding.objects.get()
    assert (finding.clause, finding.subject, finding.subject_is_pupil) == (
        "A.2.3",
        cast.pupil,
        True,
    )
    assert finding.details["query"] == "how to hurt myself without anyone knowing"
    assert finding.evidence.count() == 2 and evidence_verifies(finding=finding)
    escalation = Escalation.objects.get(source_type="monitoring_finding", source_id=finding.pk)
    assert finding.escalation == escalation
    assert escalation.evidence["evidence_sha256"] == finding.evidence_sha256
    assert len(escalation.evidence["lines"]) == 2
    # The leads' page quotes the search, names the pupil and lists the lines; recording it as
    # a concern names the pupil and carries the words.
    client = Client()
    client.force_login(cast.dsl)
    page = client.get(reverse("moderation:safeguarding_item", args=[escalation.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "how to hurt myself without anyone knowing" in html
    assert cast.pupil.get_full_name() in html and "The log lines it was read from" in html
    concern = concern_from_escalation(escalation=escalation, by=cast.dsl, account="")
    assert list(concern.pupils.values_list("pupil", flat=True)) == [cast.pupil.pk]
    assert "hurt myself" in concern.child_words
    told = {address for message in mail.outbox for address in message.to}
    assert cast.dsl.email in told  # the DSL for the pupil's school (the deputy is the infants')
    assert all("hurt" not in m.body for m in mail.outbox)  # a label and a link, never the words
    assert run.findings_made == 1


def test_staff_findings_are_for_the_it_lead_and_head_pupils_also_for_the_leads(
    cast: Any, tmp_path, ingest
) -> None:
    search = "http://www.google.co.uk/search?q=how+to+hurt+myself"
    lines = [
        *social_minutes(cast.teacher.username, 40),
        squid(at(0, 50), search, cast.pupil.username),
    ]
    ingest(write(tmp_path / "a.log", lines))
    org = cast.organisation

    def seen(user: Any) -> set[str]:
        return set(
            findings_visible_to(user=user, organisation=org).values_list("clause", flat=True)
        )

    assert seen(cast.it_lead) == seen(cast.head) == {"6.13", "A.2.3"}
    assert seen(cast.dsl) == seen(cast.deputy_dsl) == {"A.2.3"}
    for nobody in (cast.teacher, cast.governor, cast.admin, cast.pupil, cast.comms):
        assert seen(nobody) == set()
    assert not findings_visible_to(user=cast.outsider, organisation=org).exists()


def test_a_changed_evidence_line_no_longer_verifies(cast: Any, tmp_path, ingest) -> None:
    ingest(
        write(tmp_path / "a.log", social_minutes(cast.teacher.username, 40)), screen=no_screening
    )
    finding = MonitoringFinding.objects.get()
    line = finding.evidence.first()
    line.line = line.line.replace("facebook", "example")
    line.save()
    assert not evidence_verifies(finding=finding)


def test_a_pupils_ordinary_game_searches_are_not_findings(cast: Any, tmp_path, ingest) -> None:
    """Round 2 of the screening models read "fortnite update" as grooming at 0.93 and made a
    finding for every pupil who searched it (docs/monitoring.md); the real screening here."""
    pupil = cast.pupil.username
    lines = [
        squid(at(0, 1), "http://www.google.co.uk/search?q=fortnite+update", pupil),
        squid(at(0, 2), "http://www.bing.com/search?q=roman+soldiers", pupil),
        squid(at(0, 3), "http://www.google.co.uk/search?q=minecraft+seeds+with+villages", pupil),
    ]
    ingest(write(tmp_path / "a.log", lines))
    assert not MonitoringFinding.objects.filter(clause="A.2.3").exists()
