"""Pre-moderation in a browser: a pupil's post is held and then approved; an abusive comment is
blocked; a disclosure is hidden, the DSL told, and the moderator no longer sees it."""

from __future__ import annotations

import pytest
from django.core import mail

from socialguard.community.models import Contribution
from socialguard.community.tests.factories import live_site, member, published
from socialguard.core.tests.factories import PASSWORD
from socialguard.moderation.models import ReviewItem
from socialguard.safeguarding.models import Escalation
from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _post_as_pupil(page, site, text: str, *, said: str = "A moderator checks everything") -> None:  # type: ignore[no-untyped-def]
    page.goto(f"/community/{site.pk}/")
    page.get_by_label("Your post").fill(text)
    page.get_by_role("button", name="Send for checking").click()
    assert page.get_by_text(said).first.is_visible()


def _sign_out(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("button", name="Sign out").click()


def test_a_pupils_post_is_held_then_approved_and_visible(page, cast) -> None:  # type: ignore[no-untyped-def]
    site = live_site(cast)
    member(site, cast.pupil, cast.line_manager)
    sign_in(page, cast.pupil.username, PASSWORD)
    _post_as_pupil(page, site, "We built a volcano and it erupted with baking soda!")
    assert page.get_by_text("Nothing has been published yet.").is_visible()  # held
    page.get_by_role("link", name="My contributions").click()
    assert page.get_by_text("Waiting for a moderator").is_visible()
    screenshot(page, "community-mine-pending")
    _sign_out(page)

    sign_in(page, cast.comms.username, PASSWORD)
    page.get_by_role("link", name="Review queue", exact=True).click()
    assert page.get_by_text("We built a volcano").is_visible()
    screenshot(page, "moderation-queue")
    page.get_by_role("link", name="Open to decide").first.click()
    page.get_by_role("button", name="Approve").click()
    assert page.get_by_text("Done: approve.").is_visible()
    _sign_out(page)

    sign_in(page, cast.pupil.username, PASSWORD)
    page.goto(f"/community/{site.pk}/")
    assert page.get_by_text("We built a volcano and it erupted").is_visible()
    assert page.get_by_role("link", name="Terms of Use").first.is_visible()
    assert page.get_by_role("link", name="House Rules").first.is_visible()
    screenshot(page, "community-site")
    assert page.csp_errors == []


def test_an_abusive_comment_is_blocked(page, cast) -> None:  # type: ignore[no-untyped-def]
    site = live_site(cast)
    member(site, cast.pupil, cast.line_manager)
    published(site, cast.teacher, cast.comms, "Sports day results are in!")
    sign_in(page, cast.pupil.username, PASSWORD)
    page.goto(f"/community/{site.pk}/")
    page.get_by_label("Comment on this post").fill("go back to your country you f*cking p4ki")
    page.get_by_role("button", name="Comment").click()
    comment = Contribution.objects.get(kind="comment")
    assert comment.status == Contribution.Status.BLOCKED
    assert not page.get_by_text("go back to your country").is_visible()
    _sign_out(page)

    sign_in(page, cast.comms.username, PASSWORD)
    page.goto(f"/moderation/{comment.review_items.get().pk}/")
    assert page.get_by_text("The screening engine blocked this").is_visible()
    screenshot(page, "moderation-blocked-item")
    page.get_by_label("Which House Rule or clause it breaks").select_option("clause:A.5.6")
    page.get_by_label("Reason (the author is told)").fill("Racist abuse is never allowed.")
    page.get_by_role("button", name="Reject").click()
    assert page.get_by_text("Done: reject.").is_visible()


def test_a_disclosure_is_hidden_the_dsl_told_and_the_moderator_no_longer_sees_it(
    page, cast
) -> None:  # type: ignore[no-untyped-def]
    site = live_site(cast)
    member(site, cast.pupil, cast.line_manager)
    mail.outbox.clear()
    sign_in(page, cast.pupil.username, PASSWORD)
    # A disclosure: the pupil is thanked and pointed to Childline, with no word of a flag.
    _post_as_pupil(page, site, "i dont want to go home because my dad hits me", said="0800 1111")
    _sign_out(page)

    item = ReviewItem.objects.get(type="queued_post")
    assert item.status == ReviewItem.Status.SAFEGUARDING
    alert = next(m for m in mail.outbox if m.subject.startswith("Safeguarding"))
    assert cast.dsl.email in alert.to and "hits me" not in alert.body

    sign_in(page, cast.comms.username, PASSWORD)
    page.get_by_role("link", name="Review queue", exact=True).click()
    assert page.get_by_text("Nothing is waiting").is_visible()
    assert not page.get_by_text("hits me").is_visible()
    _sign_out(page)

    sign_in(page, cast.dsl.username, PASSWORD)
    page.get_by_role("link", name="Escalated posts", exact=True).click()
    page.get_by_role("link", name="Open").first.click()
    assert page.get_by_text("my dad hits me").is_visible()
    assert page.get_by_text("verified").is_visible()
    screenshot(page, "safeguarding-item")
    page.get_by_role("button", name="Acknowledge: I am dealing with this").click()
    # Safeguarding owns the hand-over: the acknowledgement is on the escalation (ADR 0006).
    escalation = Escalation.objects.get(source_type="review_item", source_id=item.pk)
    assert escalation.acknowledged_by_id == cast.dsl.pk
