"""A disclosure on a school site reaches the DSL, who records it as a concern in one step, adds
an entry to the chronology and records a referral to CEOP (A.2.3, A.5.6)."""

from __future__ import annotations

import pytest

from socialguard.community.tests.factories import live_site, member, post
from socialguard.core.tests.factories import PASSWORD
from socialguard.moderation.models import ReviewItem
from socialguard.safeguarding.models import Concern
from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
DISCLOSURE = "a man online keeps asking me to send pictures and says its our secret"


def test_a_review_item_becomes_a_concern_with_an_entry_and_a_ceop_referral(  # type: ignore[no-untyped-def]
    page, cast
) -> None:
    site = live_site(cast)
    member(site, cast.pupil, cast.line_manager)
    item = post(site, cast.pupil, DISCLOSURE).review_items.get()
    assert item.status == ReviewItem.Status.SAFEGUARDING

    sign_in(page, cast.dsl.username, PASSWORD)
    page.get_by_role("link", name="Escalated posts", exact=True).click()
    page.get_by_role("link", name="Open").first.click()
    page.get_by_label("What you know so far").fill(
        "The class teacher says the pupil has been quiet and tired this week."
    )
    page.get_by_role("button", name="Record as a concern").click()

    concern = Concern.objects.get()
    assert page.get_by_text(f"Recorded as concern {concern.reference}.").is_visible()
    assert page.get_by_role("heading", name=f"Concern {concern.reference}").is_visible()
    assert page.get_by_text("verified", exact=True).is_visible()
    assert page.locator("blockquote.evidence").first.inner_text().strip() == DISCLOSURE

    page.get_by_label("Kind").select_option("dsl_summary")
    page.get_by_label("Entry", exact=True).fill(
        "Spoke to the pupil with the class teacher; parents told."
    )
    page.get_by_role("button", name="Add to the chronology").click()
    assert page.get_by_text("Entry added to the chronology.").is_visible()

    page.get_by_label("Agency").select_option("ceop")
    page.get_by_label("Their reference").fill("CEOP-2026-0042")
    page.get_by_role("button", name="Record the referral").click()
    recorded = "Referral to CEOP (Child Exploitation and Online Protection) recorded."
    assert page.get_by_text(recorded).is_visible()
    chronology = page.locator("ol.chronology").inner_text()
    assert "Spoke to the pupil" in chronology and "CEOP-2026-0042" in chronology
    assert chronology.index("Spoke to the pupil") < chronology.index("CEOP-2026-0042")
    screenshot(page, "safeguarding-concern")

    referral = concern.referrals.get()
    assert referral.agency == "ceop" and referral.reference == "CEOP-2026-0042"
    assert concern.entries.filter(kind="dsl_summary").exists()
    assert page.csp_errors == []
