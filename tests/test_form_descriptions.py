"""Screen readers hear each field's help text and its error: every ``aria-describedby`` id a form
field points at exists on the page, for the forms named in issue 12 (Appendix B, approval
decision, breach, media, concern and both evidence forms), with their errors shown."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client

pytestmark = pytest.mark.django_db

DESCRIBEDBY = re.compile(r'aria-describedby="([^"]+)"')


def missing_descriptions(page: str) -> list[str]:
    """The ids aria-describedby names that no element on ``page`` has."""
    ids = set(re.findall(r'\bid="([^"]+)"', page))
    wanted = {i for group in DESCRIBEDBY.findall(page) for i in group.split()}
    return sorted(wanted - ids)


def _forms(cast: Any) -> dict[str, Any]:
    from socialguard.approvals import forms as approvals_forms
    from socialguard.cases import forms as cases_forms
    from socialguard.safeguarding import forms as safeguarding_forms
    from socialguard.sites import forms as sites_forms

    org = cast.organisation
    return {
        "Appendix B": sites_forms.ProposalForm(data={}, author=cast.teacher),
        "approval decision": approvals_forms.DecisionForm(data={}),
        "breach": cases_forms.BreachReportForm(data={}, organisation=org),
        "media": cases_forms.MediaEnquiryForm(data={}, organisation=org),
        "concern": safeguarding_forms.ConcernForm(data={}, files={}, reporter=cast.teacher),
        "case evidence": cases_forms.EvidenceForm(data={}),
        "concern evidence": safeguarding_forms.EvidenceForm(data={}, files={}),
    }


@pytest.mark.parametrize(
    "name",
    [
        "Appendix B",
        "approval decision",
        "breach",
        "media",
        "concern",
        "case evidence",
        "concern evidence",
    ],
)
def test_every_field_description_is_on_the_page(cast, name) -> None:  # type: ignore[no-untyped-def]
    # Given the form sent back empty, so that its errors are shown
    form = _forms(cast)[name]
    assert not form.is_valid() and form.errors
    # When each field is rendered the way every page renders it
    page = "".join(render_to_string("form_field.html", {"field": field}) for field in form)
    # Then each id a field is described by is there, and the errors are among them
    assert DESCRIBEDBY.search(page), name
    assert "_error" in page
    assert missing_descriptions(page) == [], name


@pytest.mark.parametrize(
    ("user", "path", "data"),
    [
        (None, "/cases/report-breach/{slug}/", {"what_happened": ""}),
        ("teacher", "/cases/media/new/", {"about": ""}),
        ("teacher", "/safeguarding/new/", {"account": ""}),
        ("teacher", "/sites/new/", {"name": ""}),
    ],
)
def test_pages_sent_back_with_errors_describe_every_field(
    cast, policy_version, user, path, data
) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    if user:
        client.force_login(getattr(cast, user))
    path = path.format(slug=cast.organisation.slug)
    response = client.post(path, data)
    assert response.status_code == 200, (path, response.status_code)
    page = response.content.decode()
    assert "_error" in page, path
    assert missing_descriptions(page) == [], path
