"""For each page and role: who gets the page, who is refused. Decided on the server."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "head",
    "comms",
    "dsl",
    "line_manager",
    "teacher",
    "contractor",
    "governor",
    "it_lead",
    "admin",
    "parent",
    "pupil",
    "outsider",
]

STAFF = {"head", "comms", "dsl", "line_manager", "teacher", "contractor", "governor", "it_lead"}
STAFF |= {"admin", "outsider"}

# page -> roles that get 200; everyone else signed in gets 403, anonymous is sent to sign in.
MATRIX = {
    "/": set(ROLES) - {"anonymous"},
    "/policy/": set(ROLES),
    "/policy/acknowledgements/": {"head", "admin", "outsider"},  # outsider: their own org
    "/audit/": {"head", "dsl", "admin", "outsider"},
    "/audit/export/?format=csv": {"head", "dsl", "admin", "outsider"},
    "/outbox/": {"admin"},
    # Issue 6: need to know. Concerns for safeguarding leads; cases for head teachers (and
    # whom they name); anyone on the staff records a concern or logs a media enquiry; anyone
    # at all reports a breach; governors read figures, never records.
    "/safeguarding/": {"dsl"},
    "/safeguarding/new/": STAFF,
    "/cases/": {"head", "outsider"},
    "/cases/access/": {"head", "outsider"},
    "/cases/media/": {"head", "outsider"},
    "/cases/media/new/": STAFF,
    "/cases/report-breach/": set(ROLES),
    "/reports/": {"head", "dsl", "governor", "admin", "outsider"},
}


def _client_for(cast, role: str) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    if role != "anonymous":
        client.force_login(getattr(cast, role))
    return client


@pytest.mark.parametrize("path", list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_page_access(cast, policy_version, path: str, role: str) -> None:  # type: ignore[no-untyped-def]
    response = _client_for(cast, role).get(path)
    if role in MATRIX[path]:
        assert response.status_code == 200, (path, role)
    elif role == "anonymous":
        assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
    else:
        assert response.status_code == 403, (path, role)


@pytest.mark.parametrize("role", ROLES)
def test_admin_site_only_for_administrators(cast, role: str) -> None:  # type: ignore[no-untyped-def]
    response = _client_for(cast, role).get("/admin/accounts/user/")
    assert response.status_code == (200 if role == "admin" else 302)


def test_organisation_admin_sees_only_their_people(cast) -> None:  # type: ignore[no-untyped-def]
    client = _client_for(cast, "admin")
    listing = client.get("/admin/accounts/user/").content.decode()
    assert "teacher" in listing and "outsider" not in listing
    assert client.get(f"/admin/accounts/user/{cast.outsider.pk}/change/").status_code == 302


def test_outbox_message_of_another_organisation_is_not_found(cast) -> None:  # type: ignore[no-untyped-def]
    from socialguard.notifications.models import OutboxMessage

    theirs = OutboxMessage.objects.create(
        organisation=cast.outsider.organisation, from_email="a@b", to=["c@d"], subject="x", body="y"
    )
    assert _client_for(cast, "admin").get(f"/outbox/{theirs.pk}/").status_code == 404


def test_audit_trail_shows_only_own_organisation(cast, policy_version) -> None:  # type: ignore[no-untyped-def]
    from django.db import transaction

    from socialguard.audit.services import audit_record

    with transaction.atomic():
        audit_record(actor=cast.outsider, action="secret.thing.done", target=cast.outsider)
    page = _client_for(cast, "head").get("/audit/").content.decode()
    assert "policy.version.import" in page and "secret.thing.done" not in page
