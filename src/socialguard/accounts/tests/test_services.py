from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction

from socialguard.accounts import selectors, services
from socialguard.accounts.models import Role, RoleAssignment
from socialguard.accounts.services import people
from socialguard.audit.models import AuditEvent
from socialguard.core.errors import ApplicationError

pytestmark = pytest.mark.django_db


def test_person_and_role_creation_is_audited(cast) -> None:  # type: ignore[no-untyped-def]
    person = services.person_create(
        organisation=cast.organisation,
        username="newteacher",
        first_name="Nia",
        last_name="Jones",
        position="Year 2 Teacher",
        school=cast.infant,
        line_manager=cast.deputy_dsl,
        by=cast.admin,
    )
    services.role_assign(user=person, role=Role.STAFF, school=cast.infant, by=cast.admin)
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    assert actions == ["accounts.person.create", "accounts.role.assign"]
    assert selectors.is_staff_member(person)


def test_cannot_link_people_across_organisations(cast) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ApplicationError, match="another organisation"):
        services.line_manager_set(user=cast.teacher, line_manager=cast.outsider, by=cast.admin)


def test_reporting_lines_cannot_loop(cast) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ApplicationError, match="managed"):
        services.line_manager_set(user=cast.line_manager, line_manager=cast.teacher, by=None)


def test_pupils_need_a_year_group_and_only_pupils_have_one(cast) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ApplicationError, match="year group"):
        services.role_assign(user=cast.parent, role=Role.PUPIL, by=None)
    with pytest.raises(ApplicationError, match="year group"):
        services.role_assign(user=cast.parent, role=Role.STAFF, year_group="3", by=None)
    with pytest.raises(IntegrityError), transaction.atomic():  # the database agrees
        RoleAssignment.objects.create(
            user=cast.parent, organisation=cast.organisation, role=Role.PUPIL
        )


def test_leaver_loses_roles_and_hooks_run(cast) -> None:  # type: ignore[no-untyped-def]
    seen = []
    hook = services.register_leaving_hook(lambda user, by: seen.append(user.username))
    try:
        services.person_leave(user=cast.teacher, left_on=date.today(), by=cast.head)
    finally:
        people._LEAVING_HOOKS.remove(hook)
    fresh = type(cast.teacher).objects.get(pk=cast.teacher.pk)
    assert not selectors.is_staff_member(fresh)
    assert "teacher" in seen
    assert AuditEvent.objects.get(action="accounts.person.leave").clauses == ["6.7"]


def test_roles_end_on_their_date(cast) -> None:  # type: ignore[no-untyped-def]
    assignment = RoleAssignment.objects.get(user=cast.comms, role=Role.COMMS_MANAGER)
    services.role_end(assignment=assignment, ends_on=date.today() - timedelta(days=1), by=None)
    fresh = type(cast.comms).objects.get(pk=cast.comms.pk)
    assert not selectors.has_role(fresh, Role.COMMS_MANAGER)


def test_people_with_role_never_cross_organisations(cast) -> None:  # type: ignore[no-untyped-def]
    heads = selectors.people_with_role(organisation=cast.organisation, roles=[Role.HEAD_TEACHER])
    assert list(heads) == [cast.head]


def test_roster_lists_pupils_staff_and_official_contacts(cast) -> None:  # type: ignore[no-untyped-def]
    from socialguard.accounts.roster import roster_for

    roster = roster_for(organisation=cast.organisation)
    assert roster["organisation"] == "Roselands & Stafford Federation"
    assert {"first": cast.pupil.first_name, "last": cast.pupil.last_name, "year": "4"} in roster[
        "pupils"
    ]
    assert cast.parent.first_name not in [
        s["first"] for s in roster["staff"] if s["last"] == cast.parent.last_name
    ]
    assert roster["email_domains"] == ["rs.example.sch.uk"]
