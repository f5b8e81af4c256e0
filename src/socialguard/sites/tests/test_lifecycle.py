"""A.1.6 / A.1.7: reminders once, review due, closing, evaluation against aims, neglect, export."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.core import mail
from django.test import Client

from socialguard.approvals.models import ApprovalRequest
from socialguard.core.errors import ApplicationError
from socialguard.sites.lifecycle import site_evaluation_record, site_export, site_lifecycle_check
from socialguard.sites.models import Site
from socialguard.sites.tests.factories import proposal

pytestmark = pytest.mark.django_db
TODAY = date.today()


@pytest.fixture
def live_site(cast) -> Site:  # type: ignore[no-untyped-def]
    site = proposal(
        cast,
        go_live_on=TODAY - timedelta(days=3),
        review_on=TODAY + timedelta(days=20),
        closure_on=TODAY + timedelta(days=200),
    )
    site.status = Site.Status.LIVE
    site.save()
    return site


def test_review_reminder_is_sent_once(live_site, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        assert any("review reminder" in line for line in site_lifecycle_check(site=live_site))
        assert site_lifecycle_check(site=live_site) == []
    assert len(mail.outbox) == 1 and "review due on" in mail.outbox[0].subject
    later = TODAY + timedelta(days=14)  # inside the 7-day window: one more reminder
    assert any(
        "review reminder" in line for line in site_lifecycle_check(site=live_site, today=later)
    )


def test_review_date_passes_and_closure_date_closes(live_site) -> None:  # type: ignore[no-untyped-def]
    site_lifecycle_check(site=live_site, today=TODAY + timedelta(days=21))
    live_site.refresh_from_db()
    assert live_site.status == Site.Status.REVIEW_DUE
    site_lifecycle_check(site=live_site, today=TODAY + timedelta(days=201))
    live_site.refresh_from_db()
    assert live_site.status == Site.Status.CLOSING


def test_neglected_site_is_flagged_once(live_site) -> None:  # type: ignore[no-untyped-def]
    assert not any("neglected" in line for line in site_lifecycle_check(site=live_site))
    lines = site_lifecycle_check(site=live_site, today=TODAY + timedelta(days=30))
    assert any("possibly neglected" in line for line in lines)
    live_site.refresh_from_db()
    assert live_site.neglect_flagged_at is not None
    assert not any(
        "neglected" in line
        for line in site_lifecycle_check(site=live_site, today=TODAY + timedelta(days=31))
    )


def test_evaluation_needs_every_aim(cast, live_site) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ApplicationError, match="every aim"):
        site_evaluation_record(
            site=live_site,
            by=cast.teacher,
            decision="close",
            against_aims=[{"aim": live_site.aims_list[0], "met": "yes"}],
        )
    rows = [
        {"aim": aim, "met": "partly", "evidence": "Comments from 12 families"}
        for aim in live_site.aims_list
    ]
    site_evaluation_record(site=live_site, by=cast.teacher, against_aims=rows, decision="continue")
    live_site.refresh_from_db()
    assert live_site.status == Site.Status.AWAITING_LINE_MANAGER
    assert ApprovalRequest.objects.filter(subject_id=live_site.pk, status="pending").exists()


def test_only_the_owner_evaluates(cast, live_site) -> None:  # type: ignore[no-untyped-def]
    rows = [{"aim": aim, "met": "yes"} for aim in live_site.aims_list]
    with pytest.raises(ApplicationError, match="owner"):
        site_evaluation_record(site=live_site, by=cast.head, against_aims=rows, decision="close")


def test_close_archives_and_export_keeps_the_record(cast, live_site) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(cast.teacher)
    rows = {f"met_{i}": "yes" for i in range(len(live_site.aims_list))}
    response = client.post(f"/sites/{live_site.pk}/evaluate/", {**rows, "decision": "close"})
    assert response.status_code == 302
    client.post(f"/sites/{live_site.pk}/close/", {"reason": "Project finished"})
    live_site.refresh_from_db()
    assert live_site.status == Site.Status.CLOSED
    record = json.loads(client.get(f"/sites/{live_site.pk}/export.json").content)
    assert record["site"]["name"] == live_site.name
    assert [e["decision"] for e in record["evaluations"]] == ["close"]
    assert "sites.site.close" in [h["action"] for h in record["history"]]
    assert site_export(site=live_site)["owner"] == str(cast.teacher)
