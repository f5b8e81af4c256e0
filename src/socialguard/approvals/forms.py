"""The approver's decision, signed as the organisation asks (A.1.5): any approval the engine
runs uses it, whatever it is about."""

from __future__ import annotations

from typing import Any

from django import forms


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            ("approve", "Approve"),
            ("request_changes", "Return for changes"),
            ("reject", "Reject"),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Required when you return or reject: the author is told.",
    )
    signature_method = forms.ChoiceField(
        choices=[("typed_name", "Type my full name"), ("password", "Re-enter my password")],
        widget=forms.RadioSelect,
        initial="typed_name",
        label="Sign with",
    )
    typed_name = forms.CharField(
        label="Your full name",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password = forms.CharField(
        label="Your password",
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, required_method: str = "either", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if required_method != "either":  # the school has chosen one way of signing
            field = self.fields["signature_method"]
            field.choices = [c for c in field.choices if c[0] == required_method]  # type: ignore[attr-defined]
            field.initial = required_method

    def signature(self) -> str:
        data = self.cleaned_data
        return str(
            data["password"] if data["signature_method"] == "password" else data["typed_name"]
        )
