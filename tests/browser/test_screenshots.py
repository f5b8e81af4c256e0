"""Screenshots for the README and for people to look at: the review queue, a concern, the register
and the blog, at desktop (1280 px) and phone (390 px) width, on the demo federation.

They are written to docs/screenshots/ only when SOCIALGUARD_SCREENSHOTS=docs (so an ordinary
test run leaves the tracked PNGs alone); otherwise to var/screenshots/. Each is the first
screenful, not the whole page, so the files stay small.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.conftest import SCREENSHOTS, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WIDTHS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def _shots() -> list[tuple[str, str, str]]:
    from socialguard.safeguarding.models import Concern
    from socialguard.sites.models import Site

    blog = Site.objects.get(name="Year 4 Learning Blog")
    concern = Concern.objects.order_by("pk").first()
    assert concern is not None
    return [
        ("queue", "comms", "/moderation/"),
        ("concern", "dsl", f"/safeguarding/{concern.pk}/"),
        ("register", "comms", "/sites/"),
        ("blog", "pupil", f"/community/{blog.pk}/"),
        ("referral-agencies", "dsl", "/safeguarding/agencies/"),
    ]


def test_screenshots_of_the_main_pages(browser, live_server) -> None:  # type: ignore[no-untyped-def]
    from socialguard.core.demo import DEMO_PASSWORD, demo_federation_load

    demo_federation_load()
    folder = DOCS if os.environ.get("SOCIALGUARD_SCREENSHOTS") == "docs" else SCREENSHOTS
    folder.mkdir(parents=True, exist_ok=True)
    for width_name, viewport in WIDTHS.items():
        signed_in: dict[str, object] = {}
        for name, username, path in _shots():
            if username not in signed_in:
                context = browser.new_context(base_url=live_server.url, viewport=viewport)
                signed_in[username] = context.new_page()
                sign_in(signed_in[username], username, DEMO_PASSWORD)
            page = signed_in[username]
            response = page.goto(path)  # type: ignore[attr-defined]
            assert response is not None and response.status == 200, (name, path)
            target = folder / f"{name}-{width_name}.png"
            page.screenshot(path=str(target), full_page=False)  # type: ignore[attr-defined]
            assert 0 < target.stat().st_size < 400_000, target
        for page in signed_in.values():
            page.context.close()  # type: ignore[attr-defined]
