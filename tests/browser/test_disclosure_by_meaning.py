"""A pupil's disclosure in words no rule and no training sentence contains reaches the safeguarding
lead at once, by meaning alone, without a moderator (A.2.3); the pupil is pointed to Childline."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from django.core import mail

from socialguard.community.tests.factories import live_site, member
from socialguard.core.tests.factories import PASSWORD
from socialguard.screening import Context, Screener
from socialguard.screening.registry import build_detectors
from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
DISCLOSURE = "some nights i lie awake wishing i could go to sleep and never wake up"
TRAINING = Path(__file__).resolve().parents[2] / "src/socialguard/screening/training/data"


def test_the_words_are_new_to_the_rules_and_to_the_training_data() -> None:
    rules_only = Screener(build_detectors()).screen(DISCLOSURE, Context(author_role="pupil"))
    assert not rules_only.escalate and not rules_only.findings
    # what the heads and the encoder learn from: every hand-written row that shares no six
    # words in a row with a hold-out, and the template rows (school_sets.py)
    trained = (TRAINING / "school_train.jsonl").read_text(encoding="utf-8").lower()
    assert "never wake up" not in trained


def test_a_disclosure_in_new_words_reaches_the_dsl_within_seconds(page, cast) -> None:  # type: ignore[no-untyped-def]
    site = live_site(cast)
    member(site, cast.pupil, cast.line_manager)
    mail.outbox.clear()
    sign_in(page, cast.pupil.username, PASSWORD)
    page.goto(f"/community/{site.pk}/")
    page.get_by_label("Your post").fill(DISCLOSURE)
    posted = time.monotonic()
    page.get_by_role("button", name="Send for checking").click()
    assert page.get_by_text("Childline free on 0800 1111").first.is_visible()
    assert not page.get_by_text("flagged").is_visible()
    screenshot(page, "disclosure-pupil-thanked")

    deadline = posted + 10
    while time.monotonic() < deadline and not any(cast.dsl.email in m.to for m in mail.outbox):
        time.sleep(0.2)
    alert = next(m for m in mail.outbox if cast.dsl.email in m.to)
    assert "Self-harm or suicidal thoughts" in alert.subject  # the registry's label
    assert "never wake up" not in alert.body  # a link only: the content stays on the server
    assert time.monotonic() - posted < 10
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, cast.dsl.username, PASSWORD)
    assert page.get_by_text("1 safeguarding item not acknowledged").is_visible()
    screenshot(page, "disclosure-dsl-dashboard")
    assert page.csp_errors == []
