"""A member of staff given an action by the DSL is told, sees what and by when (never the
account), and marks it done without opening the record."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from socialguard.core.dashboard import dashboard_cards_for
from socialguard.safeguarding.services import concern_action_assign
from socialguard.safeguarding.tests.conftest import ACCOUNT, CHILD_WORDS, record

pytestmark = pytest.mark.django_db

WHAT = "Check in with the pupil at morning break"


def test_the_assignee_is_told_and_marks_it_done(cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    concern = record(cast)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        action = concern_action_assign(
            concern=concern,
            by=cast.dsl,
            description=WHAT,
            assignee=cast.line_manager,
            due_on=timezone.localdate() + timedelta(days=2),
        )
    (message,) = mail.outbox
    assert message.to == [cast.line_manager.email]
    assert "/safeguarding/my-actions/" in message.body
    for private in (WHAT, ACCOUNT, CHILD_WORDS, cast.pupil.last_name):
        assert private not in message.body

    card = next(c for c in dashboard_cards_for(cast.line_manager) if "for you" in c.title)
    assert any(WHAT in item for item in card.items)

    client = Client()
    client.force_login(cast.line_manager)
    page = client.get("/safeguarding/my-actions/").content.decode()
    assert WHAT in page and concern.reference in page
    assert ACCOUNT not in page and CHILD_WORDS not in page
    assert client.get(f"/safeguarding/{concern.pk}/").status_code == 403  # still not the record

    client.post(f"/safeguarding/my-actions/{action.pk}/done/")
    action.refresh_from_db()
    assert action.done_by == cast.line_manager
    assert concern.entries.filter(kind="action", body__startswith="Done:").exists()
    assert not any("for you" in c.title for c in dashboard_cards_for(cast.line_manager))


def test_nobody_else_marks_someone_elses_action_done(cast) -> None:  # type: ignore[no-untyped-def]
    concern = record(cast)
    action = concern_action_assign(
        concern=concern,
        by=cast.dsl,
        description=WHAT,
        assignee=cast.line_manager,
        due_on=timezone.localdate(),
    )
    client = Client()
    client.force_login(cast.teacher)
    assert client.post(f"/safeguarding/my-actions/{action.pk}/done/").status_code == 404
    action.refresh_from_db()
    assert action.done_at is None
