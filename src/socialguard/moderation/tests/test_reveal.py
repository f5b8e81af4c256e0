"""A moderator reveals the words the screening engine masked with one click (a POST), so that
they can judge the item; each reveal is audited and the words are masked again afterwards."""

from __future__ import annotations

import pytest
from django.urls import reverse

from socialguard.audit.models import AuditEvent
from socialguard.community.tests.factories import live_site, member, post

pytestmark = pytest.mark.django_db

TEXT = "Can someone help me with homework? Ring me on 07700 900123."


def _masked_item(cast):  # type: ignore[no-untyped-def]
    site = live_site(cast)
    member(site, cast.pupil, cast.line_manager)
    return post(site, cast.pupil, TEXT).review_items.get()


def test_the_item_page_offers_the_reveal_and_shows_the_words_after_one_click(cast, client) -> None:  # type: ignore[no-untyped-def]
    item = _masked_item(cast)
    client.force_login(cast.comms)
    page = client.get(reverse("moderation:item", args=[item.pk])).content.decode()
    assert "07700 900123" not in page and "[a phone number]" in page
    assert reverse("moderation:reveal", args=[item.pk]) in page

    response = client.post(reverse("moderation:reveal", args=[item.pk]))

    assert response.status_code == 200
    shown = response.content.decode()
    assert "07700 900123" in shown and "audit trail" in shown
    event = AuditEvent.objects.get(action="moderation.item.reveal")
    assert event.actor == cast.comms and event.details == {"categories": ["phone"]}
    assert (
        "Masked words shown to a moderator"
        in client.get(reverse("moderation:item", args=[item.pk])).content.decode()
    )
    # The next visit masks them again.
    assert "07700 900123" not in client.get(reverse("moderation:queue")).content.decode()


def test_the_reveal_is_a_post_and_only_for_the_sites_moderators(cast, client) -> None:  # type: ignore[no-untyped-def]
    item = _masked_item(cast)
    client.force_login(cast.comms)
    assert client.get(reverse("moderation:reveal", args=[item.pk])).status_code == 405
    client.force_login(cast.governor)  # not on the site's team
    assert client.post(reverse("moderation:reveal", args=[item.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="moderation.item.reveal").exists()
