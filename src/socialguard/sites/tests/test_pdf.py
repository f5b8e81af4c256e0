from __future__ import annotations

import zlib

import pytest
from django.test import Client

from socialguard.approvals.services import approval_decide
from socialguard.sites.pdf import site_proposal_pdf
from socialguard.sites.services import site_proposal_submit
from socialguard.sites.tests.factories import proposal

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    """Inflate the page streams so the test can read what the form says."""
    chunks = []
    for part in pdf.split(b"stream")[1:]:
        body = part.split(b"endstream")[0].strip(b"\r\n")
        try:
            chunks.append(zlib.decompress(body).decode("latin-1"))
        except zlib.error:
            continue
    return "".join(chunks)


def test_approved_form_pdf_has_the_three_signatures(cast) -> None:  # type: ignore[no-untyped-def]
    site = proposal(cast)
    request = site_proposal_submit(site=site, by=cast.teacher)
    for person in (cast.line_manager, cast.comms, cast.head):
        approval_decide(
            request=request,
            approver=person,
            decision="approve",
            signature_method="typed_name",
            signature=person.get_full_name(),
        )
    pdf = site_proposal_pdf(site=site)
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    for person in (cast.line_manager, cast.comms, cast.head):
        assert person.get_full_name() in text
    assert "Social Media Site Creation Approval Form" in text
    assert "[X] Pupils R - Yr. 6" in text and "[ ] Members of the public" in text


def test_pdf_download_follows_site_permissions(cast) -> None:  # type: ignore[no-untyped-def]
    site = proposal(cast)
    client = Client()
    client.force_login(cast.teacher)
    response = client.get(f"/sites/{site.pk}/form.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    client.force_login(cast.outsider)
    assert client.get(f"/sites/{site.pk}/form.pdf").status_code == 404
