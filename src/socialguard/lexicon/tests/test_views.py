"""The pages: need to know (404), plain 400s, a confirmation before removing, the test box."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from socialguard.audit.models import AuditEvent
from socialguard.community.tests.factories import live_site, published
from socialguard.lexicon import services
from socialguard.lexicon.models import SafeguardingPhrase, WatchedWord

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("who", ["teacher", "comms", "head", "pupil", "admin"])
@pytest.mark.parametrize("url", ["/lexicon/phrases/", "/lexicon/examples/"])
def test_nobody_but_the_leads_learns_the_lists_exist(cast: Any, who: str, url: str) -> None:
    client = _client(getattr(cast, who))
    assert client.get(url).status_code == 404
    assert client.post(url, {"intent": "add", "pattern": "x y", "kind": "words"}).status_code == 404
    assert not SafeguardingPhrase.objects.exists()


def test_a_lead_adds_a_phrase_and_a_bad_regex_is_a_plain_400(cast: Any) -> None:
    client = _client(cast.deputy_dsl)
    bad = client.post("/lexicon/phrases/", {"intent": "add", "pattern": "(oops", "kind": "regex"})
    assert bad.status_code == 400
    assert "cannot read this regular expression" in bad.content.decode()
    good = client.post(
        "/lexicon/phrases/",
        {"intent": "add", "pattern": "chicken shop man", "kind": "words", "note": "local slang"},
        follow=True,
    )
    assert good.status_code == 200 and "chicken shop man" in good.content.decode()
    assert SafeguardingPhrase.objects.get().added_by == cast.deputy_dsl


def test_removing_asks_first(cast: Any) -> None:
    phrase = services.phrase_add(by=cast.dsl, pattern="chicken shop man")
    client = _client(cast.dsl)
    url = f"/lexicon/phrases/remove/?phrase={phrase.pk}"
    page = client.get(url)
    assert page.status_code == 200 and "Yes, remove it" in page.content.decode()
    assert client.post(url, {}).status_code == 400  # not confirmed: nothing removed
    assert SafeguardingPhrase.objects.exists()
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert not SafeguardingPhrase.objects.exists()
    assert AuditEvent.objects.filter(action="lexicon.phrase.removed").count() == 1
    assert client.get("/lexicon/phrases/remove/?phrase=abc").status_code == 400
    assert client.get("/lexicon/phrases/remove/").status_code == 302


def test_a_site_runner_keeps_and_tests_its_words(cast: Any) -> None:
    cache.clear()
    site = live_site(cast)
    published(site, cast.teacher, cast.comms, "We played Fortnite at the club")
    url = f"/lexicon/sites/{site.pk}/words/"
    for refused in (cast.comms, cast.dsl, cast.pupil):  # a moderator, a lead, a pupil
        assert _client(refused).get(url).status_code == 404
    client = _client(cast.line_manager)
    tried = client.post(url, {"intent": "try", "try-candidate": "fortnite", "try-kind": "words"})
    assert tried.status_code == 200
    assert "We played Fortnite at the club" in tried.content.decode()
    added = client.post(
        url, {"intent": "add", "pattern": "fortnite", "action": "censor", "kind": "words"}
    )
    assert added.status_code == 302
    assert WatchedWord.objects.get(site=site).action == "censor"
