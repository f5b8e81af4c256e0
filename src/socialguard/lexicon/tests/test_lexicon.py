"""The school's own words: who keeps which list, what every change leaves in the audit trail,
what the engine is given, and that the engine then acts on it."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.core.cache import cache

from socialguard.audit.models import AuditEvent
from socialguard.community.models import CommunitySettings, Contribution
from socialguard.community.tests.factories import live_site, member, post, published
from socialguard.core.errors import ApplicationError
from socialguard.lexicon import selectors, services, tryout
from socialguard.lexicon.models import (
    ExampleSentence,
    LexiconVersion,
    SafeguardingPhrase,
    WatchedWord,
)
from socialguard.moderation.models import ReviewItem
from socialguard.safeguarding.models import Escalation

pytestmark = pytest.mark.django_db
PHRASE = "chicken shop man"
# Criminal exploitation in a child's words, which no rule or training sentence covers: without the
# example the engine lets the paraphrase through; with it, the leads see it.
EXAMPLE = "the older boys make me carry packages to the park for them"
PARAPHRASE = "some older lads keep making me take parcels down the park for them"


@pytest.fixture
def site(cast: Any) -> Any:
    cache.clear()
    site = live_site(cast)
    member(site, cast.pupil, cast.line_manager)
    return site


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action))


# --- Keeping the lists, audited -----------------------------------------------------------------


def test_a_lead_adds_a_phrase_with_one_audit_event_that_keeps_the_words_out(cast: Any) -> None:
    phrase = services.phrase_add(by=cast.dsl, pattern="  Chicken   Shop Man ", note="local slang")
    assert phrase.pattern == "Chicken Shop Man" and phrase.added_by == cast.dsl
    [event] = _events("lexicon.phrase.added")
    assert event.clauses == ["A.2.3"]
    assert "chicken" not in str(event.details).lower()
    services.phrase_delete(phrase=phrase, by=cast.deputy_dsl)
    assert len(_events("lexicon.phrase.removed")) == 1
    assert not SafeguardingPhrase.objects.exists()


@pytest.mark.parametrize(
    ("pattern", "regex", "says"),
    [
        ("(unclosed", True, "cannot read this regular expression"),
        ("(?=lookahead)x", True, "cannot read this regular expression"),
        (".*", True, "would match every message"),
        ("*", False, "at least two letters"),
        ("", False, "Type the word"),
    ],
)
def test_a_pattern_the_engine_cannot_use_is_refused_in_plain_words(
    cast: Any, pattern: str, regex: bool, says: str
) -> None:
    with pytest.raises(ApplicationError, match=says):
        services.phrase_add(by=cast.dsl, pattern=pattern, kind="regex" if regex else "words")
    assert not AuditEvent.objects.filter(action__startswith="lexicon.").exists()


@pytest.mark.parametrize("who", ["teacher", "comms", "head", "pupil", "admin", "outsider"])
def test_only_the_leads_keep_the_phrase_library_and_the_examples(cast: Any, who: str) -> None:
    person = getattr(cast, who)
    with pytest.raises(ApplicationError):
        services.phrase_add(by=person, pattern=PHRASE)
    with pytest.raises(ApplicationError):
        services.example_add(by=person, text=EXAMPLE)
    with pytest.raises(ApplicationError):
        selectors.example_list(user=person)


def test_an_example_is_audited_with_its_category_not_its_words(cast: Any) -> None:
    example = services.example_add(by=cast.dsl, text=EXAMPLE, category="disclosure_abuse")
    [event] = _events("lexicon.example.added")
    assert event.details["category"] == "disclosure_abuse" and "packages" not in str(event.details)
    with pytest.raises(ApplicationError, match="kind of concern"):
        services.example_add(by=cast.dsl, text="another sentence here", category="tone")
    with pytest.raises(ApplicationError, match="whole sentence"):
        services.example_add(by=cast.dsl, text="hi")
    services.example_update(example=example, by=cast.dsl, text=EXAMPLE, category="", note="n")
    assert ExampleSentence.objects.get().category == "safeguarding_example"


def test_a_sites_words_are_kept_by_its_owner_and_administrators_only(cast: Any, site: Any) -> None:
    word = services.watched_word_add(site=site, by=cast.teacher, pattern="vap*", action="review")
    services.watched_word_update(
        word=word, by=cast.line_manager, pattern="vap*", action="block", kind="words", note=""
    )
    [event] = _events("lexicon.watched_word.changed")
    assert event.clauses == ["A.4.1"] and event.details["action"] == "block"
    for outsider in (cast.comms, cast.dsl, cast.head, cast.pupil):  # a moderator is not enough
        with pytest.raises(ApplicationError):
            services.watched_word_add(site=site, by=outsider, pattern="crisps", action="censor")
    with pytest.raises(ApplicationError, match="block, review or censor"):
        services.watched_word_add(site=site, by=cast.teacher, pattern="crisps", action="hide")


# --- What the engine is given ------------------------------------------------------------------


def test_screening_extras_are_cached_and_a_change_applies_at_once(
    cast: Any, site: Any, django_assert_num_queries: Any
) -> None:
    assert selectors.screening_extras_for(site) == ((), (), ())
    with django_assert_num_queries(1):  # the version only: the lists come from the cache
        selectors.screening_extras_for(site)
    services.phrase_add(by=cast.dsl, pattern=PHRASE)
    services.watched_word_add(site=site, by=cast.teacher, pattern="fortnite", action="review")
    words, phrases, _examples = selectors.screening_extras_for(site)
    assert [p.pattern for p in phrases] == [PHRASE]
    assert [(w.pattern, w.action) for w in words] == [("fortnite", "review")]
    assert LexiconVersion.objects.get(organisation=cast.organisation).number == 2


def test_a_phrase_the_lead_adds_sends_a_later_contribution_to_the_leads(
    cast: Any, site: Any
) -> None:
    text = "the chicken shop man was at the park today"
    before = post(site, cast.pupil, text)
    assert before.status != Contribution.Status.WITHHELD
    services.phrase_add(by=cast.dsl, pattern=PHRASE)
    after = post(site, cast.pupil, text)
    item = after.review_items.get()
    assert item.status == ReviewItem.Status.SAFEGUARDING
    assert after.status == Contribution.Status.WITHHELD
    escalation = Escalation.objects.get(source_id=item.pk)
    assert "safeguarding_phrase" in {f["category"] for f in escalation.findings}


def test_an_example_the_lead_adds_flags_a_later_paraphrase(cast: Any, site: Any) -> None:
    before = post(site, cast.pupil, PARAPHRASE).review_items.get()
    assert before.status != ReviewItem.Status.SAFEGUARDING
    services.example_add(by=cast.dsl, text=EXAMPLE)
    item = post(site, cast.pupil, PARAPHRASE).review_items.get()
    assert item.status == ReviewItem.Status.SAFEGUARDING
    [found] = [
        f
        for f in Escalation.objects.get(source_id=item.pk).findings
        if f["category"] == "safeguarding_example"
    ]
    assert EXAMPLE in found["explanation"]


def test_a_watched_word_holds_a_contribution_under_the_sites_house_rules(
    cast: Any, site: Any
) -> None:
    services.watched_word_add(site=site, by=cast.teacher, pattern="fortnite", action="block")
    item = post(site, cast.pupil, "Want to play Fortnite after school?").review_items.get()
    assert "house_rule_block" in {f["category"] for f in item.payload["findings"]}
    assert item.blocked_by_engine


def test_the_words_in_communitys_settings_move_to_the_watched_words(cast: Any, site: Any) -> None:
    CommunitySettings.objects.filter(site=site).update(
        watched_words=[{"pattern": "fortnite", "action": "review"}, {"pattern": ""}]
    )
    migration = __import__(
        "socialguard.lexicon.migrations.0002_watched_words_from_community", fromlist=["copy_words"]
    )
    migration.copy_words(apps, None)
    assert list(WatchedWord.objects.values_list("site", "pattern", "action")) == [
        (site.pk, "fortnite", "review")
    ]


# --- The "test it" box -------------------------------------------------------------------------


def test_the_test_box_never_shows_what_went_to_the_leads(cast: Any, site: Any) -> None:
    shown = published(site, cast.teacher, cast.comms, "The chicken shop opened near school")
    waiting = post(site, cast.teacher, "Chicken shop vouchers for the raffle")
    services.phrase_add(by=cast.dsl, pattern=PHRASE)
    held = post(site, cast.pupil, "the chicken shop man said its our secret")
    assert held.review_items.get().status == ReviewItem.Status.SAFEGUARDING

    result = tryout.try_pattern(
        pattern="chicken shop", regex=False, organisation_id=site.organisation_id
    )
    assert [m.text for m in result.shown] == [shown.body]
    assert result.hidden == 1  # the waiting post: counted, its words not shown
    assert waiting.body not in str(result) and held.body not in str(result)
    assert result.looked_at == 2


def test_the_test_box_finds_sentences_close_in_meaning(cast: Any, site: Any) -> None:
    close = published(
        site, cast.teacher, cast.comms, "Today our class baked loaves of bread together"
    )
    published(site, cast.teacher, cast.comms, "Sports day is moved to Friday because of rain")
    result = tryout.try_example(
        text="we made bread in our classroom today", organisation_id=site.organisation_id
    )
    assert [m.text for m in result.shown] == [close.body]
    assert result.shown[0].score is not None and result.shown[0].score >= 0.6
