from __future__ import annotations

from typing import Any

from django import forms

from socialguard.accounts.models import User
from socialguard.accounts.selectors import staff_members_of
from socialguard.core.forms import IdsChoiceField
from socialguard.sites.models import Audience, Site, SiteDocument
from socialguard.sites.services import PROPOSAL_FIELDS


class PeopleChoiceField(IdsChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_full_name()}{' – ' + obj.position if obj.position else ''}"


class ProposalForm(forms.ModelForm[Site]):
    """Appendix B as a web form. Everything may be left blank while it is a draft; the checks
    in ``sites.checks`` run when it is submitted."""

    audience = forms.MultipleChoiceField(
        choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Proposed audience of the site",
    )
    contributors = forms.MultipleChoiceField(
        choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Proposed contributors to the site",
    )
    administrators = PeopleChoiceField(
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="At least two approved administrators (A.5.4).",
    )
    moderators = PeopleChoiceField(
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="At least two approved moderators, so cover continues during absences (A.5.4).",
    )

    class Meta:
        model = Site
        fields = list(PROPOSAL_FIELDS)
        labels = {
            "name": "Name of the site",
            "purpose": "Purpose of setting up the site (why, and the content)",
            "aims": "What are the aims you propose to achieve? (one per line)",
            "proposed_content": "What is the proposed content of the site?",
            "audience_other": "Other audience: details",
            "contributors_other": "Other contributors: details",
            "vetter": "Who will vet external contributors?",
            "host": "Who will host the site?",
            "host_name": "Third-party host's name",
            "host_min_age": "Host's minimum age (from its terms)",
            "go_live_on": "Proposed date of going live",
            "closure_on": "Proposed date for site closure",
            "review_on": "Date to review the site against its aims",
            "advertising_plan": "How do you propose to advertise for external contributors?",
            "consent_plan": "If contributors include children or adults with learning "
            "disabilities, how will you inform and obtain consent of parents or responsible "
            "adults?",
            "contributors_have_learning_disabilities": "Contributors include adults with "
            "learning disabilities",
            "security_measures": "What security measures will you take to prevent unwanted or "
            "unsuitable individuals from contributing or becoming 'friends' of the site?",
            "home_office_checklist_reviewed": "I have checked the site against the Home Office "
            "Good Practice Guidance for social networking providers (A.2.4)",
            "uses_school_logo": "The site will use the school logo and brand (needs the "
            "Communications Manager's approval, A.3.5)",
            "stricter_mode": "If fewer than two administrators or moderators are available",
        }
        widgets = {
            "go_live_on": forms.DateInput(attrs={"type": "date"}),
            "closure_on": forms.DateInput(attrs={"type": "date"}),
            "review_on": forms.DateInput(attrs={"type": "date"}),
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "aims": forms.Textarea(attrs={"rows": 4}),
            "proposed_content": forms.Textarea(attrs={"rows": 3}),
            "advertising_plan": forms.Textarea(attrs={"rows": 2}),
            "consent_plan": forms.Textarea(attrs={"rows": 3}),
            "security_measures": forms.Textarea(attrs={"rows": 3}),
            "host": forms.RadioSelect,
            "stricter_mode": forms.RadioSelect,
        }

    def __init__(self, *args: Any, author: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert author.organisation is not None
        staff = staff_members_of(organisation=author.organisation).order_by("last_name")
        for name in ("administrators", "moderators"):
            self.fields[name].queryset = staff  # type: ignore[attr-defined]
        self.fields["vetter"].queryset = staff  # type: ignore[attr-defined]
        self.fields["school"].queryset = author.organisation.schools.all()  # type: ignore[attr-defined]
        for field in self.fields.values():  # drafts save half-finished; submission checks
            field.required = False
        self.fields["name"].required = True
        if self.instance.pk:
            for name, role in (("administrators", "administrator"), ("moderators", "moderator")):
                self.initial[name] = [
                    r.user_id for r in self.instance.roles.all() if r.role == role
                ]


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(choices=SiteDocument.Kind.choices, widget=forms.RadioSelect)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 10}))


class RegisterFilterForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "Any status"), *Site.Status.choices], required=False)
    host = forms.ChoiceField(choices=[("", "Any host"), *Site.Host.choices], required=False)
    q = forms.CharField(required=False, label="Search")
