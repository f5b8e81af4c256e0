from __future__ import annotations

from django import forms

from socialguard.lexicon.models import PatternKind, WatchedWord
from socialguard.lexicon.patterns import MAX_PATTERN
from socialguard.lexicon.selectors import example_categories
from socialguard.lexicon.services import MAX_EXAMPLE, MAX_NOTE

KIND_HELP = (
    "Words match anywhere in a message, in any capitals, and through the usual disguises "
    "(s p a c e d letters, numbers for letters). A * matches the rest of a word: 'vap*' "
    "matches 'vape' and 'vaping'."
)


class PhraseForm(forms.Form):
    pattern = forms.CharField(
        label="Word or phrase",
        max_length=MAX_PATTERN,
        help_text="For example a local slang word, a code word, or words a known groomer used.",
    )
    kind = forms.ChoiceField(
        label="How to read it",
        choices=PatternKind.choices,
        initial=PatternKind.WORDS,
        widget=forms.RadioSelect,
        help_text=KIND_HELP,
    )
    note = forms.CharField(
        label="Note for the other leads (optional)",
        max_length=MAX_NOTE,
        required=False,
        help_text="What it means and why it is watched, e.g. 'local slang for ...'.",
    )


class ExampleForm(forms.Form):
    text = forms.CharField(
        label="Example sentence",
        max_length=MAX_EXAMPLE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Write it as a child or an adult might. Messages that mean the same thing, "
        "in other words, will come to the safeguarding leads.",
    )
    category = forms.ChoiceField(label="Kind of concern", choices=())
    note = forms.CharField(
        label="Note for the other leads (optional)", max_length=MAX_NOTE, required=False
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["category"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = example_categories()


class WatchedWordForm(forms.Form):
    pattern = forms.CharField(label="Word or phrase", max_length=MAX_PATTERN)
    action = forms.ChoiceField(
        label="What happens to a post with it",
        choices=WatchedWord.Action.choices,
        initial=WatchedWord.Action.REVIEW,
        widget=forms.RadioSelect,
    )
    kind = forms.ChoiceField(
        label="How to read it",
        choices=PatternKind.choices,
        initial=PatternKind.WORDS,
        widget=forms.RadioSelect,
        help_text=KIND_HELP,
    )
    note = forms.CharField(label="Note (optional)", max_length=MAX_NOTE, required=False)


class TryForm(forms.Form):
    candidate = forms.CharField(
        label="Try it",
        max_length=MAX_EXAMPLE,
        help_text="Nothing is saved. Contributions that went to the safeguarding leads are "
        "never shown here.",
    )
    kind = forms.ChoiceField(
        label="How to read it",
        choices=PatternKind.choices,
        initial=PatternKind.WORDS,
        required=False,
        widget=forms.RadioSelect,
    )


class ExampleTryForm(forms.Form):
    candidate = forms.CharField(
        label="Try a sentence",
        max_length=MAX_EXAMPLE,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Nothing is saved. Contributions that went to the safeguarding leads are "
        "never shown here.",
    )


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label="Yes, remove it", required=True)
