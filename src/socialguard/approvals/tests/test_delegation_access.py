"""Issue 10, finding 9: pupils opened /approvals/delegate/ (staff names and positions) and
created a delegation. Naming a deputy is for staff members (A.1.5), on the page and in the
service."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client

from socialguard.approvals.models import Delegation
from socialguard.approvals.services import delegation_create
from socialguard.core.errors import ApplicationError

pytestmark = pytest.mark.django_db

URL = "/approvals/delegate/"


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _form(deputy) -> dict[str, str]:  # type: ignore[no-untyped-def]
    today = date.today()
    return {
        "deputy": str(deputy.pk),
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=5)).isoformat(),
        "reason": "Leave",
    }


@pytest.mark.parametrize("who", ["pupil", "parent"])
def test_people_who_are_not_staff_are_refused(cast, who: str) -> None:  # type: ignore[no-untyped-def]
    client = _client(getattr(cast, who))
    page = client.get(URL)
    assert page.status_code == 403
    assert cast.line_manager.get_full_name() not in page.content.decode()
    assert client.post(URL, _form(cast.teacher)).status_code == 403
    assert not Delegation.objects.exists()


def test_a_staff_member_names_a_deputy(cast) -> None:  # type: ignore[no-untyped-def]
    client = _client(cast.line_manager)
    assert client.get(URL).status_code == 200
    response = client.post(URL, _form(cast.teacher))
    assert response.status_code == 302
    assert Delegation.objects.get().deputy_id == cast.teacher.pk


def test_the_service_refuses_too(cast) -> None:  # type: ignore[no-untyped-def]
    today = date.today()
    with pytest.raises(ApplicationError, match="Only staff members"):
        delegation_create(delegator=cast.pupil, deputy=cast.teacher, starts_on=today, ends_on=today)
    with pytest.raises(ApplicationError, match="member of staff"):
        delegation_create(
            delegator=cast.line_manager, deputy=cast.pupil, starts_on=today, ends_on=today
        )
    assert not Delegation.objects.exists()
