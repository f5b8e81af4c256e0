"""Shared fixtures: a federation with two schools and a named cast, one person per role
(as Zulip's tests use a named cast of demo users)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # imported lazily so that `pytest -p no:django` works for the pure engine
    from socialguard.accounts.models import Organisation, School, User


@dataclass
class Cast:
    organisation: Organisation
    infant: School
    junior: School
    head: User
    comms: User
    dsl: User
    deputy_dsl: User
    line_manager: User
    teacher: User
    contractor: User
    governor: User
    it_lead: User
    admin: User
    parent: User
    pupil: User
    outsider: User  # head teacher of another organisation


@pytest.fixture
def cast(db: None) -> Cast:
    from socialguard.core.tests.factories import (
        OrganisationFactory,
        SchoolFactory,
        person_with_roles,
    )

    org = OrganisationFactory(name="Roselands & Stafford Federation", slug="rs")
    infant = SchoolFactory(organisation=org, name="Roselands Infant School", slug="roselands")
    junior = SchoolFactory(organisation=org, name="Stafford Junior School", slug="stafford")
    other = OrganisationFactory(name="Downs Valley Trust", slug="downs")

    def p(*roles: str, school: School | None = None, **kw: object) -> User:
        return person_with_roles(*roles, organisation=org, school=school, **kw)

    head = p("head_teacher", username="head", first_name="Helen", last_name="Ashdown")
    line_manager = p("staff", school=junior, username="linemanager", line_manager=head)
    return Cast(
        organisation=org,
        infant=infant,
        junior=junior,
        head=head,
        comms=p("comms_manager", "staff", username="comms", line_manager=head),
        dsl=p("dsl", "staff", username="dsl", line_manager=head),
        deputy_dsl=p("deputy_dsl", "staff", school=infant, username="deputydsl"),
        line_manager=line_manager,
        teacher=p("staff", school=junior, username="teacher", line_manager=line_manager),
        contractor=p("contractor", username="contractor"),
        governor=p("governor", username="governor"),
        it_lead=p("it_lead", "staff", username="itlead"),
        admin=p("administrator", "staff", username="admin", is_staff=True),
        parent=p("family_member", username="parent"),
        pupil=p("pupil", school=junior, username="pupil"),
        outsider=person_with_roles("head_teacher", organisation=other, username="outsider"),
    )


@pytest.fixture
def policy_version(cast: Cast):  # type: ignore[no-untyped-def]
    """The shipped Roselands & Stafford policy, imported for the cast's organisation."""
    from django.conf import settings

    from socialguard.policy.services import policy_file_parse, policy_version_import

    parsed, sha = policy_file_parse(path=settings.DEFAULT_POLICY_FILE)
    return policy_version_import(
        organisation=cast.organisation,
        parsed=parsed,
        source_name="policy.txt",
        source_sha256=sha,
        by=cast.admin,
    )
