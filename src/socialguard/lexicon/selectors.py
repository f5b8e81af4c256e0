"""Reads: the lists as their keepers see them, and what the engine is given for a site.

``screening_extras_for`` is called for every contribution, so it is cached; the key carries the
organisation's ``LexiconVersion``, which every change raises in its own transaction, so a new
phrase applies to the very next contribution in every process, and the cache entry itself is
only kept briefly."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet

from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.lexicon.models import (
    ExampleSentence,
    LexiconVersion,
    SafeguardingPhrase,
    WatchedWord,
)
from socialguard.lexicon.permissions import keeps_safeguarding_lists, runs_site
from socialguard.screening.base import Example, HouseRule
from socialguard.screening.categories import label, safeguarding_codes
from socialguard.sites.models import Site

EXTRAS_SECONDS = 60
DEFAULT_EXAMPLE_CATEGORY = "safeguarding_example"

ScreeningExtras = tuple[tuple[HouseRule, ...], tuple[HouseRule, ...], tuple[Example, ...]]


def example_categories() -> list[tuple[str, str]]:
    """The kinds of harm an example may stand for: every category that goes to the leads, the
    general 'close to an example' first (the default)."""
    codes = {k: v for k, v in safeguarding_codes().items() if k != "other"}
    first = [(DEFAULT_EXAMPLE_CATEGORY, label(DEFAULT_EXAMPLE_CATEGORY))]
    return first + sorted(
        ((k, v) for k, v in codes.items() if k != DEFAULT_EXAMPLE_CATEGORY), key=lambda kv: kv[1]
    )


def lexicon_version(*, organisation_id: int) -> int:
    number = (
        LexiconVersion.objects.filter(organisation_id=organisation_id)
        .values_list("number", flat=True)
        .first()
    )
    return int(number or 0)


def _cache_key(site: Site, version: int) -> str:
    return f"lexicon:extras:{site.organisation_id}:{site.pk}:{version}"


def screening_extras_for(site: Site) -> ScreeningExtras:
    """(house_rules, safeguarding_phrases, safeguarding_examples) for the engine's Context when
    screening a contribution to ``site``."""
    key = _cache_key(site, lexicon_version(organisation_id=site.organisation_id))
    cached: ScreeningExtras | None = cache.get(key)
    if cached is None:
        cached = _extras(site)
        cache.set(key, cached, EXTRAS_SECONDS)
    return cached


def _extras(site: Site) -> ScreeningExtras:
    words = tuple(
        HouseRule(pattern=w.pattern, action=w.action, regex=w.regex, rule_id=f"watched:{w.pk}")  # type: ignore[arg-type]
        for w in WatchedWord.objects.filter(site=site).order_by("pk")
    )
    phrases = tuple(
        HouseRule(pattern=p.pattern, action="review", regex=p.regex, rule_id=f"phrase:{p.pk}")
        for p in SafeguardingPhrase.objects.filter(organisation_id=site.organisation_id).order_by(
            "pk"
        )
    )
    examples = tuple(
        Example(text=e.text, category=e.category, example_id=f"example:{e.pk}")
        for e in ExampleSentence.objects.filter(organisation_id=site.organisation_id).order_by("pk")
    )
    return words, phrases, examples


def _require_lead(user: Any) -> None:
    if not keeps_safeguarding_lists(user):
        raise ApplicationError("Page not found.", code=ErrorCode.NOT_FOUND)


def phrase_list(*, user: Any) -> QuerySet[SafeguardingPhrase]:
    _require_lead(user)
    return SafeguardingPhrase.objects.filter(organisation_id=user.organisation_id).select_related(
        "added_by"
    )


def access_phrase(*, user: Any, pk: int | None) -> SafeguardingPhrase:
    found = phrase_list(user=user).filter(pk=pk).first() if pk else None
    if found is None:
        raise ApplicationError("That phrase is not in your library.", code=ErrorCode.NOT_FOUND)
    return found


def example_list(*, user: Any) -> QuerySet[ExampleSentence]:
    _require_lead(user)
    return ExampleSentence.objects.filter(organisation_id=user.organisation_id).select_related(
        "added_by"
    )


def access_example(*, user: Any, pk: int | None) -> ExampleSentence:
    found = example_list(user=user).filter(pk=pk).first() if pk else None
    if found is None:
        raise ApplicationError("That example is not in your list.", code=ErrorCode.NOT_FOUND)
    return found


def access_site_words(*, user: Any, pk: int) -> Site:
    """A school-hosted site whose House Rules this person keeps; 404 for anyone else."""
    site = Site.objects.filter(pk=pk, host=Site.Host.SCHOOL).select_related("organisation").first()
    if site is None or not runs_site(user, site):
        raise ApplicationError("Page not found.", code=ErrorCode.NOT_FOUND)
    return site


def watched_word_list(*, site: Site) -> QuerySet[WatchedWord]:
    return WatchedWord.objects.filter(site=site).select_related("added_by")


def access_watched_word(*, site: Site, pk: int | None) -> WatchedWord:
    found = watched_word_list(site=site).filter(pk=pk).first() if pk else None
    if found is None:
        raise ApplicationError("That word is not in this site's list.", code=ErrorCode.NOT_FOUND)
    return found
