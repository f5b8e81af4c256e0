from __future__ import annotations

from django import forms

from socialguard.postcheck.checks import MAX_TEXT


class PostCheckForm(forms.Form):
    text = forms.CharField(
        label="Your post",
        required=False,
        max_length=MAX_TEXT,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "true"}),
        help_text="Paste the words exactly as you would publish them.",
    )
    image = forms.FileField(
        label="A photo you want to post with it (optional)",
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
        help_text="JPEG, PNG, WebP or GIF, up to 8 MB. It is checked in memory and never saved.",
    )
