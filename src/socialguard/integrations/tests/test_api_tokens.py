"""API tokens: made and revoked in the browser, shown once, kept hashed; the API takes a bearer
token as the person, refuses a read-only token every write, and keeps session sign-in."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client

from socialguard.integrations.models import ApiToken
from socialguard.integrations.tokens import api_token_create
from socialguard.sites.tests.factories import GOOD_PROPOSAL

pytestmark = pytest.mark.django_db


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _proposal(cast: Any) -> dict[str, Any]:
    today = date.today()
    return {
        **GOOD_PROPOSAL,
        "go_live_on": str(today + timedelta(days=7)),
        "closure_on": str(today + timedelta(days=99)),
        "administrator_ids": [cast.teacher.pk, cast.line_manager.pk],
        "moderator_ids": [cast.comms.pk, cast.deputy_dsl.pk],
    }


def test_a_token_is_shown_once_and_kept_only_as_a_hash(cast: Any) -> None:
    client = _signed_in(cast.teacher)
    page = client.post(
        "/integrations/api-tokens/",
        {"intent": "create", "name": "Trust dashboard", "scope": "read"},
    )
    assert page.status_code == 200
    token = page.context["made"]
    assert token.startswith("sg_") and token in page.content.decode()
    row = ApiToken.objects.get()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(list(ApiToken.objects.values()))
    assert token not in client.get("/integrations/api-tokens/").content.decode()


def test_the_api_acts_as_the_token_holder_without_a_session(cast: Any) -> None:
    _, token = api_token_create(user=cast.teacher, name="Dashboard", scope="read")
    anonymous = Client()
    assert anonymous.get("/api/sites", **_bearer(token)).status_code == 200
    assert anonymous.get("/api/sites").status_code == 401
    wrong = anonymous.get("/api/sites", **_bearer("sg_not-a-token"))
    assert wrong.status_code == 401 and wrong.json()["code"] == "unauthenticated"
    # Families hold no tokens: the API is for staff members' systems
    from socialguard.core.errors import ApplicationError

    with pytest.raises(ApplicationError):
        api_token_create(user=cast.parent, name="x", scope="read")


def test_a_read_token_may_not_write_and_a_write_token_may_without_csrf(cast: Any) -> None:
    _, read = api_token_create(user=cast.teacher, name="Read", scope="read")
    _, write = api_token_create(user=cast.teacher, name="Write", scope="write")
    client = Client(enforce_csrf_checks=True)
    refused = client.post(
        "/api/sites", _proposal(cast), content_type="application/json", **_bearer(read)
    )
    assert refused.status_code == 403
    assert set(refused.json()) == {"code", "message", "detail"}
    assert refused.json()["code"] == "forbidden"
    created = client.post(
        "/api/sites", _proposal(cast), content_type="application/json", **_bearer(write)
    )
    assert created.status_code == 201, created.content


def test_a_session_still_needs_csrf_to_write(cast: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.teacher)
    assert client.get("/api/sites").status_code == 200
    assert (
        client.post("/api/sites", _proposal(cast), content_type="application/json").status_code
        == 403
    )


def test_a_revoked_token_and_a_leavers_token_stop_working(cast: Any) -> None:
    from socialguard.accounts.services import person_leave

    row, token = api_token_create(user=cast.teacher, name="Dashboard", scope="read")
    client = _signed_in(cast.teacher)
    client.post("/integrations/api-tokens/", {"intent": "revoke", "token": str(row.pk)})
    assert Client().get("/api/sites", **_bearer(token)).status_code == 401
    _, other = api_token_create(user=cast.comms, name="Dashboard", scope="read")
    person_leave(user=cast.comms, by=None)
    assert Client().get("/api/sites", **_bearer(other)).status_code == 401


def test_nobody_revokes_another_persons_token_and_pupils_make_none(cast: Any) -> None:
    row, token = api_token_create(user=cast.teacher, name="Dashboard", scope="read")
    other = _signed_in(cast.comms)
    revoke = other.post("/integrations/api-tokens/", {"intent": "revoke", "token": str(row.pk)})
    assert revoke.status_code == 404
    assert Client().get("/api/sites", **_bearer(token)).status_code == 200
    assert _signed_in(cast.pupil).get("/integrations/api-tokens/").status_code == 403
    bad = other.post("/integrations/api-tokens/", {"intent": "revoke", "token": "abc"})
    assert bad.status_code == 400
    empty = other.post("/integrations/api-tokens/", {"intent": "create", "name": "", "scope": "x"})
    assert empty.status_code == 400


def test_concerns_and_cases_stay_off_the_api(cast: Any) -> None:
    schema = _signed_in(cast.teacher).get("/api/openapi.json").json()
    text = " ".join(schema["paths"]).casefold()
    for word in ("concern", "case", "safeguarding", "breach"):
        assert word not in text
