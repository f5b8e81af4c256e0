"""The forms of the policy's life cycle: upload, correct a clause, publish, start a review."""

from __future__ import annotations

from typing import Any

from django import forms

from socialguard.accounts.models import Organisation, School, User
from socialguard.accounts.selectors import staff_members_of
from socialguard.policy.models import Obligation
from socialguard.policy.parser import MAX_UPLOAD_BYTES, READABLE
from socialguard.policy.services import MAX_CLAUSE_TEXT

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PolicyUploadForm(forms.Form):
    document = forms.FileField(
        label="The policy document",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(READABLE)}),
        help_text=f"A Word document (.docx), Markdown (.md) or plain text (.txt), up to "
        f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB. It is read, not kept: only its clauses are "
        "stored, as a draft that nobody else sees until you publish it.",
    )


class ClauseForm(forms.Form):
    text = forms.CharField(
        label="Clause text",
        max_length=MAX_CLAUSE_TEXT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Each line becomes a paragraph; start a line with '- ' for a bullet.",
    )
    obligation = forms.ChoiceField(
        label="What the clause asks",
        choices=Obligation.choices,
        widget=forms.RadioSelect,
        help_text="Must and must not are duties; should is expected; advice explains.",
    )


class PublishForm(forms.Form):
    label = forms.CharField(
        label="Version",
        max_length=40,
        help_text="As the document's header will show it, such as '2'.",
    )
    approved_on = forms.DateField(
        label="Date approved",
        widget=DATE_INPUT,
        help_text="The day the governing body (or the trust board) approved it.",
    )
    approved_by = forms.CharField(
        label="Approved by",
        max_length=120,
        help_text="FGB is the full governing body, as on the current policy's header.",
    )
    next_review_on = forms.DateField(
        label="Next review date",
        widget=DATE_INPUT,
        help_text="Two years after approval unless the governors chose otherwise.",
    )


class ReviewStartForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label="Who prepares the new version",
        queryset=User.objects.none(),
        help_text="A staff member or governor. They are told by e-mail and reminded a week "
        "before the due date, and again if it passes.",
    )
    due_on = forms.DateField(
        label="Due date",
        widget=DATE_INPUT,
        help_text="When the draft should be ready for the governing body.",
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = staff_members_of(organisation=organisation).order_by(
            "last_name", "first_name"
        )
        field.label_from_instance = lambda p: (  # type: ignore[method-assign,assignment]
            f"{p.get_full_name() or p.username}" + (f", {p.position}" if p.position else "")
        )


class RemindForm(forms.Form):
    school = forms.ModelChoiceField(queryset=School.objects.none(), required=False)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["school"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisation.schools.all()
