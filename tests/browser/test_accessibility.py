"""Every page built for issues 5 and 6, checked with axe-core (WCAG 2.1 A and AA) on the demo
federation: no violation at all, of any impact.

axe-core comes from npm (the CI script installs it into var/axe; set SOCIALGUARD_AXE to use
another copy). It is injected into the page by the test only; the product ships no such script.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(
    os.environ.get(
        "SOCIALGUARD_AXE",
        Path(__file__).resolve().parents[2] / "var/axe/node_modules/axe-core/axe.min.js",
    )
)


def _pages() -> list[tuple[str, str]]:
    from socialguard.cases.models import BreachCase, BreachReport, MediaEnquiry
    from socialguard.moderation.models import ReviewItem
    from socialguard.safeguarding.models import Concern
    from socialguard.sites.models import Site

    blog = Site.objects.get(name="Year 4 Learning Blog")
    item = ReviewItem.objects.filter(site=blog, status="pending").first()
    escalated = ReviewItem.objects.filter(escalated_at__isnull=False).first()
    concern = Concern.objects.order_by("pk").first()
    case = BreachCase.objects.order_by("pk").first()
    enquiry = MediaEnquiry.objects.order_by("pk").first()
    report = BreachReport.objects.filter(status="new", about_head_teacher=False).first()
    about_head = BreachReport.objects.filter(about_head_teacher=True).first()
    assert item and escalated and concern and case and enquiry and report and about_head
    return [
        ("", "/cases/report-breach/"),
        ("pupil", f"/community/{blog.pk}/"),
        ("pupil", f"/community/{blog.pk}/mine/"),
        ("comms", "/moderation/"),
        ("comms", f"/moderation/{item.pk}/"),
        ("dsl", "/"),
        ("dsl", "/moderation/safeguarding/"),
        ("dsl", f"/moderation/safeguarding/{escalated.pk}/"),
        ("dsl", "/safeguarding/"),
        ("dsl", f"/safeguarding/{concern.pk}/"),
        ("teacher", "/safeguarding/new/"),
        ("teacher", "/safeguarding/my-actions/"),
        ("teacher", "/cases/media/new/"),
        ("head", "/cases/"),
        ("head", f"/cases/{case.pk}/"),
        ("head", f"/cases/reports/{report.pk}/"),
        ("head", "/cases/media/"),
        ("head", f"/cases/media/{enquiry.pk}/"),
        ("governor", "/reports/"),
        ("governor", f"/cases/reports/{about_head.pk}/"),
    ]


def test_pages_have_no_accessibility_violations(browser, live_server) -> None:  # type: ignore[no-untyped-def]
    if not AXE.exists():
        pytest.skip(f"axe-core not installed at {AXE} (the CI script installs it with npm)")
    from socialguard.core.demo import DEMO_PASSWORD, demo_federation_load

    demo_federation_load()
    found: dict[str, list[str]] = {}
    for username, path in _pages():
        # axe is injected as an inline script, which our Content-Security-Policy rightly
        # refuses; the test context alone bypasses it.
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1280, "height": 900}, bypass_csp=True
        )
        page = context.new_page()
        if username:
            sign_in(page, username, DEMO_PASSWORD)
        response = page.goto(path)
        assert response is not None and response.status == 200, (username, path)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            """async () => await axe.run(document, {
                runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}
            })"""
        )
        problems = [
            f"{v['id']} ({v['impact']}): {v['help']} at "
            + json.dumps([n["target"] for n in v["nodes"]][:3])
            for v in result["violations"]
        ]
        if problems:
            found[f"{username or 'anonymous'} {path}"] = problems
        context.close()
    assert not found, json.dumps(found, indent=2)
