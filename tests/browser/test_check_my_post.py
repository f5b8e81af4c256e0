"""A teacher checks a post for their own account before publishing it (issue 13): naming their
school and a pupil gives two findings, each with its clause and what to change, and a suggested
version; afterwards the words are in no table of the database. Screenshots at 1280 and 390 px
go to docs/screenshots/."""

from __future__ import annotations

from pathlib import Path

import pytest

from socialguard.postcheck.models import PostCheckDay
from socialguard.postcheck.tests.test_privacy import _database_hits
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DRAFT = "Brilliant sports day at Stafford Junior School, well done Oliver Bennett! Wombleberry"


def test_a_teacher_checks_a_post_naming_the_school_and_a_pupil(page) -> None:  # type: ignore[no-untyped-def]
    from django.core.cache import cache

    from socialguard.core.demo import DEMO_PASSWORD, demo_federation_load

    cache.clear()
    demo_federation_load()
    sign_in(page, "teacher", DEMO_PASSWORD)
    page.get_by_role("link", name="Check my post").first.click()
    assert page.get_by_role("heading", name="Private: checked, then forgotten").is_visible()
    page.get_by_label("Your post").fill(DRAFT)
    page.get_by_role("button", name="Check my post").click()

    points = page.locator(".postcheck-points > li")
    assert points.count() == 2
    school, pupil = points.nth(0), points.nth(1)
    assert "Stafford Junior School" in school.inner_text()
    assert "Remove the school's name" in school.inner_text()
    assert school.get_by_role("link", name="6.1").get_attribute("href") == "/policy/#6.1"
    assert "Oliver Bennett" in pupil.inner_text() and "Don't name a pupil" in pupil.inner_text()
    assert pupil.get_by_role("link", name="6.8").get_attribute("href") == "/policy/#6.8"
    suggested = page.locator(".postcheck-rewrite").inner_text()
    assert suggested == "Brilliant sports day at work, well done someone! Wombleberry"
    assert page.csp_errors == []

    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS / "check-my-post-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(DOCS / "check-my-post-phone.png"), full_page=True)

    # The suggested version checks clean of both
    page.get_by_role("button", name="Check this version").click()
    assert page.locator(".postcheck-points > li").count() == 0

    # Nothing of the text was stored; two checks were counted
    assert _database_hits("Wombleberry") == []
    assert sum(d.checks for d in PostCheckDay.objects.all()) == 2
