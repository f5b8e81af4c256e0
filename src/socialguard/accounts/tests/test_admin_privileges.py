"""Issue 10, finding 1: an organisation's administrator manages their own organisation's people,
schools and roles, and never grants deployment powers (is_superuser, is_staff, permissions,
groups), edits a superuser, or sees or picks another organisation's schools."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from socialguard.accounts.models import RoleAssignment, User
from socialguard.accounts.tests.admin_forms import form_data
from socialguard.audit.models import AuditEvent
from socialguard.core.tests.factories import SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db

PRIVILEGED = ("is_superuser", "is_staff", "groups", "user_permissions")


def _admin(cast) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(cast.admin)
    return client


def _change(person: User) -> str:
    return f"/admin/accounts/user/{person.pk}/change/"


def test_the_change_form_offers_no_deployment_powers(cast) -> None:  # type: ignore[no-untyped-def]
    page = _admin(cast).get(_change(cast.admin))
    assert page.status_code == 200
    html = page.content.decode()
    for field in PRIVILEGED:
        assert f'name="{field}"' not in html, field


@pytest.mark.parametrize(
    "extra",
    [
        {"is_superuser": "on"},
        {"is_staff": "on"},
        {"groups": "GROUP"},
        {"user_permissions": "PERMISSION"},
    ],
)
def test_a_posted_deployment_power_is_refused_and_audited(cast, extra) -> None:  # type: ignore[no-untyped-def]
    client = _admin(cast)
    group = Group.objects.create(name="Everything")
    permission = Permission.objects.get(codename="view_auditevent")
    value = {"GROUP": str(group.pk), "PERMISSION": str(permission.pk)}
    extra = {k: value.get(v, v) for k, v in extra.items()}
    for person in (cast.admin, cast.teacher):
        data = form_data(client.get(_change(person)).content.decode(), **extra)
        response = client.post(_change(person), data)
        assert response.status_code == 403
        person.refresh_from_db()
        assert not person.is_superuser
        assert person.is_staff == (person.pk == cast.admin.pk)
        assert not person.groups.exists() and not person.user_permissions.exists()
    refused = AuditEvent.objects.filter(action="admin.user.privilege_refused")
    assert refused.count() == 2 and refused.first().actor_id == cast.admin.pk  # type: ignore[union-attr]


def test_after_the_attempt_the_admin_still_sees_only_their_organisation(cast) -> None:  # type: ignore[no-untyped-def]
    client = _admin(cast)
    data = form_data(client.get(_change(cast.admin)).content.decode(), is_superuser="on")
    client.post(_change(cast.admin), data)
    listing = client.get("/admin/accounts/user/").content.decode()
    assert "outsider" not in listing and "Downs Valley Trust" not in listing
    assert client.get(_change(cast.outsider)).status_code == 302  # not theirs: back to the index
    assert client.get("/admin/audit/auditevent/").status_code == 403


def test_an_ordinary_change_keeps_their_admin_access(cast) -> None:  # type: ignore[no-untyped-def]
    client = _admin(cast)
    data = form_data(client.get(_change(cast.admin)).content.decode(), position="Office manager")
    response = client.post(_change(cast.admin), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    cast.admin.refresh_from_db()
    assert cast.admin.position == "Office manager" and cast.admin.is_staff
    assert not cast.admin.is_superuser


def test_a_superuser_is_neither_listed_nor_editable(cast) -> None:  # type: ignore[no-untyped-def]
    operator = UserFactory(
        organisation=cast.organisation, username="operator", is_superuser=True, is_staff=True
    )
    client = _admin(cast)
    assert "operator" not in client.get("/admin/accounts/user/").content.decode()
    assert client.get(_change(operator)).status_code == 302
    assert client.get(f"/admin/accounts/user/{operator.pk}/password/").status_code != 200
    response = client.post(f"/admin/accounts/user/{operator.pk}/delete/", {"post": "yes"})
    assert response.status_code in (302, 403)
    assert User.objects.filter(pk=operator.pk).exists()


def test_a_new_person_is_of_the_admins_organisation_and_has_no_powers(cast) -> None:  # type: ignore[no-untyped-def]
    client = _admin(cast)
    data = form_data(
        client.get("/admin/accounts/user/add/").content.decode(),
        username="newstarter",
        password1="a-long-enough-pass-1",
        password2="a-long-enough-pass-1",
        first_name="New",
        last_name="Starter",
        organisation=str(cast.outsider.organisation_id),
        is_superuser=None,
    )
    response = client.post("/admin/accounts/user/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    person = User.objects.get(username="newstarter")
    assert person.organisation_id == cast.organisation.pk
    assert not person.is_staff and not person.is_superuser


def test_the_list_filters_name_only_their_organisation(cast) -> None:  # type: ignore[no-untyped-def]
    SchoolFactory(organisation=cast.outsider.organisation, name="Downs Valley Academy")
    html = _admin(cast).get("/admin/accounts/user/").content.decode()
    assert "Downs Valley" not in html
    html = _admin(cast).get("/admin/accounts/school/").content.decode()
    assert "Downs Valley" not in html


# --- The role inline ---------------------------------------------------------------------------


def test_the_role_inline_offers_only_their_schools(cast) -> None:  # type: ignore[no-untyped-def]
    SchoolFactory(organisation=cast.outsider.organisation, name="Downs Valley Academy")
    html = _admin(cast).get(_change(cast.teacher)).content.decode()
    assert "Stafford Junior School" in html
    assert "Downs Valley Academy" not in html


def _with_new_role(html: str, **row: str) -> dict[str, object]:
    data = form_data(html)
    total = int(str(data["role_assignments-TOTAL_FORMS"]))
    data["role_assignments-TOTAL_FORMS"] = str(total + 1)
    prefix = f"role_assignments-{total}-"
    data.update({prefix + k: v for k, v in row.items()})
    data[prefix + "user"] = data.get("role_assignments-0-user", "")
    return data


def test_a_role_at_another_organisations_school_is_refused(cast) -> None:  # type: ignore[no-untyped-def]
    theirs = SchoolFactory(organisation=cast.outsider.organisation, name="Downs Valley Academy")
    client = _admin(cast)
    html = client.get(_change(cast.teacher)).content.decode()
    data = _with_new_role(html, role="it_lead", school=str(theirs.pk), starts_on="2026-01-05")
    response = client.post(_change(cast.teacher), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not RoleAssignment.objects.filter(school=theirs).exists()


def test_a_superuser_cannot_put_a_role_at_another_organisations_school(cast) -> None:  # type: ignore[no-untyped-def]
    theirs = SchoolFactory(organisation=cast.outsider.organisation, name="Downs Valley Academy")
    operator = UserFactory(organisation=None, username="operator", is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(operator)
    html = client.get(_change(cast.teacher)).content.decode()
    data = _with_new_role(html, role="it_lead", school=str(theirs.pk), starts_on="2026-01-05")
    response = client.post(_change(cast.teacher), data)
    assert response.status_code == 200
    assert "own organisation" in response.content.decode()
    assert not RoleAssignment.objects.filter(school=theirs).exists()


def test_a_role_at_their_own_school_is_saved_and_audited(cast) -> None:  # type: ignore[no-untyped-def]
    client = _admin(cast)
    html = client.get(_change(cast.teacher)).content.decode()
    data = _with_new_role(html, role="it_lead", school=str(cast.infant.pk), starts_on="2026-01-05")
    response = client.post(_change(cast.teacher), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    role = RoleAssignment.objects.get(user=cast.teacher, role="it_lead")
    assert role.organisation_id == cast.organisation.pk and role.granted_by_id == cast.admin.pk
    assert AuditEvent.objects.filter(action="accounts.role.assign", actor=cast.admin).exists()


# --- Taking over someone's sign-in ------------------------------------------------------------


def test_the_admin_does_not_set_a_safeguarding_leads_password(cast) -> None:  # type: ignore[no-untyped-def]
    client = _admin(cast)
    url = f"/admin/accounts/user/{cast.dsl.pk}/password/"
    before = User.objects.get(pk=cast.dsl.pk).password
    assert client.get(url).status_code == 302
    response = client.post(
        url, {"password1": "taken-over-123456", "password2": "taken-over-123456"}, follow=True
    )
    assert "only they" in response.content.decode()
    assert User.objects.get(pk=cast.dsl.pk).password == before


def test_the_admin_does_not_change_a_head_teachers_email(cast) -> None:  # type: ignore[no-untyped-def]
    client = _admin(cast)
    html = client.get(_change(cast.head)).content.decode()
    assert 'name="email"' not in html
    data = form_data(html, email="admin@evil.example")
    client.post(_change(cast.head), data)
    cast.head.refresh_from_db()
    assert cast.head.email != "admin@evil.example"


def test_the_admin_sets_a_teachers_password_and_it_is_audited(cast) -> None:  # type: ignore[no-untyped-def]
    client = _admin(cast)
    url = f"/admin/accounts/user/{cast.teacher.pk}/password/"
    response = client.post(
        url,
        {
            "password1": "new-start-123456",
            "password2": "new-start-123456",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert User.objects.get(pk=cast.teacher.pk).check_password("new-start-123456")
    assert AuditEvent.objects.filter(action="admin.user.password", actor=cast.admin).exists()
