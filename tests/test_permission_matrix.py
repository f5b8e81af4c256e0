"""What the refused do not see inside pages they may open. Who may open each page at all is
the generated access matrix (tests/test_access_matrix.py), which replaced the hand-kept table
that used to be here."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _client_for(cast, role: str) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    if role != "anonymous":
        client.force_login(getattr(cast, role))
    return client


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
    # The trail shows events by their labels; the other organisation's event is not there at all.
    assert "Policy document imported" in page
    assert "thing done" not in page and "secret.thing" not in page  # "Secret: thing done"
