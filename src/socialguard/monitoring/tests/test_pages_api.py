"""GET /api/monitoring-findings: the pages' visibility, filters, limit/offset with
X-Total-Count, a token or a session, refusals in the one error shape; and the source page's
DHCP lease import."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from socialguard.monitoring.tests.web_support import pupil_finding, staff_finding

pytestmark = pytest.mark.django_db
URL = "/api/monitoring-findings"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_it_lead_pages_through_every_finding(cast: Any) -> None:
    made = [staff_finding(cast) for _ in range(3)] + [pupil_finding(cast)]
    response = _client(cast.it_lead).get(f"{URL}?limit=2&offset=1")
    assert response.status_code == 200
    assert response["X-Total-Count"] == "4"
    body = response.json()
    assert len(body) == 2
    assert {"reference", "clause", "summary", "evidence_sha256", "evidence_lines"} <= set(body[0])
    assert body[0]["evidence_lines"] == 1
    only = _client(cast.head).get(f"{URL}?clause=A.2.3").json()
    assert [row["reference"] for row in only] == [made[-1].reference]
    assert only[0]["about_pupil"] is True
    assert _client(cast.head).get(f"{URL}?status=confirmed").json() == []


def test_a_token_sees_what_its_person_sees(cast: Any) -> None:
    from socialguard.integrations.tokens import api_token_create

    staff_finding(cast)
    found = pupil_finding(cast)
    _, secret = api_token_create(user=cast.deputy_dsl, name="Safeguarding system", scope="read")
    response = Client().get(URL, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert [row["reference"] for row in response.json()] == [found.reference]


@pytest.mark.parametrize("query", ["?clause=6.99", "?status=maybe", "?limit=0", "?offset=-1"])
def test_bad_filters_are_refused_in_the_error_shape(cast: Any, query: str) -> None:
    response = _client(cast.it_lead).get(URL + query)
    assert response.status_code in (400, 422)
    assert set(response.json()) == {"code", "message", "detail"}


def test_nobody_else_gets_any(cast: Any) -> None:
    staff_finding(cast)
    for who in (cast.teacher, cast.governor, cast.pupil, cast.comms, cast.admin):
        response = _client(who).get(URL)
        assert response.status_code == 403, who
        assert response.json()["code"] == "forbidden"
    assert Client().get(URL).status_code == 401
    assert _client(cast.outsider).get(URL).json() == []


def test_the_lead_imports_dhcp_leases_on_the_source_page(cast: Any) -> None:
    from socialguard.monitoring.models import AddressLease
    from socialguard.monitoring.services import source_default

    source = source_default(organisation=cast.organisation)
    client = _client(cast.it_lead)
    csv = (
        "ip,starts_at,ends_at,username,device\n"
        f"10.20.4.17,2026-11-23T08:00:00+00:00,2026-11-27T17:00:00+00:00,{cast.pupil.username},"
        "Y4-07\n"
    )
    response = client.post(
        f"/monitoring/sources/{source.pk}/",
        {"action": "leases", "file": SimpleUploadedFile("leases.csv", csv.encode())},
    )
    assert response.status_code == 302
    lease = AddressLease.objects.get()
    assert (lease.user, lease.device, lease.first_ip) == (cast.pupil, "Y4-07", "10.20.4.17")
    bad = client.post(
        f"/monitoring/sources/{source.pk}/",
        {"action": "leases", "file": SimpleUploadedFile("x.csv", b"ip,starts_at\nnope,never\n")},
    )
    assert bad.status_code == 400
    assert AddressLease.objects.count() == 1
