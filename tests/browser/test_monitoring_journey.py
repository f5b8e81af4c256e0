"""The monitoring lead's week in a browser (issue 14): they upload a proxy log, see a 6.13
weekly summary and a 6.11 edit, mark one a false positive and send the other to the head teacher,
who opens it as a breach case with the finding as its evidence; a pupil's search for self-harm
in the same log has already reached the DSL with its evidence frozen. Screenshots of the upload
result, the findings list, a finding and the governors' charts at 1280 and 390 px go to
docs/screenshots/."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from socialguard.cases.models import BreachCase, CaseEvidence
from socialguard.core.tests.factories import PASSWORD
from socialguard.monitoring.models import MonitoringFinding
from socialguard.safeguarding.models import Escalation
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _week_log(teacher: str, pupil: str) -> bytes:
    """Last week's Squid log: the teacher on Facebook 16 minutes a day on three days (48
    minutes, above the 30-minute default), an edit to Wikipedia, a pupil's searches."""
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday() + 7)
    lines: list[tuple[datetime, str]] = []

    def add(day: int, hh: int, mm: int, ip: str, method: str, url: str, user: str) -> None:
        when = timezone.make_aware(datetime.combine(monday + timedelta(days=day), time(hh, mm)))
        lines.append(
            (
                when,
                f"{when.timestamp():.3f}     87 {ip} TCP_MISS/200 4312 {method} {url} {user} "
                "HIER_DIRECT/198.51.100.7 text/html",
            )
        )

    for day in (0, 2, 3):
        for minute in range(16):
            add(day, 10, 5 + minute, "10.20.1.30", "GET", "http://www.facebook.com/", teacher)
    for minute in range(0, 120, 5):
        add(1, 9, minute % 60, "10.20.1.30", "GET", "http://www.bbc.co.uk/bitesize", teacher)
    page = "http://en.wikipedia.org/w/index.php?title=Stafford_Junior_School"
    add(1, 11, 42, "10.20.1.30", "GET", f"{page}&action=edit", teacher)
    add(1, 11, 49, "10.20.1.30", "POST", f"{page}&action=submit", teacher)
    add(1, 10, 15, "10.20.4.17", "GET", "http://www.google.co.uk/search?q=volcano+facts", pupil)
    add(
        1,
        10,
        16,
        "10.20.4.17",
        "GET",
        "http://www.google.co.uk/search?q=how+to+hurt+myself+without+anyone+knowing",
        pupil,
    )
    lines.sort()
    text = [line for _, line in lines]
    text.insert(3, "a line cut short by a proxy restart")
    return ("\n".join(text) + "\n").encode()


def _shots(page, name: str) -> None:  # type: ignore[no-untyped-def]
    DOCS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(DOCS / f"{name}-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(DOCS / f"{name}-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_monitoring_lead_uploads_and_triages(page, browser, live_server, cast, policy_version):  # type: ignore[no-untyped-def]
    sign_in(page, cast.it_lead.username, PASSWORD)
    page.get_by_role("link", name="Monitoring", exact=True).first.click()
    page.get_by_role("link", name="Upload a log").click()
    page.get_by_label("Log file").set_input_files(
        files=[
            {
                "name": "access.log",
                "mimeType": "text/plain",
                "buffer": _week_log(cast.teacher.username, cast.pupil.username),
            }
        ]
    )
    page.get_by_role("button", name="Read the log").click()
    assert page.get_by_role("heading", name="Log read: access.log").is_visible()
    assert "(first: line 4)" in page.locator(".meta-list").inner_text()
    assert page.csp_errors == []
    _shots(page, "monitoring-upload-result")

    # The findings: one 6.13 week, one 6.11 edit, one A.2.3 search.
    page.get_by_role("link", name="All findings from this log").click()
    week = MonitoringFinding.objects.get(clause="6.13")
    edit = MonitoringFinding.objects.get(clause="6.11")
    search = MonitoringFinding.objects.get(clause="A.2.3")
    rows = page.locator("tbody tr")
    assert rows.count() == 3
    assert page.get_by_text("minutes in contracted hours in the week of").is_visible()
    assert page.get_by_role("link", name="6.11").first.get_attribute("href") == "/policy/#6.11"
    _shots(page, "monitoring-findings")

    # The edit was the teacher correcting a typo for the school office: a false positive.
    page.get_by_role("link", name=edit.reference).click()
    assert page.get_by_text(edit.evidence_sha256).is_visible()
    page.get_by_label("False positive: the finding is wrong").check()
    page.get_by_label("Note").fill("The office asked for the school's page to be corrected.")
    page.get_by_role("button", name="Record the decision").click()
    assert page.get_by_text("Your decision is recorded.").is_visible()
    edit.refresh_from_db()
    assert edit.status == "false_positive"

    # The social media week is confirmed and sent to the head teacher as a breach.
    page.goto(f"/monitoring/findings/{week.pk}/")
    page.get_by_label("True positive: the finding is right").check()
    page.get_by_label("Note").fill("Spoke to him: personal Facebook in lesson time.")
    page.get_by_role("button", name="Record the decision").click()
    _shots(page, "monitoring-finding")
    page.get_by_role("button", name="Open a breach case: send to the head teacher").click()
    assert page.get_by_text("Referred to the head teacher as breach report").is_visible()

    # The head opens the case from the finding; its evidence is the finding, frozen.
    head = browser.new_context(base_url=live_server.url).new_page()
    sign_in(head, cast.head.username, PASSWORD)
    head.goto(f"/monitoring/findings/{week.pk}/")
    head.get_by_role("button", name="Open a breach case").click()
    case = BreachCase.objects.get()
    assert head.get_by_text(f"Breach case {case.reference} is open").is_visible()
    evidence = CaseEvidence.objects.get(case=case)
    assert evidence.source_type == "monitoring_finding" and evidence.source_id == str(week.pk)
    head.get_by_role("link", name=case.reference).click()
    assert head.get_by_text(f"Monitoring finding {week.reference}").first.is_visible()
    head.goto("/monitoring/charts/")
    assert head.get_by_role("figure").first.is_visible()
    assert head.get_by_role("table", name="Visits by week and kind of site").is_visible()
    assert cast.teacher.get_full_name() not in head.content()
    _shots(head, "monitoring-charts")

    # The pupil's search reached the DSL at once, with its evidence; no staff finding shows.
    escalation = Escalation.objects.get(source_type="monitoring_finding", source_id=search.pk)
    dsl = browser.new_context(base_url=live_server.url).new_page()
    sign_in(dsl, cast.dsl.username, PASSWORD)
    assert escalation.evidence["query"] == "how to hurt myself without anyone knowing"
    dsl.goto("/moderation/safeguarding/")
    dsl.goto(f"/moderation/safeguarding/{escalation.pk}/")
    assert dsl.get_by_text("Web search on the school's network").first.is_visible()
    dsl.goto("/monitoring/findings/")
    assert dsl.get_by_role("link", name=search.reference).is_visible()
    dsl.get_by_role("link", name=search.reference).click()
    assert dsl.get_by_text("search?q=how+to+hurt+myself+without+anyone+knowing").is_visible()
    assert dsl.get_by_text(search.evidence_sha256).is_visible()
    assert dsl.get_by_text("Told at once").is_visible()
    dsl.goto("/monitoring/findings/")
    assert dsl.get_by_role("link", name=week.reference).count() == 0
    assert dsl.get_by_role("link", name=edit.reference).count() == 0
    assert dsl.goto(f"/monitoring/findings/{week.pk}/").status == 404  # type: ignore[union-attr]
