"""The school teaches the engine its own words, in the browser: the DSL adds a phrase to the
library and an example sentence; a pupil then posts a paraphrase of the example on the demo
blog, in words no rule or training sentence contains, and it reaches the DSL without a
moderator (A.2.3). Screenshots of the phrase library at 1280 and 390 px go to docs/screenshots/."""

from __future__ import annotations

from pathlib import Path

import pytest

from socialguard.lexicon.models import ExampleSentence, SafeguardingPhrase
from socialguard.moderation.models import ReviewItem
from socialguard.sites.models import Site
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
EXAMPLE = "the older boys make me carry packages to the park for them"
PARAPHRASE = "some older lads keep making me take parcels down the park for them"


def test_the_dsl_adds_a_phrase_and_an_example_and_a_paraphrase_reaches_them(  # type: ignore[no-untyped-def]
    browser, live_server
) -> None:
    from django.core.cache import cache

    from socialguard.core.demo import DEMO_PASSWORD, demo_federation_load

    cache.clear()
    demo_federation_load()
    blog = Site.objects.get(name="Year 4 Learning Blog")
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    sign_in(page, "dsl", DEMO_PASSWORD)
    page.goto("/lexicon/")
    page.get_by_role("link", name="Open the phrase library").click()
    page.get_by_label("Word or phrase").fill("chicken shop man")
    page.get_by_label("Note for the other leads (optional)").fill(
        "local slang for a man who grooms"
    )
    page.get_by_role("button", name="Add the phrase").click()
    assert page.get_by_text("Phrase added.").is_visible()
    assert SafeguardingPhrase.objects.get().pattern == "chicken shop man"
    page.get_by_label("Try it").fill("volcano")
    page.get_by_role("button", name="Test the phrase").click()
    assert page.get_by_role("status").get_by_text("would have matched").is_visible()

    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS / "phrase-library-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(DOCS / "phrase-library-phone.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width} px)"
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto("/lexicon/examples/")
    page.get_by_label("Example sentence", exact=True).fill(EXAMPLE)
    page.get_by_role("button", name="Add the example").click()
    assert page.get_by_text("Example added.").is_visible()
    assert ExampleSentence.objects.get().text == EXAMPLE
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "pupil", DEMO_PASSWORD)
    page.goto(f"/community/{blog.pk}/")
    page.get_by_label("Your post").fill(PARAPHRASE)
    page.get_by_role("button", name="Send for checking").click()
    assert not page.get_by_text("flagged").is_visible()
    page.get_by_role("button", name="Sign out").click()
    item = ReviewItem.objects.get(contribution__body=PARAPHRASE)
    assert item.status == ReviewItem.Status.SAFEGUARDING

    sign_in(page, "dsl", DEMO_PASSWORD)
    page.get_by_role("link", name="Escalated posts", exact=True).click()
    assert page.get_by_text("Close to an example the safeguarding lead added").first.is_visible()
    assert errors == []
    context.close()
