from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings

from socialguard.notifications.models import OutboxMessage
from socialguard.notifications.services import email_after_commit, email_deliver

pytestmark = pytest.mark.django_db


def _notify(cast) -> None:  # type: ignore[no-untyped-def]
    email_after_commit(
        recipients=[cast.head, cast.dsl, "office@example.sch.uk"],
        subject="Test notification",
        template="notifications/email/test.txt",
        context={"name": "Helen"},
        organisation_id=cast.organisation.pk,
        category="test",
    )


def test_mail_is_sent_only_after_commit(cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        _notify(cast)
        assert mail.outbox == []  # nothing leaves before the change commits
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == sorted(
        [cast.head.email, cast.dsl.email, "office@example.sch.uk"]
    )
    assert "Hello Helen" in mail.outbox[0].body


@pytest.mark.django_db(transaction=True)
def test_rolled_back_change_sends_nothing(cast) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RuntimeError), transaction.atomic():
        _notify(cast)
        raise RuntimeError("change failed")
    assert mail.outbox == []


@override_settings(EMAIL_BACKEND="socialguard.notifications.backends.DatabaseOutboxBackend")
def test_demo_backend_keeps_messages_for_the_outbox(cast) -> None:  # type: ignore[no-untyped-def]
    email_deliver(
        to=["head@example.sch.uk"],
        subject="Kept",
        body="Body",
        organisation_id=cast.organisation.pk,
        category="test",
    )
    message = OutboxMessage.objects.get()
    assert (message.subject, message.organisation_id, message.category) == (
        "Kept",
        cast.organisation.pk,
        "test",
    )
