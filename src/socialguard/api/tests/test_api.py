"""The API: same permissions as the pages, one error shape, sign-offs in order."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client

from socialguard.sites.models import Site
from socialguard.sites.tests.factories import GOOD_PROPOSAL, proposal

pytestmark = pytest.mark.django_db


def _as(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_anonymous_gets_401_json_not_a_redirect(cast) -> None:  # type: ignore[no-untyped-def]
    response = Client().get("/api/sites")
    assert response.status_code == 401


def test_openapi_schema_is_served(cast) -> None:  # type: ignore[no-untyped-def]
    schema = _as(cast.teacher).get("/api/openapi.json").json()
    assert (
        "/api/sites" in schema["paths"] and "/api/approvals/{request_id}/decide" in schema["paths"]
    )


def test_register_permissions_match_the_pages(cast) -> None:  # type: ignore[no-untyped-def]
    proposal(cast)
    assert _as(cast.teacher).get("/api/sites").status_code == 200
    refused = _as(cast.parent).get("/api/sites")
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"


def test_propose_submit_and_sign_off_in_order(cast) -> None:  # type: ignore[no-untyped-def]
    today = date.today()
    body = {
        **GOOD_PROPOSAL,
        "go_live_on": str(today + timedelta(days=7)),
        "closure_on": str(today + timedelta(days=99)),
        "administrator_ids": [cast.teacher.pk, cast.line_manager.pk],
        "moderator_ids": [cast.comms.pk, cast.deputy_dsl.pk],
    }
    author = _as(cast.teacher)
    created = author.post("/api/sites", body, content_type="application/json")
    assert created.status_code == 201, created.content
    site_id = created.json()["id"]
    submitted = author.post(f"/api/sites/{site_id}/submit")
    assert submitted.status_code == 200 and submitted.json()["current_step"] == "Line manager"
    request_id = submitted.json()["id"]
    early = _as(cast.head).post(
        f"/api/approvals/{request_id}/decide",
        {"decision": "approve", "signature": cast.head.get_full_name()},
        content_type="application/json",
    )
    assert early.status_code == 404
    for person in (cast.line_manager, cast.comms, cast.head):
        client = _as(person)
        assert [r["id"] for r in client.get("/api/approvals/waiting").json()] == [request_id]
        decided = client.post(
            f"/api/approvals/{request_id}/decide",
            {"decision": "approve", "signature": person.get_full_name()},
            content_type="application/json",
        )
        assert decided.status_code == 200, decided.content
    assert Site.objects.get(pk=site_id).status == Site.Status.APPROVED


def test_submit_errors_share_one_shape(cast) -> None:  # type: ignore[no-untyped-def]
    site = proposal(cast, administrators=[])
    response = _as(cast.teacher).post(f"/api/sites/{site.pk}/submit")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and any(d["field"] == "administrators" for d in body["detail"])


def test_sites_of_other_organisations_are_not_found(cast) -> None:  # type: ignore[no-untyped-def]
    site = proposal(cast)
    assert _as(cast.outsider).get(f"/api/sites/{site.pk}").status_code == 404
