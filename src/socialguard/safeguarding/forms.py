from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from socialguard.accounts.models import User
from socialguard.accounts.selectors import staff_members_of
from socialguard.core.forms import IdsChoiceField
from socialguard.safeguarding.agencies import referral_agencies_of
from socialguard.safeguarding.models import ConcernEntry
from socialguard.safeguarding.selectors import pupil_label, pupils_of
from socialguard.safeguarding.services import MAX_CATEGORIES, WRITTEN_ENTRY_KINDS
from socialguard.screening import categories as registry


class PupilChoiceField(IdsChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return pupil_label(obj)


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return (
            f"{obj.get_full_name() or obj.username}{' – ' + obj.position if obj.position else ''}"
        )


class ConcernForm(forms.Form):
    pupils = PupilChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Pupil or pupils concerned",
        help_text="Listed by surname. Hold Ctrl (⌘ on a Mac) to choose more than one; type a "
        "surname to jump to it.",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    unlisted = forms.CharField(
        required=False,
        max_length=200,
        label="Pupil not on the list",
        help_text="Full name, and school or year if you know it.",
    )
    occurred_at = forms.DateTimeField(
        label="When it happened (or when you were told)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )
    location = forms.CharField(required=False, max_length=200, label="Where")
    categories = forms.MultipleChoiceField(
        choices=list(registry.safeguarding_codes().items()),
        widget=forms.CheckboxSelectMultiple,
        label="What kind of concern (up to three)",
    )
    account = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        label="What happened, in your own words",
        help_text="Facts: what you saw or heard, who was there. Do not investigate or ask "
        "leading questions.",
    )
    child_words = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="What the child said, in their words",
        help_text="Exactly as they said it, even if it is rude or unclear.",
    )
    upload = forms.FileField(
        required=False,
        label="Attach a file (optional)",
        help_text="A screenshot or photo of a message. It is kept with a sha256 fingerprint.",
    )

    def __init__(self, *args: Any, reporter: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert reporter.organisation is not None
        field = self.fields["pupils"]
        assert isinstance(field, PupilChoiceField)
        field.queryset = pupils_of(organisation=reporter.organisation)
        self.fields["occurred_at"].initial = timezone.localtime().replace(second=0, microsecond=0)

    def clean_categories(self) -> list[str]:
        chosen: list[str] = self.cleaned_data["categories"]
        if len(chosen) > MAX_CATEGORIES:
            raise forms.ValidationError("Choose up to three, the most serious first.")
        return chosen

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("pupils") and not (data.get("unlisted") or "").strip():
            self.add_error("pupils", "Choose the pupil, or write the name under the list.")
        return data


class FromReviewItemForm(forms.Form):
    account = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))


class EntryForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[(k, ConcernEntry.Kind(k).label) for k in WRITTEN_ENTRY_KINDS], label="Kind"
    )
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Entry")


class ActionForm(forms.Form):
    description = forms.CharField(max_length=500, label="What needs doing")
    assignee = StaffChoiceField(queryset=User.objects.none(), label="Who")
    due_on = forms.DateField(
        label="By", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, StaffChoiceField)
        field.queryset = staff_members_of(organisation=organisation).order_by(
            "last_name", "first_name"
        )


class ReferralForm(forms.Form):
    agency = forms.ChoiceField(
        label="Agency",
        help_text="The organisation's list: the safeguarding leads add local agencies to it.",
    )
    made_on = forms.DateField(
        label="Date made", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reference = forms.CharField(required=False, max_length=100, label="Their reference")
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Note (who you spoke to)"
    )

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (c.code, c.name) for c in referral_agencies_of(organisation=organisation) if c.active
        ]


class AgencyAddForm(forms.Form):
    name = forms.CharField(
        max_length=120,
        label="Agency's name",
        help_text="As the leads will know it, for example 'Northshire MASH' or 'Kooth'.",
    )


class OutcomeForm(forms.Form):
    referral = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Outcome")


class ActionDoneForm(forms.Form):
    concern_action = forms.IntegerField(widget=forms.HiddenInput)


class EvidenceForm(forms.Form):
    upload = forms.FileField(label="File")
    description = forms.CharField(required=False, max_length=300, label="What it is")


class CloseForm(forms.Form):
    outcome = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Outcome")


class ReopenForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Why reopen it")


class HeadAccessForm(forms.Form):
    reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Why (kept in the record)"
    )
