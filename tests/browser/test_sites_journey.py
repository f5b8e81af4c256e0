"""The whole official-site journey in a browser: propose, three sign-offs, go live, register."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from socialguard.core.tests.factories import PASSWORD
from socialguard.sites.models import Site
from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_off(page, person, *, decision: str = "Approve") -> None:  # type: ignore[no-untyped-def]
    sign_in(page, person.username, PASSWORD)
    page.get_by_role("link", name="Review requests").click()
    page.get_by_role("link", name="Site proposal (Appendix B): Year 4 Science Blog").click()
    page.get_by_label(decision, exact=True).check()
    page.get_by_label("Type my full name").check()
    page.get_by_label("Your full name").fill(person.get_full_name())
    page.get_by_role("button", name="Sign and record my decision").click()
    assert page.get_by_text("Your decision is recorded").is_visible()
    page.get_by_role("button", name="Sign out").click()


def _fill_proposal(page, cast) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label("Name of the site").fill("Year 4 Science Blog")
    page.get_by_label("Purpose of setting up the site").fill(
        "Year 4 share their science investigations with families so learning continues at home."
    )
    page.get_by_label("What are the aims").fill("Pupils write up investigations\nFamilies comment")
    audience = page.get_by_role("group", name="Proposed audience of the site")
    audience.get_by_label("Pupils R – Yr. 6").check()
    audience.get_by_label("Pupils' family members").check()
    contributors = page.get_by_role("group", name="Proposed contributors to the site")
    contributors.get_by_label("Staff").check()
    page.get_by_label("how will you inform and obtain consent").fill("Opt-in letter to parents.")
    page.get_by_label("I have checked the site against the Home Office").check()
    for group, people in (
        ("Administrators", (cast.teacher, cast.line_manager)),
        ("Moderators", (cast.comms, cast.deputy_dsl)),
    ):
        box = page.get_by_role("group", name=group)
        for person in people:
            box.get_by_label(person.get_full_name(), exact=False).first.check()
    today = date.today()
    page.get_by_label("Proposed date of going live").fill((today + timedelta(days=7)).isoformat())
    page.get_by_label("Proposed date for site closure").fill(
        (today + timedelta(days=200)).isoformat()
    )
    page.get_by_label("What security measures").fill("Invitation only; every post pre-moderated.")


def test_propose_approve_go_live_and_register(page, cast) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "teacher", PASSWORD)
    page.goto("/sites/new/")
    page.get_by_label("Name of the site").fill("Year 4 Science Blog")
    page.get_by_role("button", name="Save draft").click()
    assert page.get_by_role("heading", name="Before you can submit").is_visible()
    screenshot(page, "site-draft-problems")
    page.get_by_role("link", name="Edit proposal").click()
    _fill_proposal(page, cast)
    screenshot(page, "site-proposal-form")
    page.get_by_role("button", name="Submit for sign-off").click()
    assert page.get_by_text("Awaiting line manager").first.is_visible()
    page.get_by_role("button", name="Sign out").click()

    _sign_off(page, cast.line_manager)
    _sign_off(page, cast.comms)
    sign_in(page, "head", PASSWORD)
    page.get_by_role("link", name="Review requests").click()
    page.get_by_role("link", name="Site proposal (Appendix B): Year 4 Science Blog").click()
    screenshot(page, "site-head-decision")
    page.get_by_role("button", name="Sign out").click()
    _sign_off(page, cast.head)

    sign_in(page, "teacher", PASSWORD)
    site = Site.objects.get(name="Year 4 Science Blog")
    page.goto(f"/sites/{site.pk}/")
    assert page.get_by_text("Publish the site's Terms of Use (A.4.1).").is_visible()
    for kind, text in (
        ("Terms of Use", "Posts are checked before they appear. Be kind."),
        ("House Rules", "1. Use first names only. 2. No personal details."),
    ):
        page.get_by_text("Publish a new version").click()
        page.get_by_label(kind, exact=True).check()
        page.get_by_label("Text").fill(text)
        page.get_by_role("button", name="Publish", exact=True).click()
    page.get_by_role("button", name="Put the site live").click()
    assert page.get_by_text("Year 4 Science Blog is live.").is_visible()
    screenshot(page, "site-live-detail")

    page.get_by_role("link", name="Official sites").click()
    row = page.get_by_role("row", name="Year 4 Science Blog")
    assert "Live" in row.inner_text() and "v1 / v1" in row.inner_text()
    screenshot(page, "site-register")
    assert page.csp_errors == []
