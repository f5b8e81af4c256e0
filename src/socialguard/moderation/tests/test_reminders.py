"""Nothing sits unseen in the queue: waiting items remind moderators, then escalate, and never
expire. (Items handed to the safeguarding leads climb safeguarding's ladder instead.)"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from socialguard.community.tests.factories import live_site, post
from socialguard.core.schooltime import school_minutes_between
from socialguard.moderation.checks import moderation_check_all
from socialguard.moderation.models import ReviewItem

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


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
