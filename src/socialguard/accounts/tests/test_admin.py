"""Administrators manage schools, people and roles in the admin; every change is audited and
scoped to their organisation."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils.html import escape

from socialguard.accounts.models import School
from socialguard.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_school_change_in_admin_is_audited(cast) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(cast.admin)
    school = cast.junior
    response = client.post(
        f"/admin/accounts/school/{school.pk}/change/",
        {
            "organisation": cast.organisation.pk,
            "name": "Stafford Junior Academy",
            "slug": school.slug,
            "website": "",
            "phone": "01632 960002",
            "address": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    school.refresh_from_db()
    assert school.name == "Stafford Junior Academy"
    event = AuditEvent.objects.get(action="admin.school.change")
    assert event.actor_id == cast.admin.pk
    assert event.details["fields"] == ["name", "phone"]
    assert event.organisation_id == cast.organisation.pk


def test_admin_cannot_move_a_school_into_another_organisation(cast) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(cast.admin)
    response = client.post(
        f"/admin/accounts/school/{cast.junior.pk}/change/",
        {"organisation": cast.outsider.organisation_id, "name": "Moved", "slug": "moved"},
    )
    assert response.status_code == 200  # the form is shown again with an error
    assert "Select a valid choice" in response.content.decode()
    assert School.objects.get(pk=cast.junior.pk).name == "Stafford Junior School"


def test_person_page_offers_only_own_organisation_choices(cast) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(cast.admin)
    page = client.get(f"/admin/accounts/user/{cast.teacher.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Stafford Junior School" in html and escape(str(cast.line_manager)) in html
    assert escape(str(cast.outsider)) not in html and "Downs Valley Trust" not in html
