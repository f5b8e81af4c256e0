"""Fixtures for the safeguarding record: a disclosure raised to the DSL from the review queue,
and a concern recorded from the form by a teacher."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from socialguard.community.tests.factories import live_site, member, post
from socialguard.safeguarding.models import Concern, Escalation
from socialguard.safeguarding.services import concern_record

DISCLOSURE = "i dont want to go home tonight because my dad hits me"
ACCOUNT = "At lunch Oliver told me his uncle shouts and pushes him when his mum is out."
CHILD_WORDS = "He pushes me into the wall and says I am useless."


@pytest.fixture
def raised_item(cast: Any, django_capture_on_commit_callbacks: Any) -> Any:
    """A pupil's post that the screening engine passed straight to the DSL: its escalation."""
    site = live_site(cast)
    member(site, cast.pupil, cast.line_manager)
    with django_capture_on_commit_callbacks(execute=True):
        contribution = post(site, cast.pupil, DISCLOSURE)
    mail.outbox.clear()
    item = contribution.review_items.get()
    return Escalation.objects.get(source_type="review_item", source_id=item.pk)


def record(cast: Any, **overrides: Any) -> Concern:
    fields: dict[str, Any] = {
        "by": cast.teacher,
        "pupils": [cast.pupil],
        "occurred_at": timezone.now() - timedelta(hours=2),
        "location": "Year 4 classroom",
        "categories": ["disclosure_abuse"],
        "account": ACCOUNT,
        "child_words": CHILD_WORDS,
    }
    fields.update(overrides)
    return concern_record(**fields)


@pytest.fixture
def concern(cast: Any) -> Concern:
    return record(cast)
