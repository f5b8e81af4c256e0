"""The safeguarding bridge (A.2.3, A.5.6) and nothing sitting unseen (stale items escalate)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from socialguard.community.models import Contribution
from socialguard.community.tests.factories import decide, live_site, member, post
from socialguard.core.schooltime import school_minutes_between
from socialguard.moderation import selectors
from socialguard.moderation.checks import moderation_check_all
from socialguard.moderation.models import ReviewItem
from socialguard.moderation.permissions import reviewer_for
from socialguard.moderation.services import evidence_verify

pytestmark = pytest.mark.django_db
DISCLOSURE = "i dont want to go home tonight because my dad hits me"
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def disclosure(cast, django_capture_on_commit_callbacks):
    site = live_site(cast)
    member(site, cast.pupil, cast.line_manager)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        contribution = post(site, cast.pupil, DISCLOSURE)
    return contribution


def test_a_disclosure_is_hidden_at_once_and_the_dsl_told_without_the_content(cast, disclosure):
    assert disclosure.status == Contribution.Status.WITHHELD
    item = disclosure.review_items.get()
    assert item.status == ReviewItem.Status.SAFEGUARDING
    assert item.safeguarding_category == "disclosure_abuse"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == sorted([cast.dsl.email])  # the DSL for Stafford Junior
    assert "Possible disclosure of abuse" in message.subject
    assert reverse("moderation:safeguarding_item", args=[item.pk]) in message.body
    assert "hits me" not in message.body and "dad" not in message.body
    assert cast.pupil.get_full_name() not in message.body


def test_the_evidence_is_frozen_with_a_hash(cast, disclosure):
    item = disclosure.review_items.get()
    evidence = item.evidence
    assert evidence["content"] == DISCLOSURE and evidence["author_id"] == cast.pupil.pk
    assert evidence_verify(evidence)
    tampered = {**evidence, "content": "nothing happened"}
    assert not evidence_verify(tampered)


def test_the_item_leaves_the_moderators_view_and_only_dsls_see_it(cast, disclosure, client):
    item = disclosure.review_items.get()
    assert item not in selectors.review_queue(reviewer=reviewer_for(cast.comms))
    client.force_login(cast.comms)
    assert DISCLOSURE not in client.get(reverse("moderation:queue")).content.decode()
    assert client.get(reverse("moderation:safeguarding_item", args=[item.pk])).status_code == 404
    client.force_login(cast.dsl)
    page = client.get(reverse("moderation:safeguarding_item", args=[item.pk])).content.decode()
    assert DISCLOSURE in page and "verified" in page


def test_a_moderator_can_raise_a_concern_on_any_item(cast, django_capture_on_commit_callbacks):
    site = live_site(cast)
    member(site, cast.pupil, cast.line_manager)
    contribution = post(site, cast.pupil, "I feel sad at home a lot")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decide(
            contribution.review_items.get(),
            cast.comms,
            "raise_safeguarding",
            category="other",
            reason="Worrying tone",
        )
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.WITHHELD
    assert "sad at home" not in mail.outbox[0].body


def test_a_dsl_can_acknowledge_or_return_an_item(cast, disclosure):
    item = disclosure.review_items.get()
    decide(item, cast.dsl, "acknowledge")
    item.refresh_from_db()
    assert item.acknowledged_by == cast.dsl
    decide(item, cast.dsl, "return_to_moderators", reason="Checked with the class teacher.")
    item.refresh_from_db()
    disclosure.refresh_from_db()
    assert item.status == ReviewItem.Status.PENDING
    assert disclosure.status == Contribution.Status.PENDING  # still held, never auto-published


def test_an_unacknowledged_item_goes_to_the_cover_dsl_then_the_head(
    cast, disclosure, django_capture_on_commit_callbacks
):
    item = disclosure.review_items.get()
    assert item.escalated_at
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert moderation_check_all(now=item.escalated_at + timedelta(minutes=10)) == []
        moderation_check_all(now=item.escalated_at + timedelta(minutes=16))
    assert [m.to for m in mail.outbox] == [[cast.deputy_dsl.email]]  # the cover DSL
    with django_capture_on_commit_callbacks(execute=True):
        moderation_check_all(now=item.escalated_at + timedelta(minutes=31))
        moderation_check_all(now=item.escalated_at + timedelta(minutes=45))  # sent once
    assert [m.to for m in mail.outbox][1:] == [[cast.head.email]]
    assert "hits me" not in mail.outbox[-1].body


def test_acknowledging_stops_the_escalation(cast, disclosure, django_capture_on_commit_callbacks):
    item = disclosure.review_items.get()
    decide(item, cast.dsl, "acknowledge")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moderation_check_all(now=item.escalated_at + timedelta(hours=2))
    assert mail.outbox == []


def test_school_time_counts_only_the_school_day():
    friday_evening = datetime(2026, 11, 20, 21, 0, tzinfo=LONDON)
    monday_nine = datetime(2026, 11, 23, 9, 0, tzinfo=LONDON)
    assert school_minutes_between(friday_evening, monday_nine) == 60
    assert school_minutes_between(monday_nine, monday_nine + timedelta(hours=2)) == 120


def test_waiting_items_remind_moderators_then_escalate_and_never_expire(
    cast, django_capture_on_commit_callbacks
):
    site = live_site(cast)
    item = post(site, cast.teacher, "Trip letter").review_items.get()
    monday_eight = datetime(2026, 11, 23, 8, 0, tzinfo=LONDON)
    ReviewItem.objects.filter(pk=item.pk).update(created_at=monday_eight)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert moderation_check_all(now=monday_eight + timedelta(hours=3)) == []
        moderation_check_all(now=monday_eight + timedelta(hours=4, minutes=5))
    reminded = set(mail.outbox[0].to)
    assert {cast.comms.email, cast.deputy_dsl.email} <= reminded
    with django_capture_on_commit_callbacks(execute=True):
        moderation_check_all(now=monday_eight + timedelta(hours=8, minutes=5))
    assert cast.head.email in mail.outbox[-1].to and cast.teacher.email in mail.outbox[-1].to
    with django_capture_on_commit_callbacks(execute=True):
        moderation_check_all(now=monday_eight + timedelta(days=60))
    item.refresh_from_db()
    assert item.status == ReviewItem.Status.PENDING and len(mail.outbox) == 2


def test_moderators_on_leave_are_not_reminded(cast, django_capture_on_commit_callbacks):
    from socialguard.sites.models import Absence

    site = live_site(cast)
    item = post(site, cast.teacher, "Trip letter").review_items.get()
    ReviewItem.objects.filter(pk=item.pk).update(created_at=timezone.now() - timedelta(days=7))
    today = timezone.localdate()
    Absence.objects.create(user=cast.comms, starts_on=today, ends_on=today + timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        moderation_check_all()
    assert mail.outbox and cast.comms.email not in mail.outbox[0].to
