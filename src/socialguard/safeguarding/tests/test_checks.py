"""A concern nobody opens escalates: 15 minutes to the cover DSL, 30 to the head teacher,
who may then open it. It never expires, and each step is sent once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from socialguard.audit.models import AuditEvent
from socialguard.safeguarding.checks import concern_check_all
from socialguard.safeguarding.models import Concern
from socialguard.safeguarding.tests.conftest import ACCOUNT, record

pytestmark = pytest.mark.django_db


def _run(minutes: int, concern: Concern, capture: Any) -> list[str]:
    with capture(execute=True):
        return concern_check_all(now=concern.created_at + timedelta(minutes=minutes))


def test_unopened_concern_goes_to_the_cover_dsl_then_the_head(
    cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    # Recorded at the junior school, whose lead is the DSL; the infant school's deputy covers.
    concern = record(cast, school=cast.junior)
    mail.outbox.clear()
    assert _run(10, concern, django_capture_on_commit_callbacks) == []
    assert mail.outbox == []

    lines = _run(16, concern, django_capture_on_commit_callbacks)
    assert lines and "cover DSL" in lines[0]
    (message,) = mail.outbox
    assert set(message.to) == {cast.deputy_dsl.email}
    assert ACCOUNT not in message.body and cast.pupil.last_name not in message.body
    assert f"/safeguarding/{concern.pk}/" in message.body
    assert _run(20, concern, django_capture_on_commit_callbacks) == []  # sent once

    mail.outbox.clear()
    lines = _run(31, concern, django_capture_on_commit_callbacks)
    assert "head teacher" in lines[0]
    (message,) = mail.outbox
    assert set(message.to) == {cast.head.email}
    concern.refresh_from_db()
    assert concern.head_teacher_may_view and concern.reminder_level == 2
    assert concern.entries.filter(kind="access", author__isnull=True).exists()
    assert AuditEvent.objects.filter(action="safeguarding.concern.escalated").count() == 2
    client = Client()
    client.force_login(cast.head)
    assert client.get(f"/safeguarding/{concern.pk}/").status_code == 200

    # Never expires, never repeats.
    mail.outbox.clear()
    assert _run(60 * 24 * 7, concern, django_capture_on_commit_callbacks) == []
    assert Concern.objects.filter(pk=concern.pk).exists()


def test_opening_it_stops_the_escalation(cast, django_capture_on_commit_callbacks, client) -> None:  # type: ignore[no-untyped-def]
    concern = record(cast, school=cast.junior)
    client.force_login(cast.dsl)
    client.get(f"/safeguarding/{concern.pk}/")
    mail.outbox.clear()
    assert _run(45, concern, django_capture_on_commit_callbacks) == []
    assert mail.outbox == []
    concern.refresh_from_db()
    assert not concern.head_teacher_may_view


def test_a_concern_a_lead_records_is_already_acknowledged(
    cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    concern = record(cast, by=cast.dsl)
    assert concern.acknowledged_by == cast.dsl
    assert _run(45, concern, django_capture_on_commit_callbacks) == []


def test_the_worker_runs_the_check(cast) -> None:  # type: ignore[no-untyped-def]
    from socialguard.cli import periodic_checks

    concern = record(cast, school=cast.junior)
    Concern.objects.filter(pk=concern.pk).update(created_at=timezone.now() - timedelta(minutes=20))
    assert any(concern.reference in line for line in periodic_checks())


def test_a_new_unconfirmed_lead_is_not_chased_about_an_earlier_concern(
    cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    # Given a concern at the junior school, then a new deputy given the role after it was
    # recorded and not yet confirmed by a lead or the head (A.2.3, issue 10 finding 9)
    from socialguard.accounts import services as accounts

    concern = record(cast, school=cast.junior)
    accounts.role_assign(user=cast.admin, role="deputy_dsl", school=cast.infant, by=cast.head)
    mail.outbox.clear()
    # When nobody opens it for 16 minutes and the cover leads are chased
    _run(16, concern, django_capture_on_commit_callbacks)
    # Then the chase reaches the cover deputy in post, never the new lead: not even its category
    (message,) = mail.outbox
    assert cast.deputy_dsl.email in message.to
    assert cast.admin.email not in message.to
