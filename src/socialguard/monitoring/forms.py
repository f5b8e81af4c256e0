"""Forms validate what the person typed; the services (configure, triage, notices) decide."""

from __future__ import annotations

from typing import Any

from django import forms

from socialguard.accounts.models import Organisation, Role, User
from socialguard.monitoring.configure import CSV_FIELDS
from socialguard.monitoring.models import (
    Category,
    Clause,
    FindingStatus,
    LogFormat,
    LogSource,
    MatchUsersBy,
    Weekday,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
FIELD_LABELS = {
    "time": "Time",
    "ip": "Client address",
    "user": "User name",
    "method": "Method",
    "url": "Address (URL)",
    "host": "Host",
    "status": "Status code",
    "bytes": "Bytes",
}


class PersonChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_full_name() or obj.username} ({obj.username})"


def _people(organisation: Organisation) -> Any:
    return User.objects.filter(organisation=organisation, is_active=True).order_by(
        "last_name", "first_name"
    )


class UploadForm(forms.Form):
    source: forms.ModelChoiceField[LogSource] = forms.ModelChoiceField(
        queryset=LogSource.objects.none(),
        required=False,
        label="Source",
        empty_label="The default source",
        help_text="Which proxy or filter the log comes from: it remembers what it has read.",
    )
    log_format = forms.ChoiceField(
        label="Format",
        required=False,
        choices=[("", "The source's own format"), *LogFormat.choices],
    )
    file = forms.FileField(
        label="Log file",
        help_text="Plain text or gzip (.gz). It is read and then deleted: it is never stored.",
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = LogSource.objects.filter(organisation=organisation)  # type: ignore[attr-defined]


class FindingFilterForm(forms.Form):
    # Short labels: a select is as wide as its longest choice (and must fit a phone).
    clause = forms.ChoiceField(
        label="Clause",
        required=False,
        choices=[
            ("", "Every clause"),
            (Clause.PERSONAL_SOCIAL_MEDIA, "6.13 social media at work"),
            (Clause.ENCYCLOPAEDIA_EDIT, "6.11 encyclopaedia edits"),
            (Clause.PUPIL_SEARCH, "A.2.3 pupils' searches"),
        ],
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Every status"), *FindingStatus.choices]
    )


class TriageForm(forms.Form):
    status = forms.ChoiceField(
        label="Your decision",
        choices=[
            (FindingStatus.CONFIRMED, "True positive: the finding is right"),
            (FindingStatus.FALSE_POSITIVE, "False positive: the finding is wrong"),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="Note",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why you decided this (for example what the person told you). It is audited.",
    )


class SourceForm(forms.Form):
    name = forms.CharField(label="Name", max_length=100)
    log_format = forms.ChoiceField(label="Format", choices=LogFormat.choices)
    match_users_by = forms.ChoiceField(
        label="Proxy user names are",
        choices=MatchUsersBy.choices,
        help_text="How a user name in the log is matched to a person here.",
    )
    time_format = forms.CharField(
        label="Time format (CSV only, optional)",
        max_length=40,
        required=False,
        help_text="For example %d/%m/%Y %H:%M:%S. Leave empty for ISO 8601 or Unix seconds.",
    )
    is_default = forms.BooleanField(label="The default source", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in CSV_FIELDS:
            self.fields[f"map_{name}"] = forms.CharField(
                label=f"Column heading for {FIELD_LABELS[name].lower()}",
                max_length=100,
                required=False,
            )

    def mapping(self) -> dict[str, str]:
        return {n: self.cleaned_data.get(f"map_{n}", "") for n in CSV_FIELDS}

    def mapping_fields(self) -> list[Any]:
        return [self[f"map_{n}"] for n in CSV_FIELDS]


class AliasForm(forms.Form):
    proxy_name = forms.CharField(label="User name in the log", max_length=200)
    user = PersonChoiceField(
        queryset=User.objects.none(), label="Person", empty_label="Choose a person"
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _people(organisation)  # type: ignore[attr-defined]


class LeaseImportForm(forms.Form):
    file = forms.FileField(
        label="DHCP lease export (CSV)",
        help_text="Headings: ip (or first_ip and last_ip, or network), starts_at, ends_at, "
        "and username or email; device is optional.",
    )


class CategoryForm(forms.Form):
    domain = forms.CharField(
        label="Domain", max_length=253, help_text="For example facebook.com: sub-domains match."
    )
    category = forms.ChoiceField(label="Category", choices=Category.choices)


class HoursForm(forms.Form):
    role = forms.ChoiceField(label="Role", required=False)
    user = PersonChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Or one person",
        empty_label="Nobody in particular",
        help_text="A person's own hours replace their role's.",
    )
    weekdays = forms.TypedMultipleChoiceField(
        label="Days",
        choices=Weekday.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    starts = forms.TimeField(label="From", widget=TIME)
    ends = forms.TimeField(label="Until", widget=TIME)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = [(r.value, r.label) for r in Role if r not in (Role.PUPIL, Role.FAMILY_MEMBER)]
        self.fields["role"].choices = [("", "Choose a role"), *staff]  # type: ignore[attr-defined]
        self.fields["user"].queryset = _people(organisation)  # type: ignore[attr-defined]


class TermForm(forms.Form):
    label = forms.CharField(label="Term", max_length=80, help_text="For example Autumn 2026.")
    starts_on = forms.DateField(label="First day", widget=DATE)
    ends_on = forms.DateField(label="Last day", widget=DATE)


class SettingsForm(forms.Form):
    threshold_minutes = forms.IntegerField(
        label="Weekly threshold (minutes)",
        min_value=1,
        max_value=10080,
        help_text="A staff member's personal social media in contracted hours above this, in a "
        "week, becomes a 6.13 finding.",
    )
    retention_days = forms.IntegerField(
        label="Keep records for (days)",
        min_value=7,
        max_value=3650,
        help_text="Daily totals and triaged findings older than this are deleted.",
    )


class NoticeForm(forms.Form):
    text = forms.CharField(
        label="Text of the notice",
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text="Publishing a changed text makes a new version: everyone is asked again.",
    )


class ReviewForm(forms.Form):
    reviewed_on = forms.DateField(label="Reviewed on", widget=DATE)
    notes = forms.CharField(
        label="What was reviewed and decided",
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Who took part, what the filtering blocks and the monitoring finds, changes.",
    )
    next_due = forms.DateField(
        label="Next review due (optional)",
        required=False,
        widget=DATE,
        help_text="Leave empty for a year after the review.",
    )
