"""Sign in, read the policy, follow a clause anchor, acknowledge the policy: in a real browser."""

from __future__ import annotations

import pytest

from socialguard.core.tests.factories import PASSWORD
from socialguard.policy.models import Acknowledgement
from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_read_policy_follow_anchor_and_acknowledge(page, cast, policy_version) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "teacher", PASSWORD)
    assert page.get_by_role("heading", name="What needs you").is_visible()
    assert page.get_by_text("Read and acknowledge the Social Media Policy").is_visible()
    screenshot(page, "dashboard-teacher")

    page.get_by_role("link", name="Read the policy").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Social Media Policy"
    page.goto("/policy/#A.5.6")
    clause = page.locator('[id="A.5.6"]')
    assert clause.is_visible()
    assert "racist or homophobic" in clause.inner_text()
    # The targeted clause is highlighted (CSS :target) and scrolled into view.
    assert clause.evaluate("el => getComputedStyle(el).backgroundColor") != "rgba(0, 0, 0, 0)"
    assert clause.evaluate("el => el.getBoundingClientRect().top < window.innerHeight")
    screenshot(page, "policy-anchor-A.5.6", full_page=False)

    page.get_by_role("button", name="I have read and will follow this policy").click()
    assert page.get_by_text("You have acknowledged version 1").is_visible()
    assert Acknowledgement.objects.filter(person=cast.teacher).exists()
    assert page.csp_errors == []


def test_head_teacher_dashboard_and_public_policy(page, cast, policy_version) -> None:  # type: ignore[no-untyped-def]
    page.goto("/policy/o/rs/")
    assert page.get_by_text("This policy is overdue for review.").is_visible()
    screenshot(page, "policy-public")
    sign_in(page, "head", PASSWORD)
    assert page.get_by_text("The Social Media Policy is overdue for review").is_visible()
    assert page.get_by_text("have not acknowledged the policy").is_visible()
    screenshot(page, "dashboard-head")
    page.get_by_role("link", name="See who").click()
    assert page.get_by_role("heading", name="Who has acknowledged the policy").is_visible()
    screenshot(page, "acknowledgements")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    screenshot(page, "dashboard-head-phone")
    assert page.csp_errors == []


def test_wrong_password_is_explained(page, cast) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "teacher", "not-the-password")
    assert page.get_by_role("alert").inner_text().startswith("Your username and password")
