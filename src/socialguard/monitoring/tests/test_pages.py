"""The monitoring pages, per role: who gets them, who is refused (403, or 404 where even the
existence of a finding is not theirs to know), and 400 with a plain message for bad input."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from socialguard.monitoring.models import DomainCategory, LogSource, MonitoringSettings, TermDate
from socialguard.monitoring.tests.web_support import pupil_finding, staff_finding

pytestmark = pytest.mark.django_db

LEAD_PAGES = ("upload/", "sources/", "categories/", "hours/")


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("path", LEAD_PAGES)
def test_lead_pages_are_for_the_it_lead_only(cast: Any, path: str) -> None:
    assert _client(cast.it_lead).get(f"/monitoring/{path}").status_code == 200
    for who in (cast.head, cast.dsl, cast.teacher, cast.governor, cast.pupil, cast.admin):
        assert _client(who).get(f"/monitoring/{path}").status_code == 403, (path, who)


def test_overview_and_list_for_lead_head_and_dsls_only(cast: Any) -> None:
    found = staff_finding(cast)
    for who in (cast.it_lead, cast.head, cast.dsl, cast.deputy_dsl):
        for path in ("/monitoring/", "/monitoring/findings/"):
            assert _client(who).get(path).status_code == 200, (path, who)
    for who in (cast.teacher, cast.governor, cast.pupil, cast.comms, cast.admin):
        assert _client(who).get("/monitoring/findings/").status_code == 403, who
    # Another organisation's head teacher sees their own (empty) list, never this one's.
    other = _client(cast.outsider).get("/monitoring/findings/").content.decode()
    assert found.reference not in other


def test_a_staff_finding_is_never_shown_to_the_dsl(cast: Any) -> None:
    staff = staff_finding(cast)
    pupil = pupil_finding(cast)
    for lead in (cast.dsl, cast.deputy_dsl):
        client = _client(lead)
        listing = client.get("/monitoring/findings/").content.decode()
        assert pupil.reference in listing
        assert staff.reference not in listing and "James Carter" not in listing
        assert client.get(f"/monitoring/findings/{staff.pk}/").status_code == 404
        assert client.get(f"/monitoring/findings/{pupil.pk}/").status_code == 200
        refused = client.post(
            f"/monitoring/findings/{staff.pk}/act/",
            {"action": "mark", "status": "false_positive", "note": "not mine to see"},
        )
        assert refused.status_code == 404
    staff.refresh_from_db()
    assert staff.status == "open"
    # Nor through the API.
    body = _client(cast.dsl).get("/api/monitoring-findings").json()
    assert [row["reference"] for row in body] == [pupil.reference]


def test_finding_page_shows_the_evidence_its_hash_and_the_clause_link(cast: Any) -> None:
    found = staff_finding(cast)
    for who in (cast.it_lead, cast.head):
        page = _client(who).get(f"/monitoring/findings/{found.pk}/").content.decode()
        assert found.evidence_sha256 in page
        assert found.evidence.get().sha256 in page
        assert "www.facebook.com" in page
        assert "/policy/#6.13" in page
        assert "The lines still match their hashes." in page
    for who in (cast.teacher, cast.governor, cast.pupil, cast.outsider, cast.comms):
        assert _client(who).get(f"/monitoring/findings/{found.pk}/").status_code == 404, who


def test_findings_list_filters_by_clause_and_status(cast: Any) -> None:
    a = staff_finding(cast)
    b = pupil_finding(cast)
    client = _client(cast.it_lead)
    page = client.get("/monitoring/findings/?clause=A.2.3").content.decode()
    assert b.reference in page and a.reference not in page
    page = client.get("/monitoring/findings/?status=false_positive").content.decode()
    assert a.reference not in page and b.reference not in page


@pytest.mark.parametrize(
    "query", ["?clause=9.9", "?status=maybe", "?run=abc", "?run=99999999999999999999999"]
)
def test_bad_filters_answer_400_in_words(cast: Any, query: str) -> None:
    response = _client(cast.it_lead).get(f"/monitoring/findings/{query}")
    assert response.status_code == 400
    assert b"Traceback" not in response.content


def test_charts_have_no_names_and_are_for_governors_and_the_head(cast: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from socialguard.monitoring.models import TrafficSummary
    from socialguard.monitoring.services import source_default

    source = source_default(organisation=cast.organisation)
    today = timezone.localdate()
    for n, (category, hits) in enumerate((("social_media", 120), ("video", 40))):
        TrafficSummary.objects.create(
            organisation=cast.organisation,
            source=source,
            day=today - timedelta(days=7 + n),
            category=category,
            audience="staff",
            hits=hits,
        )
    staff_finding(cast)
    for who in (cast.governor, cast.head, cast.it_lead):
        response = _client(who).get("/monitoring/charts/")
        assert response.status_code == 200
        page = response.content.decode()
        assert "<svg" in page and "<table" in page
        assert "120" in page and "Social media" in page
        assert "James Carter" not in page and cast.teacher.get_full_name() not in page
    for who in (cast.teacher, cast.dsl, cast.pupil):
        assert _client(who).get("/monitoring/charts/").status_code == 403


def test_source_mapping_is_saved_and_a_csv_source_needs_time_and_url(cast: Any) -> None:
    client = _client(cast.it_lead)
    base = {
        "name": "Filter export",
        "log_format": "csv",
        "match_users_by": "email",
        "time_format": "",
        "map_time": "Date",
    }
    response = client.post("/monitoring/sources/", base)
    assert response.status_code == 400
    assert b"address (URL)" in response.content or b"url" in response.content
    assert not LogSource.objects.filter(name="Filter export").exists()
    response = client.post("/monitoring/sources/", {**base, "map_url": "Site", "map_user": "Who"})
    assert response.status_code == 302
    source = LogSource.objects.get(name="Filter export")
    assert source.column_mapping == {"time": "Date", "url": "Site", "user": "Who"}
    assert source.match_users_by == "email"
    page = client.get(f"/monitoring/sources/{source.pk}/").content.decode()
    assert 'value="Site"' in page


def test_alias_links_a_proxy_name_to_a_person(cast: Any) -> None:
    from socialguard.monitoring.services import source_default

    source = source_default(organisation=cast.organisation)
    client = _client(cast.it_lead)
    response = client.post(
        f"/monitoring/sources/{source.pk}/",
        {"action": "alias", "proxy_name": "STAFF\\jcarter", "user": cast.teacher.pk},
    )
    assert response.status_code == 302
    assert source.aliases.get().user == cast.teacher
    response = client.post(
        f"/monitoring/sources/{source.pk}/", {"action": "alias", "proxy_name": "x", "user": "abc"}
    )
    assert response.status_code == 400
    response = client.post(f"/monitoring/sources/{source.pk}/", {"action": "explode"})
    assert response.status_code == 400


def test_categories_add_override_and_remove(cast: Any) -> None:
    client = _client(cast.it_lead)
    page = client.get("/monitoring/categories/").content.decode()
    assert "facebook.com" in page  # a shipped default is shown
    response = client.post(
        "/monitoring/categories/",
        {"domain": "https://www.Example-School.org/x", "category": "education"},
    )
    assert response.status_code == 302
    row = DomainCategory.objects.get(organisation=cast.organisation)
    assert (row.domain, row.category) == ("www.example-school.org", "education")
    bad = client.post("/monitoring/categories/", {"domain": "not a domain", "category": "video"})
    assert bad.status_code == 400 and b"is not a domain name" in bad.content
    bad = client.post("/monitoring/categories/", {"domain": "a.org", "category": "weird"})
    assert bad.status_code == 400
    assert client.post("/monitoring/categories/", {"remove": row.pk}).status_code == 302
    assert not DomainCategory.objects.filter(organisation=cast.organisation).exists()


def test_hours_terms_and_settings(cast: Any) -> None:
    client = _client(cast.it_lead)
    response = client.post(
        "/monitoring/hours/",
        {
            "action": "hours",
            "role": "staff",
            "weekdays": [0, 1],
            "starts": "08:30",
            "ends": "16:00",
        },
    )
    assert response.status_code == 302
    response = client.post(
        "/monitoring/hours/",
        {"action": "hours", "role": "staff", "weekdays": [2], "starts": "16:00", "ends": "08:00"},
    )
    assert response.status_code == 400 and b"end after they start" in response.content
    response = client.post(
        "/monitoring/hours/",
        {"action": "term", "label": "Autumn", "starts_on": "2026-09-02", "ends_on": "2026-12-18"},
    )
    assert response.status_code == 302
    overlapping = client.post(
        "/monitoring/hours/",
        {"action": "term", "label": "Again", "starts_on": "2026-12-01", "ends_on": "2027-01-10"},
    )
    assert overlapping.status_code == 400 and b"overlap" in overlapping.content
    assert TermDate.objects.filter(organisation=cast.organisation).count() == 1
    response = client.post(
        "/monitoring/hours/", {"action": "settings", "threshold_minutes": 45, "retention_days": 200}
    )
    assert response.status_code == 302
    saved = MonitoringSettings.objects.get(organisation=cast.organisation)
    assert (saved.weekly_social_minutes_threshold, saved.retention_days) == (45, 200)
    bad = client.post(
        "/monitoring/hours/", {"action": "settings", "threshold_minutes": 0, "retention_days": 2}
    )
    assert bad.status_code == 400
    assert (
        client.post("/monitoring/hours/", {"action": "term_remove", "term": "x"}).status_code == 400
    )


def test_review_is_recorded_and_shown_on_the_it_leads_dashboard(cast: Any) -> None:
    client = _client(cast.it_lead)
    response = client.post(
        "/monitoring/review/",
        {"reviewed_on": "2026-09-15", "notes": "Filtering checked with the DSL.", "next_due": ""},
    )
    assert response.status_code == 302
    dashboard = client.get("/").content.decode()
    assert "review due 15 September 2027" in dashboard
    assert client.post("/monitoring/review/", {"reviewed_on": "x", "notes": ""}).status_code == 400
    assert _client(cast.teacher).get("/monitoring/review/").status_code == 403


def test_upload_reads_a_log_and_stores_nothing_of_the_file(cast: Any, tmp_path: Any) -> None:
    import gzip

    from django.core.files.uploadedfile import SimpleUploadedFile

    from socialguard.monitoring.models import IngestRun

    line = (
        "1764578400.000     87 10.20.1.30 TCP_MISS/200 4312 GET http://www.bbc.co.uk/ "
        "itlead HIER_DIRECT/198.51.100.7 text/html\n"
    )
    body = gzip.compress((line * 3 + "this is not a log line\n").encode())
    client = _client(cast.it_lead)
    response = client.post(
        "/monitoring/upload/", {"file": SimpleUploadedFile("access.log.gz", body), "log_format": ""}
    )
    assert response.status_code == 302, response.content[:500]
    run = IngestRun.objects.get()
    assert (run.lines_read, run.lines_bad, run.bad_line_numbers) == (4, 1, [4])
    page = client.get(response["Location"]).content.decode()
    assert "Lines skipped as bad" in page and "line 4" in page
    assert not any(p.name.startswith("access") for p in tmp_path.iterdir())
    again = client.post("/monitoring/upload/", {"file": SimpleUploadedFile("copy.log.gz", body)})
    assert again.status_code == 302
    assert IngestRun.objects.order_by("-pk").first().lines_skipped == 4  # type: ignore[union-attr]
    assert client.post("/monitoring/upload/", {}).status_code == 400
    bad = client.post(
        "/monitoring/upload/", {"file": SimpleUploadedFile("a.log", b"x"), "log_format": "xml"}
    )
    assert bad.status_code == 400
