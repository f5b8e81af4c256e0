"""Issue 10, finding 2: no admin page shows what its viewer may not open. Django's delete pages
listed a person's breach cases, the concerns a pupil is the subject of and a school's
references; here deleting anything that has records is refused with a plain reason that names
none of them, and the bulk delete action is not offered."""

from __future__ import annotations

import pytest
from django.test import Client

from socialguard.accounts.models import RoleAssignment, School, User
from socialguard.audit.models import AuditEvent
from socialguard.cases.tests.factories import case, enquiry
from socialguard.core.tests.factories import SchoolFactory, person_with_roles
from socialguard.safeguarding.tests.conftest import record

pytestmark = pytest.mark.django_db


def _admin(cast) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(cast.admin)
    return client


def _leaks(html: str, *references: str) -> list[str]:
    words = ["Concern pupil", "Breach case", "breach case", "With the safeguarding lead"]
    words += list(references)
    return [w for w in words if w and w in html]


def test_a_person_with_records_is_not_deleted_and_nothing_is_listed(cast, policy_version) -> None:  # type: ignore[no-untyped-def]
    concern = record(cast)  # the pupil is its subject; the teacher reported it
    breach = case(cast)  # about the teacher
    client = _admin(cast)
    for person in (cast.pupil, cast.teacher):
        url = f"/admin/accounts/user/{person.pk}/delete/"
        page = client.get(url, follow=True)
        assert page.status_code == 200
        html = page.content.decode()
        assert "retention rules" in html and "ended, not deleted" in html
        assert not _leaks(html, concern.reference, breach.reference), person
        assert page.redirect_chain[-1][0] == f"/admin/accounts/user/{person.pk}/change/"
        response = client.post(url, {"post": "yes"}, follow=True)
        assert "retention rules" in response.content.decode()
        assert not _leaks(response.content.decode(), concern.reference, breach.reference)
        assert User.objects.filter(pk=person.pk).exists()
    assert not AuditEvent.objects.filter(action="admin.user.delete").exists()


def test_a_school_with_records_is_not_deleted_and_nothing_is_listed(cast, policy_version) -> None:  # type: ignore[no-untyped-def]
    concern = record(cast, school=cast.junior)
    media = enquiry(cast, school=cast.junior)
    client = _admin(cast)
    url = f"/admin/accounts/school/{cast.junior.pk}/delete/"
    for response in (client.get(url, follow=True), client.post(url, {"post": "yes"}, follow=True)):
        html = response.content.decode()
        assert "retention rules" in html
        assert concern.reference not in html and media.reference not in html
        assert "Concern" not in html and "enquiry" not in html.lower()
    assert School.objects.filter(pk=cast.junior.pk).exists()


def test_a_person_added_by_mistake_is_deleted_with_their_roles(cast) -> None:  # type: ignore[no-untyped-def]
    mistake = person_with_roles("staff", organisation=cast.organisation, username="mistake")
    client = _admin(cast)
    url = f"/admin/accounts/user/{mistake.pk}/delete/"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Role assignment" not in html and "Staff member" not in html  # only the person
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=mistake.pk).exists()
    assert not RoleAssignment.objects.filter(user_id=mistake.pk).exists()
    assert AuditEvent.objects.filter(action="admin.user.delete", actor=cast.admin).exists()


def test_an_empty_school_is_deleted(cast) -> None:  # type: ignore[no-untyped-def]
    empty = SchoolFactory(organisation=cast.organisation, name="Never Opened School")
    response = _admin(cast).post(f"/admin/accounts/school/{empty.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not School.objects.filter(pk=empty.pk).exists()


def test_a_person_who_acted_is_not_deleted(cast) -> None:  # type: ignore[no-untyped-def]
    """The audit trail names its actors without a database constraint; it still counts."""
    from django.db import transaction

    from socialguard.audit.services import audit_record

    actor = person_with_roles("staff", organisation=cast.organisation, username="actor")
    with transaction.atomic():
        audit_record(actor=actor, action="policy.acknowledge", target=actor)
    response = _admin(cast).post(f"/admin/accounts/user/{actor.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert User.objects.filter(pk=actor.pk).exists()


@pytest.mark.parametrize("model", ["user", "school"])
def test_there_is_no_bulk_delete(cast, policy_version, model: str) -> None:  # type: ignore[no-untyped-def]
    record(cast)
    client = _admin(cast)
    listing = client.get(f"/admin/accounts/{model}/").content.decode()
    assert "delete_selected" not in listing
    target = cast.pupil.pk if model == "user" else cast.junior.pk
    response = client.post(
        f"/admin/accounts/{model}/",
        {"action": "delete_selected", "_selected_action": [str(target)], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert "Concern pupil" not in response.content.decode()
    assert (User if model == "user" else School).objects.filter(pk=target).exists()
