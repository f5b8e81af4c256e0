"""Media enquiries (A.3.7): logged in one step, straight to the head teacher with a timer; the
staff member is told not to respond; reminders near and after the deadline; the head's
response closes it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from socialguard.audit.models import AuditEvent
from socialguard.cases import media
from socialguard.cases.checks import media_enquiry_check_all
from socialguard.cases.models import MediaEnquiry
from socialguard.cases.selectors import time_left
from socialguard.cases.tests.factories import enquiry
from socialguard.community.tests.factories import live_site, published
from socialguard.core.dashboard import dashboard_cards_for
from socialguard.core.errors import ApplicationError, ErrorCode

pytestmark = pytest.mark.django_db
DO_NOT = "Staff members must not communicate with the media without the advice or approval"


def test_staff_log_an_enquiry_in_one_step_and_it_goes_to_the_head(
    cast, django_capture_on_commit_callbacks
):
    site = live_site(cast)
    contribution = published(site, cast.teacher, cast.comms, "Our volcano day")
    deadline = (timezone.localtime() + timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M")
    client = Client()
    client.force_login(cast.teacher)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("cases:media_new"),
            {
                "enquirer_name": "Sam Porter",
                "outlet": "Eastbourne Herald",
                "contact": "01632 960999",
                "about": "The volcano photos.",
                "deadline": deadline,
                "site": site.pk,
                "contribution": contribution.pk,
            },
        )
    logged = MediaEnquiry.objects.get()
    assert response["Location"] == reverse("cases:media_detail", args=[logged.pk])
    assert logged.site == site and logged.contribution == contribution
    assert logged.status == MediaEnquiry.Status.OPEN and logged.logged_by == cast.teacher

    to_head = next(m for m in mail.outbox if cast.head.email in m.to)
    assert "Eastbourne Herald" in to_head.subject and "left" in to_head.subject
    assert reverse("cases:media_detail", args=[logged.pk]) in to_head.body
    ack = next(m for m in mail.outbox if cast.teacher.email in m.to)
    assert "do not respond" in ack.body and DO_NOT in ack.body

    page = client.get(response["Location"]).content.decode()
    assert "do not respond yourself" in page and DO_NOT in page
    assert "left" in page and "Record the response" not in page
    assert AuditEvent.objects.filter(action="cases.media.log", clauses=["A.3.7"]).exists()


def test_the_head_sees_the_enquiry_on_the_dashboard_with_time_left(cast):
    enquiry(cast, hours=1)
    [card] = [c for c in dashboard_cards_for(cast.head) if "media" in c.title]
    assert card.tone == "urgent" and "A.3.7" in card.clauses
    assert any("Eastbourne Herald" in item and "left" in item for item in card.items)
    assert not [c for c in dashboard_cards_for(cast.teacher) if "media" in c.title]


def test_a_deadline_in_the_past_is_refused(cast):
    with pytest.raises(ApplicationError, match="deadline has passed"):
        enquiry(cast, hours=-1)


@pytest.mark.parametrize("person", ["parent", "pupil"])
def test_only_staff_log_enquiries(cast, person):
    with pytest.raises(ApplicationError) as error:
        enquiry(cast, by=getattr(cast, person))
    assert error.value.code == ErrorCode.FORBIDDEN


def test_the_head_is_reminded_near_the_deadline_and_again_when_it_passes(
    cast, django_capture_on_commit_callbacks
):
    logged = enquiry(cast, hours=5)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert media_enquiry_check_all(now=logged.deadline - timedelta(hours=3)) == []
        near = media_enquiry_check_all(now=logged.deadline - timedelta(minutes=90))
        again = media_enquiry_check_all(now=logged.deadline - timedelta(minutes=30))
    assert len(near) == 1 and "within two hours" in near[0] and again == []
    [reminder] = mail.outbox
    assert reminder.to == [cast.head.email] and "1 hour 30 minutes left" in reminder.subject

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        passed = media_enquiry_check_all(now=logged.deadline + timedelta(minutes=5))
        assert media_enquiry_check_all(now=logged.deadline + timedelta(hours=5)) == []
    assert "deadline passed" in passed[0]
    [overdue] = mail.outbox
    assert "has passed" in overdue.body
    logged.refresh_from_db()
    assert logged.reminder_level == 2
    assert AuditEvent.objects.filter(action="cases.media.overdue").count() == 1


def test_the_periodic_checks_run_the_media_timer(cast):
    from socialguard.cli import periodic_checks

    logged = enquiry(cast, hours=1)
    assert any(logged.reference in line for line in periodic_checks())


def test_an_answered_enquiry_is_not_reminded(cast):
    logged = enquiry(cast, hours=1)
    media.media_enquiry_respond(enquiry=logged, by=cast.head, response="No comment.")
    assert media_enquiry_check_all(now=logged.deadline + timedelta(minutes=1)) == []


def test_the_head_records_the_response_which_closes_it(cast, django_capture_on_commit_callbacks):
    logged = enquiry(cast)
    client = Client()
    client.force_login(cast.head)
    page = client.get(reverse("cases:media_detail", args=[logged.pk])).content.decode()
    assert "Record the response" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("cases:media_detail", args=[logged.pk]),
            {"response": "We are proud of our pupils' work.", "responded_by": cast.comms.pk},
        )
    logged.refresh_from_db()
    assert logged.status == MediaEnquiry.Status.RESPONDED
    assert logged.responded_by == cast.comms and logged.recorded_by == cast.head
    assert logged.responded_at is not None and logged.closed_at is not None
    [told] = mail.outbox
    assert told.to == [cast.teacher.email] and "has responded" in told.subject
    with pytest.raises(ApplicationError) as error:
        media.media_enquiry_respond(enquiry=logged, by=cast.head, response="Again")
    assert error.value.code == ErrorCode.ALREADY_DONE


def test_the_staff_member_cannot_record_a_response(cast):
    logged = enquiry(cast)
    with pytest.raises(ApplicationError) as error:
        media.media_enquiry_respond(enquiry=logged, by=cast.teacher, response="I said no comment")
    assert error.value.code == ErrorCode.FORBIDDEN
    client = Client()
    client.force_login(cast.teacher)
    response = client.post(
        reverse("cases:media_detail", args=[logged.pk]), {"response": "No comment"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        (200, "3 hours 20 minutes left"),
        (60, "1 hour left"),
        (25, "25 minutes left"),
        (0, "0 minutes left"),
        (-65, "deadline passed 1 hour 5 minutes ago"),
        (3 * 24 * 60 + 90, "3 days 1 hour left"),
    ],
)
def test_time_left(minutes, expected):
    now = timezone.now()
    assert time_left(now + timedelta(minutes=minutes), now) == expected
