"""Every page of the URL conf (tests/page_catalogue.py), checked with axe-core against WCAG 2.2 A
and AA on the demo federation, at desktop width (1280 px) and on a phone (390 px), and the main
forms again with their errors shown: no violation at all, of any impact. Then the phone layout:
the header is a menu, wide tables fit, the comment form stays inside its post.

axe-core comes from npm (the CI script installs it into var/axe; set SOCIALGUARD_AXE to use
another copy). It is injected into the page by the test only; the product ships no such script.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests import page_catalogue
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(
    os.environ.get(
        "SOCIALGUARD_AXE",
        Path(__file__).resolve().parents[2] / "var/axe/node_modules/axe-core/axe.min.js",
    )
)
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# Forms sent back empty, so that every error is on the page: (who, form page, submit button).
FORMS_WITH_ERRORS = [
    ("", "cases:report_breach_for", {"slug": "roselands-stafford"}, "Send the report"),
    ("teacher", "cases:media_new", {}, None),
    ("teacher", "safeguarding:new", {}, None),
    ("teacher", "sites:new", {}, None),
    # Issue 14: the monitoring lead's upload and the annual review.
    ("itlead", "monitoring:upload", {}, "Read the log"),
    ("itlead", "monitoring:review", {}, "Record the review"),
]


def _violations(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_22_AA,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + json.dumps([n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
    ]


class Sessions:
    """One browser context per (person, width), signed in once and reused for every page."""

    def __init__(self, browser: Any, base_url: str) -> None:
        self.browser, self.base_url = browser, base_url
        self.open: dict[tuple[str, int], Any] = {}

    def page(self, username: str, viewport: dict[str, int]) -> Any:
        key = (username, viewport["width"])
        if key not in self.open:
            from socialguard.core.demo import DEMO_PASSWORD

            # axe is injected as an inline script, which our Content-Security-Policy rightly
            # refuses; the test context alone bypasses it.
            context = self.browser.new_context(
                base_url=self.base_url, viewport=viewport, bypass_csp=True
            )
            page = context.new_page()
            if username:
                sign_in(page, username, DEMO_PASSWORD)
            self.open[key] = page
        return self.open[key]

    def close(self) -> None:
        for page in self.open.values():
            page.context.close()


@pytest.fixture
def sessions(browser, live_server):  # type: ignore[no-untyped-def]
    if not AXE.exists():
        pytest.skip(f"axe-core not installed at {AXE} (the CI script installs it with npm)")
    from socialguard.core.demo import demo_federation_load

    demo_federation_load()
    opened = Sessions(browser, live_server.url)
    yield opened
    opened.close()


def test_every_page_at_desktop_and_phone_width_has_no_violation(sessions) -> None:  # type: ignore[no-untyped-def]
    found: dict[str, list[str]] = {}
    pages = page_catalogue.pages()
    assert len(pages) > 50
    for viewport in (DESKTOP, PHONE):
        for entry in pages:
            page = sessions.page(entry.username, viewport)
            response = page.goto(entry.path)
            assert response is not None and response.status == 200, entry.label
            problems = _violations(page)
            if viewport is PHONE:
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > PHONE["width"]:
                    problems.append(f"the page is {width} px wide on a 390 px phone")
            if problems:
                found[f"{viewport['width']}px {entry.label}"] = problems
    assert not found, json.dumps(found, indent=2)


def test_forms_with_their_errors_shown_have_no_violation(sessions) -> None:  # type: ignore[no-untyped-def]
    from django.urls import reverse

    found: dict[str, list[str]] = {}
    for username, name, kwargs, button in FORMS_WITH_ERRORS:
        for viewport in (DESKTOP, PHONE):
            page = sessions.page(username, viewport)
            page.goto(reverse(name, kwargs=kwargs))
            form = page.locator("main form[method='post']").last
            # The browser's own checks would stop an empty form; the server's are tested here.
            form.evaluate("f => { f.noValidate = true; }")
            submit = (
                form.get_by_role("button", name=button)
                if button
                else form.locator("button[type='submit']").last
            )
            submit.click()
            page.wait_for_load_state()
            assert page.locator(".field-error").count() > 0, (name, "no errors shown")
            if problems := _violations(page):
                found[f"{viewport['width']}px {name} with errors"] = problems
    assert not found, json.dumps(found, indent=2)


def test_on_a_phone_the_header_is_a_menu_and_wide_content_fits(sessions) -> None:  # type: ignore[no-untyped-def]
    from socialguard.sites.models import Site

    page = sessions.page("comms", PHONE)
    page.goto("/sites/")
    header = page.locator(".site-header").bounding_box()
    assert header is not None and header["height"] < 90, header  # was 263 of 844 px
    nav = page.get_by_role("navigation", name="Main")
    assert not nav.is_visible()
    page.get_by_text("Menu", exact=True).click()
    assert nav.is_visible()
    assert page.get_by_role("link", name="Review queue", exact=True).is_visible()
    # The register: every one of the first site's eight facts is on screen, not cut off.
    cells = page.locator("table tbody tr").first.locator("td")
    assert cells.count() == 8
    for i in range(8):
        box = cells.nth(i).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], i

    blog = Site.objects.get(name="Year 4 Learning Blog")
    page = sessions.page("pupil", PHONE)
    page.goto(f"/community/{blog.pk}/")
    assert page.locator(".community-head img").first.is_visible()  # the school's crest
    post = page.locator(".post").first
    card, button = post.bounding_box(), post.get_by_role("button", name="Comment").bounding_box()
    assert card is not None and button is not None
    assert button["x"] + button["width"] <= card["x"] + card["width"], (button, card)


def test_at_desktop_width_the_navigation_shows_without_a_click(sessions) -> None:  # type: ignore[no-untyped-def]
    page = sessions.page("comms", DESKTOP)
    page.goto("/")
    assert page.get_by_role("link", name="Review queue", exact=True).is_visible()
    assert not page.get_by_text("Menu", exact=True).is_visible()
