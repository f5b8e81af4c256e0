"""Forms validate what a person typed; the services decide whether it may be done."""

from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps

from socialguard.accounts.models import Organisation, User
from socialguard.accounts.selectors import schools_of, staff_members_of
from socialguard.cases.models import CaseAppeal, CaseEvidence, Outcome, ReporterRelationship
from socialguard.cases.selectors import clause_numbers
from socialguard.sites.models import Site

DATETIME_LOCAL = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class PersonChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: Any) -> str:
        return (
            f"{obj.get_full_name() or obj.username}{' – ' + obj.position if obj.position else ''}"
        )


def _clause_choices(organisation: Organisation, width: int = 90) -> list[tuple[str, str]]:
    return [
        (number, f"{number}: {text[:width]}{'…' if len(text) > width else ''}")
        for number, text in clause_numbers(organisation=organisation)
    ]


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class BreachReportForm(forms.Form):
    reporter_name = forms.CharField(label="Your name", max_length=120)
    reporter_email = forms.EmailField(
        label="Your e-mail address (optional)",
        required=False,
        help_text="We send the reference code here, and tell you when the report is considered.",
    )
    reporter_relationship = forms.ChoiceField(
        label="How are you connected to the school?",
        choices=ReporterRelationship.choices,
        widget=forms.RadioSelect,
    )
    school: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, required=False, label="Which school? (if you know)", empty_label="Not sure"
    )
    clause_number = forms.ChoiceField(
        label="Which part of the policy was breached? (optional)",
        required=False,
        help_text="Leave this if you are not sure: the head teacher will decide.",
    )
    what_happened = forms.CharField(
        label="What happened?",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Say what you saw or know, where (a website, an app, an e-mail) and who was "
        "involved. Do not include pupils' names.",
    )
    when = forms.CharField(label="When did it happen? (optional)", max_length=200, required=False)
    person_concerned_name = forms.CharField(
        label="Who is it about? (optional)", max_length=200, required=False
    )
    about_head_teacher = forms.BooleanField(
        label="It is about the head teacher",
        required=False,
        help_text="Tick this if the report is about a head teacher. It then goes to the "
        "governors, not to the head teacher, and no head teacher can read it.",
    )
    # A honeypot: hidden from people by CSS, filled in by bots.
    website = forms.CharField(label="Leave this field empty", required=False)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools_of(organisation=organisation)  # type: ignore[attr-defined]
        self.fields["clause_number"].choices = [  # type: ignore[attr-defined]
            ("", "Not sure"),
            *_clause_choices(organisation, 70),
        ]
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        self.fields["reporter_name"].widget.attrs["autocomplete"] = "name"
        self.fields["reporter_email"].widget.attrs["autocomplete"] = "email"

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError("Leave this field empty.")
        return ""


class TriageForm(forms.Form):
    staff_member = PersonChoiceField(queryset=None, label="Staff member the case is about")
    school: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, required=False, label="School"
    )
    clauses = forms.MultipleChoiceField(
        label="Clauses that may have been breached",
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose at least one.",
    )
    summary = forms.CharField(
        label="What the case is about", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )

    def __init__(self, *args: Any, organisation: Organisation, by: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = staff_members_of(organisation=organisation).exclude(pk=by.pk)
        self.fields["staff_member"].queryset = staff  # type: ignore[attr-defined]
        self.fields["school"].queryset = schools_of(organisation=organisation)  # type: ignore[attr-defined]
        self.fields["clauses"].choices = _clause_choices(organisation)  # type: ignore[attr-defined]


class CloseReportForm(forms.Form):
    reason = forms.CharField(
        label="Why this is not a breach (the reporter is told, if they gave an e-mail address)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=3000,
    )


class NoteForm(forms.Form):
    body = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}), max_length=10000)


class EvidenceForm(forms.Form):
    source_type = forms.ChoiceField(label="Kind of evidence", choices=CaseEvidence.Source.choices)
    source_id = forms.CharField(
        label="Record number (audit event, review item or finding)",
        required=False,
        max_length=64,
        help_text="Shown on the audit trail and in the review queue.",
    )
    file = forms.FileField(label="File (for an upload)", required=False)
    description = forms.CharField(
        label="What it shows", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class StageForm(forms.Form):
    note = forms.CharField(label="Note (optional)", required=False, max_length=2000)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label="Outcome", choices=[("", "Choose…"), *Outcome.choices])
    reason = forms.CharField(
        label="Reasons", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class AppealForm(forms.Form):
    text = forms.CharField(
        label="Grounds of the appeal", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class AppealDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision", choices=[("", "Choose…"), *CaseAppeal.Decision.choices]
    )
    varied_outcome = forms.ChoiceField(
        label="New outcome (if varied)", required=False, choices=[("", "—"), *Outcome.choices]
    )
    reason = forms.CharField(
        label="Reasons for the decision", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class CloseCaseForm(forms.Form):
    note = forms.CharField(label="Closing note (optional)", required=False, max_length=2000)
    confirm = forms.BooleanField(
        label="I understand that a closed case takes no further notes, evidence or appeal",
        error_messages={"required": "Tick the box to confirm: closing cannot be undone."},
    )


class AccessForm(forms.Form):
    user = PersonChoiceField(queryset=None, label="Person to name")

    def __init__(self, *args: Any, organisation: Organisation, exclude: list[int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        people = staff_members_of(organisation=organisation).exclude(pk__in=exclude)
        self.fields["user"].queryset = people  # type: ignore[attr-defined]


class ContributionChoiceField(forms.ModelChoiceField[Any]):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.site.name}: {obj.body[:60] or obj.get_kind_display()} (#{obj.pk})"


class MediaEnquiryForm(forms.Form):
    enquirer_name = forms.CharField(label="Who contacted you?", max_length=120)
    outlet = forms.CharField(label="Newspaper, channel or outlet", max_length=160)
    contact = forms.CharField(
        label="Their contact details", max_length=200, help_text="Phone number or e-mail."
    )
    about = forms.CharField(
        label="What did they ask about?", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    deadline = forms.DateTimeField(
        label="Their deadline",
        input_formats=DATETIME_LOCAL,
        widget=DateTimeLocalInput(),
        help_text="The date and time by which they want an answer.",
    )
    site: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, required=False, label="Official site it is about (optional)"
    )
    contribution = ContributionChoiceField(
        queryset=None, required=False, label="Post or comment it is about (optional)"
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation
        ).order_by("name")
        # Posts are found through the app registry: cases sits below community (the seam).
        contribution = apps.get_model("community", "Contribution")
        published = contribution.objects.filter(
            site__organisation=organisation, status=contribution.Status.PUBLISHED
        )
        latest = list(published.order_by("-created_at").values_list("pk", flat=True)[:100])
        self.fields["contribution"].queryset = (  # type: ignore[attr-defined]
            published.filter(pk__in=latest).select_related("site").order_by("-created_at")
        )


class MediaResponseForm(forms.Form):
    response = forms.CharField(
        label="What was said to the enquirer",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
    )
    responded_by = PersonChoiceField(
        queryset=None, required=False, label="Who gave the response", empty_label="Me"
    )
    responded_at = forms.DateTimeField(
        label="When (leave empty for now)",
        required=False,
        input_formats=DATETIME_LOCAL,
        widget=DateTimeLocalInput(),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responded_by"].queryset = staff_members_of(  # type: ignore[attr-defined]
            organisation=organisation
        )
