"""Forms for the integrations pages."""

from __future__ import annotations

from typing import Any

from django import forms

from socialguard.accounts.models import Organisation, School
from socialguard.integrations import rosterfile
from socialguard.integrations.models import RosterKind

SOURCE_CHOICES = [("auto", "Tell from the file's columns"), *rosterfile.SOURCE_LABELS.items()]


class RosterUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="What the file lists", choices=RosterKind.choices, widget=forms.RadioSelect
    )
    source = forms.ChoiceField(
        label="Where it came from",
        choices=SOURCE_CHOICES,
        initial="auto",
        help_text="The MIS the file was exported from, or the column names you saved.",
    )
    school = forms.ModelChoiceField(
        label="School",
        queryset=School.objects.none(),
        required=False,
        empty_label="The whole organisation",
        help_text="Pupils who are not in the file leave only this school's roll.",
    )
    file = forms.FileField(
        label="CSV file",
        help_text="Exported from the MIS as CSV, up to 5 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        school = self.fields["school"]
        assert isinstance(school, forms.ModelChoiceField)
        school.queryset = School.objects.filter(organisation=organisation)


class RosterColumnsForm(forms.Form):
    """One text box per field: the header of the column that holds it."""

    def __init__(self, *args: Any, kind: str, initial_columns: dict[str, str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name in rosterfile.FIELDS[kind]:
            self.fields[name] = forms.CharField(
                label=rosterfile.FIELD_LABELS[name],
                required=name in rosterfile.REQUIRED[kind],
                max_length=150,
                initial=initial_columns.get(name, ""),
                help_text="The column's heading, exactly as in the file."
                if name == rosterfile.FIELDS[kind][0]
                else "",
            )


class WebhookForm(forms.Form):
    url = forms.URLField(
        label="Address to send notices to",
        max_length=500,
        assume_scheme="https",
        help_text="The webhook address your safeguarding system (CPOMS, MyConcern) gives you.",
    )
    enabled = forms.BooleanField(label="Send a notice for each new concern", required=False)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="What will use it",
        max_length=80,
        help_text="For example: the trust's data dashboard.",
    )
    scope = forms.ChoiceField(
        label="What it may do",
        choices=[("read", "Read only"), ("write", "Read and write (as you)")],
        initial="read",
        widget=forms.RadioSelect,
    )
