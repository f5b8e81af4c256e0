"""The organisation's own words for the screening engine, kept in the browser (rules as data):
the safeguarding leads' phrase library and example sentences (A.2.3), and each site's House
Rules watched words (A.4.1). A school extends screening here without a release."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from socialguard.core.models import TimeStampedModel


class PatternKind(models.TextChoices):
    WORDS = "words", "Words (a * matches the rest of a word)"
    REGEX = "regex", "A regular expression (for people who know them)"


class LexiconVersion(models.Model):
    """A counter per organisation, raised in the same transaction as every change to its lists:
    what the engine was given is cached under it, so every process sees a change at once."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    number = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"Watch lists version {self.number}"


class SafeguardingPhrase(TimeStampedModel):
    """A phrase the leads watch for: local slang, a code word, words a known groomer used.
    Any match goes to the leads at once (A.2.3)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    pattern = models.CharField(max_length=200)
    kind = models.CharField(max_length=5, choices=PatternKind.choices, default=PatternKind.WORDS)
    note = models.CharField(max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["pattern", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "pattern", "kind"], name="one_phrase_per_organisation"
            )
        ]

    def __str__(self) -> str:
        # No words: this string may be copied into the audit trail.
        return f"Safeguarding phrase #{self.pk}"

    @property
    def regex(self) -> bool:
        return self.kind == PatternKind.REGEX


class ExampleSentence(TimeStampedModel):
    """A sentence the leads wrote as an example of a kind of harm: a message that means the same,
    in any words, is flagged and goes to them (the semantic stage's nearest-example match)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    text = models.CharField(max_length=400)
    category = models.CharField(max_length=40, default="safeguarding_example")
    note = models.CharField(max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["category", "text", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "text"], name="one_example_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"Example sentence #{self.pk}"


class WatchedWord(TimeStampedModel):
    """A word in one site's House Rules (A.4.1), Discourse-style: block it, hold the post for a
    moderator, or mask the word."""

    class Action(models.TextChoices):
        BLOCK = "block", "Block: never shown, a moderator confirms"
        REVIEW = "review", "Review: hold the post for a moderator"
        CENSOR = "censor", "Censor: mask the word for moderators"

    site = models.ForeignKey("sites.Site", on_delete=models.CASCADE, related_name="watched_words")
    pattern = models.CharField(max_length=200)
    kind = models.CharField(max_length=5, choices=PatternKind.choices, default=PatternKind.WORDS)
    action = models.CharField(max_length=6, choices=Action.choices, default=Action.REVIEW)
    note = models.CharField(max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["pattern", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["site", "pattern", "kind"], name="one_word_per_site")
        ]

    def __str__(self) -> str:
        return f"Watched word #{self.pk}"

    @property
    def regex(self) -> bool:
        return self.kind == PatternKind.REGEX
