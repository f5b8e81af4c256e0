"""The 8.2 acceptable-use notice: staff and pupils are sent to it after signing in until they
accept the current version, and again for a new one; acceptance is recorded per person and
version; the monitoring page shows who has not accepted."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings

from socialguard.audit.models import AuditEvent
from socialguard.core.errors import ApplicationError
from socialguard.monitoring import notices
from socialguard.monitoring.models import AcceptableUseNotice, NoticeAcceptance

pytestmark = pytest.mark.django_db
REQUIRED = override_settings(SOCIALGUARD_AUP_REQUIRED=True)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@REQUIRED
def test_a_teacher_is_sent_to_the_notice_until_they_accept(cast: Any) -> None:
    client = _client(cast.teacher)
    response = client.get("/safeguarding/new/")
    assert response.status_code == 302
    assert response["Location"] == "/monitoring/notice/?next=%2Fsafeguarding%2Fnew%2F"
    page = client.get(response["Location"]).content.decode()
    assert "should not expect anything you make, keep, send or receive" in page
    notice = AcceptableUseNotice.objects.get(organisation=cast.organisation)
    accepted = client.post(
        "/monitoring/notice/", {"version": notice.pk, "next": "/safeguarding/new/"}
    )
    assert accepted.status_code == 302 and accepted["Location"] == "/safeguarding/new/"
    assert client.get("/safeguarding/new/").status_code == 200
    row = NoticeAcceptance.objects.get()
    assert (row.user, row.notice.version) == (cast.teacher, 1)
    assert AuditEvent.objects.filter(action="monitoring.notice.accept").count() == 1


@REQUIRED
def test_a_new_version_asks_everyone_again(cast: Any) -> None:
    client = _client(cast.pupil)
    first = notices.notice_current(organisation=cast.organisation)
    client.post("/monitoring/notice/", {"version": first.pk})
    assert client.get("/").status_code == 200
    lead = _client(cast.it_lead)
    lead.post("/monitoring/notice/", {"version": first.pk})
    response = lead.post("/monitoring/notice/manage/", {"text": first.text + "\n\nNew line."})
    assert response.status_code == 302
    assert AcceptableUseNotice.objects.get(version=2).published_by == cast.it_lead
    assert client.get("/").status_code == 302  # the pupil is asked again
    stale = client.post("/monitoring/notice/", {"version": first.pk})
    assert stale.status_code == 400  # accepting the old version does not count


@REQUIRED
def test_exempt_paths_and_people_who_are_not_asked(cast: Any) -> None:
    client = _client(cast.teacher)
    for path in ("/monitoring/notice/", "/policy/", "/accounts/mfa/"):
        assert client.get(path).status_code == 200, path
    assert client.post("/accounts/sign-out/").status_code in (200, 302)
    # A family member contributes from their own devices: not asked.
    assert _client(cast.parent).get("/").status_code == 200
    # The API has no one to read a notice.
    assert _client(cast.teacher).get("/api/policy").status_code in (200, 404)


def test_off_unless_required(cast: Any) -> None:
    assert _client(cast.teacher).get("/").status_code == 200


def test_the_monitoring_page_shows_who_has_not_accepted(cast: Any) -> None:
    notice = notices.notice_current(organisation=cast.organisation)
    notices.notice_accept(notice=notice, by=cast.teacher)
    pending = set(notices.people_not_accepted(notice=notice))
    assert cast.teacher not in pending
    assert {cast.pupil, cast.head, cast.it_lead, cast.contractor} <= pending
    assert cast.parent not in pending and cast.outsider not in pending
    page = _client(cast.it_lead).get("/monitoring/notice/manage/").content.decode()
    assert cast.pupil.get_full_name() in page
    assert cast.teacher.get_full_name() not in page
    assert _client(cast.teacher).get("/monitoring/notice/manage/").status_code == 403
    assert _client(cast.head).post("/monitoring/notice/manage/", {"text": "x"}).status_code == 403


def test_publishing_checks_the_text(cast: Any) -> None:
    notice = notices.notice_current(organisation=cast.organisation)
    with pytest.raises(ApplicationError, match="same as the current"):
        notices.notice_publish(organisation=cast.organisation, by=cast.it_lead, text=notice.text)
    with pytest.raises(ApplicationError, match="Write the text"):
        notices.notice_publish(organisation=cast.organisation, by=cast.it_lead, text="  ")
    bad = _client(cast.it_lead).post("/monitoring/notice/manage/", {"text": ""})
    assert bad.status_code == 400
    with pytest.raises(ApplicationError, match="not one for you"):
        notices.notice_accept(notice=notice, by=cast.parent)
    assert _client(cast.teacher).post("/monitoring/notice/", {"version": "x"}).status_code == 400


@pytest.mark.parametrize("next_url", ["abc", "https://evil.example/", "//evil.example/x"])
def test_accepting_goes_back_only_to_a_page_of_this_site(cast: Any, next_url: str) -> None:
    notice = notices.notice_current(organisation=cast.organisation)
    response = _client(cast.teacher).post(
        "/monitoring/notice/", {"version": notice.pk, "next": next_url}
    )
    assert response.status_code == 302 and response["Location"] == "/"
