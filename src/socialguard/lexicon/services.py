"""Writes: every change to a list is one transaction with one audit event, and raises the
organisation's LexiconVersion so the engine is given the new list at once.

The leads' lists are need to know (A.2.3): their audit events carry ids and a fingerprint of the
words, never the words themselves, and only the leads read them (``hooks.audit_scope``)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F

from socialguard.accounts.models import User
from socialguard.audit.services import audit_record
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.lexicon import selectors
from socialguard.lexicon.models import (
    ExampleSentence,
    LexiconVersion,
    PatternKind,
    SafeguardingPhrase,
    WatchedWord,
)
from socialguard.lexicon.patterns import pattern_clean
from socialguard.lexicon.permissions import keeps_safeguarding_lists, runs_site
from socialguard.sites.models import Site

SAFEGUARDING_CLAUSES = ("A.2.3",)
HOUSE_RULES_CLAUSES = ("A.4.1",)
MAX_NOTE = 300
MAX_EXAMPLE = 400


def _fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _bump(organisation_id: int) -> None:
    version, _ = LexiconVersion.objects.get_or_create(organisation_id=organisation_id)
    LexiconVersion.objects.filter(pk=version.pk).update(number=F("number") + 1)


def _note(note: str) -> str:
    note = " ".join(note.split())
    if len(note) > MAX_NOTE:
        raise ApplicationError(f"Keep the note under {MAX_NOTE} characters.")
    return note


def _kind(kind: str) -> str:
    if kind not in PatternKind.values:
        raise ApplicationError("Choose whether it is words or a regular expression.")
    return kind


def _require_lead(by: User) -> int:
    """The lead's organisation; 404 for anyone who is not a lead."""
    if not keeps_safeguarding_lists(by) or by.organisation_id is None:
        raise ApplicationError("Page not found.", code=ErrorCode.NOT_FOUND)
    return int(by.organisation_id)


def _require_runner(by: User, site: Site) -> None:
    if not runs_site(by, site):
        raise ApplicationError("Page not found.", code=ErrorCode.NOT_FOUND)


def _save(obj: Any, duplicate: str, **kwargs: Any) -> None:
    try:
        with transaction.atomic():
            obj.save(**kwargs)
    except IntegrityError as error:
        raise ApplicationError(duplicate, code=ErrorCode.CONFLICT) from error


# --- The safeguarding phrase library (A.2.3) ---------------------------------------------------


@transaction.atomic
def phrase_add(
    *, by: User, pattern: str, kind: str = PatternKind.WORDS, note: str = ""
) -> SafeguardingPhrase:
    organisation_id = _require_lead(by)
    kind = _kind(kind)
    phrase = SafeguardingPhrase(
        organisation_id=organisation_id,
        pattern=pattern_clean(pattern=pattern, regex=kind == PatternKind.REGEX),
        kind=kind,
        note=_note(note),
        added_by=by,
    )
    _save(phrase, "That phrase is already in the library.")
    _phrase_audit(by, phrase, "added")
    return phrase


@transaction.atomic
def phrase_update(
    *, phrase: SafeguardingPhrase, by: User, pattern: str, kind: str, note: str
) -> SafeguardingPhrase:
    _require_lead(by)
    phrase = selectors.access_phrase(user=by, pk=phrase.pk)
    kind = _kind(kind)
    phrase.pattern = pattern_clean(pattern=pattern, regex=kind == PatternKind.REGEX)
    phrase.kind = kind
    phrase.note = _note(note)
    _save(
        phrase,
        "That phrase is already in the library.",
        update_fields=["pattern", "kind", "note", "updated_at"],
    )
    _phrase_audit(by, phrase, "changed")
    return phrase


@transaction.atomic
def phrase_delete(*, phrase: SafeguardingPhrase, by: User) -> None:
    _require_lead(by)
    phrase = selectors.access_phrase(user=by, pk=phrase.pk)
    _phrase_audit(by, phrase, "removed")
    phrase.delete()


def _phrase_audit(by: User, phrase: SafeguardingPhrase, verb: str) -> None:
    _bump(phrase.organisation_id)
    audit_record(
        actor=by,
        action=f"lexicon.phrase.{verb}",
        target=phrase,
        clauses=SAFEGUARDING_CLAUSES,
        details={
            "phrase": phrase.pk,
            "kind": phrase.kind,
            "fingerprint": _fingerprint(phrase.pattern),
        },
    )


# --- The leads' example sentences (A.2.3) ------------------------------------------------------


def _example_text(text: str) -> str:
    text = " ".join(text.split())
    if len(text) < 12 or len(text.split()) < 3:
        raise ApplicationError("Write a whole sentence, of at least three words.")
    if len(text) > MAX_EXAMPLE:
        raise ApplicationError(f"Keep the sentence under {MAX_EXAMPLE} characters.")
    return text


def _category(category: str) -> str:
    category = category or selectors.DEFAULT_EXAMPLE_CATEGORY
    if category not in dict(selectors.example_categories()):
        raise ApplicationError("Choose which kind of concern the example stands for.")
    return category


@transaction.atomic
def example_add(*, by: User, text: str, category: str = "", note: str = "") -> ExampleSentence:
    organisation_id = _require_lead(by)
    example = ExampleSentence(
        organisation_id=organisation_id,
        text=_example_text(text),
        category=_category(category),
        note=_note(note),
        added_by=by,
    )
    _save(example, "That sentence is already in the list.")
    _example_audit(by, example, "added")
    return example


@transaction.atomic
def example_update(
    *, example: ExampleSentence, by: User, text: str, category: str, note: str
) -> ExampleSentence:
    _require_lead(by)
    example = selectors.access_example(user=by, pk=example.pk)
    example.text = _example_text(text)
    example.category = _category(category)
    example.note = _note(note)
    _save(
        example,
        "That sentence is already in the list.",
        update_fields=["text", "category", "note", "updated_at"],
    )
    _example_audit(by, example, "changed")
    return example


@transaction.atomic
def example_delete(*, example: ExampleSentence, by: User) -> None:
    _require_lead(by)
    example = selectors.access_example(user=by, pk=example.pk)
    _example_audit(by, example, "removed")
    example.delete()


def _example_audit(by: User, example: ExampleSentence, verb: str) -> None:
    _bump(example.organisation_id)
    audit_record(
        actor=by,
        action=f"lexicon.example.{verb}",
        target=example,
        clauses=SAFEGUARDING_CLAUSES,
        details={
            "example": example.pk,
            "category": example.category,
            "fingerprint": _fingerprint(example.text),
        },
    )


# --- A site's House Rules watched words (A.4.1) ------------------------------------------------


def _action(action: str) -> str:
    if action not in WatchedWord.Action.values:
        raise ApplicationError(
            "Choose what happens to a post with the word: block, review or censor."
        )
    return action


@transaction.atomic
def watched_word_add(
    *,
    site: Site,
    by: User,
    pattern: str,
    action: str,
    kind: str = PatternKind.WORDS,
    note: str = "",
) -> WatchedWord:
    _require_runner(by, site)
    kind = _kind(kind)
    word = WatchedWord(
        site=site,
        pattern=pattern_clean(pattern=pattern, regex=kind == PatternKind.REGEX),
        kind=kind,
        action=_action(action),
        note=_note(note),
        added_by=by,
    )
    _save(word, "That word is already on this site's list.")
    _word_audit(by, site, word, "added")
    return word


@transaction.atomic
def watched_word_update(
    *, word: WatchedWord, by: User, pattern: str, action: str, kind: str, note: str
) -> WatchedWord:
    site = word.site
    _require_runner(by, site)
    word = selectors.access_watched_word(site=site, pk=word.pk)
    kind = _kind(kind)
    word.pattern = pattern_clean(pattern=pattern, regex=kind == PatternKind.REGEX)
    word.kind = kind
    word.action = _action(action)
    word.note = _note(note)
    _save(
        word,
        "That word is already on this site's list.",
        update_fields=["pattern", "kind", "action", "note", "updated_at"],
    )
    _word_audit(by, site, word, "changed")
    return word


@transaction.atomic
def watched_word_delete(*, word: WatchedWord, by: User) -> None:
    site = word.site
    _require_runner(by, site)
    word = selectors.access_watched_word(site=site, pk=word.pk)
    _word_audit(by, site, word, "removed")
    word.delete()


def _word_audit(by: User, site: Site, word: WatchedWord, verb: str) -> None:
    _bump(site.organisation_id)
    audit_record(
        actor=by,
        action=f"lexicon.watched_word.{verb}",
        target=site,
        clauses=HOUSE_RULES_CLAUSES,
        details={
            "word": word.pk,
            "pattern": word.pattern,
            "kind": word.kind,
            "action": word.action,
        },
    )
