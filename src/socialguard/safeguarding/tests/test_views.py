"""The pages: the form any staff member uses, the DSL's list and record, the review item's
"Record as a concern" action, the dashboard card."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from socialguard.safeguarding import services
from socialguard.safeguarding.escalations import concern_from_escalation
from socialguard.safeguarding.models import Concern, ConcernAction
from socialguard.safeguarding.tests.conftest import DISCLOSURE, record

pytestmark = pytest.mark.django_db


def _as(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_the_form_lists_pupils_by_surname_with_year_and_school(cast):
    page = _as(cast.teacher).get(reverse("safeguarding:new")).content.decode()
    label = f"{cast.pupil.last_name}, {cast.pupil.first_name} (Year 4, Stafford Junior School)"
    assert label in page
    assert f"{cast.outsider.last_name}, {cast.outsider.first_name}" not in page
    assert 'enctype="multipart/form-data"' in page and "Pupil not on the list" in page


def test_the_form_records_a_pupil_not_on_the_list_with_a_file(cast):
    response = _as(cast.governor).post(
        reverse("safeguarding:new"),
        {
            "unlisted": "Sam (visiting from another school)",
            "occurred_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "categories": ["self_harm"],
            "account": "Sam showed me marks on their arm at the fair.",
            "upload": SimpleUploadedFile("note.txt", b"what was written"),
        },
    )
    concern = Concern.objects.get()
    assert response.status_code == 302
    assert concern.pupils.get().name_if_not_listed.startswith("Sam")
    assert concern.evidence.get().verify()


def test_the_form_says_what_is_missing(cast):
    response = _as(cast.teacher).post(
        reverse("safeguarding:new"),
        {"categories": ["bullying", "self_harm", "other", "grooming"], "account": ""},
    )
    page = response.content.decode()
    assert response.status_code == 200 and not Concern.objects.exists()
    assert "Choose up to three" in page and "Choose the pupil" in page


def test_the_list_puts_open_concerns_first_and_filters(cast):
    closed = record(cast)
    services.concern_close(concern=closed, by=cast.dsl, outcome="Resolved.")
    open_one = record(cast, categories=["bullying"])
    client = _as(cast.dsl)
    page = client.get(reverse("safeguarding:list")).content.decode()
    assert page.index(open_one.reference) < page.index(closed.reference)
    only_closed = client.get(reverse("safeguarding:list"), {"status": "closed"}).content.decode()
    assert closed.reference in only_closed and open_one.reference not in only_closed


def test_the_list_does_not_query_per_row(cast, django_assert_max_num_queries):
    for _ in range(6):
        concern = record(cast)
        services.concern_action_assign(
            concern=concern,
            by=cast.dsl,
            description="Check",
            assignee=cast.teacher,
            due_on=timezone.localdate(),
        )
    client = _as(cast.dsl)
    client.get(reverse("safeguarding:list"))  # warm the session
    with django_assert_max_num_queries(12):
        page = client.get(reverse("safeguarding:list")).content.decode()
    assert page.count("1 open") == 6


def test_the_record_shows_evidence_verified_and_a_merged_chronology(cast, raised_item):
    concern = concern_from_escalation(by=cast.dsl, escalation=raised_item)
    services.concern_entry_add(concern=concern, by=cast.dsl, body="Called children's social care.")
    page = _as(cast.deputy_dsl).get(reverse("safeguarding:concern", args=[concern.pk]))
    html = page.content.decode()
    assert DISCLOSURE in html and raised_item.evidence["sha256"] in html and "verified" in html
    for moment in ("Happened (as reported)", "Passed to the safeguarding lead", "Acknowledged"):
        assert moment in html
    assert html.index("Passed to the safeguarding lead") < html.index("Called children")
    assert "Close the concern" not in html  # the DSL's decision, not the deputy's
    assert "Record a referral" in html


def test_the_review_item_page_offers_record_as_a_concern_then_links_to_it(cast, raised_item):
    client = _as(cast.dsl)
    path = reverse("moderation:safeguarding_item", args=[raised_item.pk])
    assert "Record as a concern" in client.get(path).content.decode()
    response = client.post(reverse("safeguarding:from_review_item", args=[raised_item.pk]))
    concern = Concern.objects.get()
    assert response["Location"] == reverse("safeguarding:concern", args=[concern.pk])
    again = client.post(reverse("safeguarding:from_review_item", args=[raised_item.pk]))
    assert again["Location"] == response["Location"] and Concern.objects.count() == 1
    page = client.get(path).content.decode()
    assert concern.reference in page and "Record as a concern</button>" not in page
    # The list of escalated posts moves it under "Recorded as concerns".
    listing = client.get(reverse("moderation:safeguarding")).content.decode()
    assert "0 not yet recorded as a concern" in listing
    assert "Recorded as concerns" in listing and concern.reference in listing


def test_the_dsl_dashboard_counts_open_concerns_and_overdue_actions(cast):
    concern = record(cast)
    action = services.concern_action_assign(
        concern=concern,
        by=cast.dsl,
        description="Check",
        assignee=cast.teacher,
        due_on=timezone.localdate(),
    )
    ConcernAction.objects.filter(pk=action.pk).update(
        due_on=timezone.localdate() - timedelta(days=2)
    )
    page = _as(cast.dsl).get("/").content.decode()
    assert "1 open safeguarding concern" in page and "1 overdue action" in page
    assert "1 new concern not yet opened" in page
    _as(cast.deputy_dsl).get(reverse("safeguarding:concern", args=[concern.pk]))
    assert "not yet opened" not in _as(cast.dsl).get("/").content.decode()
    assert "open safeguarding concern" not in _as(cast.teacher).get("/").content.decode()


def test_the_head_teacher_is_shown_concerns_shared_with_them(cast):
    concern = record(cast)
    assert concern.reference not in _as(cast.head).get("/").content.decode()
    services.concern_head_access_set(
        concern=concern, by=cast.dsl, allowed=True, reason="Allegation about staff."
    )
    assert concern.reference in _as(cast.head).get("/").content.decode()


def test_an_uploaded_file_is_downloaded_only_by_those_who_may_open_the_record(cast, concern):
    evidence = services.concern_evidence_add(
        concern=concern, by=cast.dsl, upload=SimpleUploadedFile("chat.png", b"PNG")
    )
    path = reverse("safeguarding:evidence_file", args=[concern.pk, evidence.pk])
    response = _as(cast.dsl).get(path)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"PNG"
    assert _as(cast.teacher).get(path).status_code == 403
