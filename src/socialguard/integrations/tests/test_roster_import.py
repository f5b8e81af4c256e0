"""Importing the roster: the dry run, applying it (joiners, changes, leavers ended with their
site roles), the screening roster following at once, and the administrator-only pages."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from socialguard.accounts.models import Role, RoleAssignment, User
from socialguard.audit.models import AuditEvent
from socialguard.core.errors import ApplicationError
from socialguard.integrations import services
from socialguard.integrations.models import RosterImport, RosterLink
from socialguard.integrations.selectors import roster_plan

pytestmark = pytest.mark.django_db

HEADER = "UPN,Legal Surname,Legal Forename,Preferred Surname,Preferred Forename,Year,Reg Group\n"


def _sims(cast: Any, *lines: str) -> bytes:
    pupil = cast.pupil
    # The cast's pupil, a year up, and whoever else the test adds.
    own = f"P1,{pupil.last_name},{pupil.first_name},,,Year 5,5J\n"
    return (HEADER + own + "".join(line + "\n" for line in lines)).encode()


def _import(cast: Any, data: bytes, **kw: Any) -> RosterImport:
    return services.roster_import_create(
        organisation=cast.organisation, kind="pupils", source="auto", data=data, by=cast.admin, **kw
    )


def test_the_dry_run_shows_joiners_changes_and_leavers_and_changes_nothing(cast: Any) -> None:
    # Given a second pupil in the school who is not in the file
    leaver = User.objects.create(organisation=cast.organisation, username="gone", first_name="Ivy")
    RoleAssignment.objects.create(
        user=leaver, organisation=cast.organisation, role=Role.PUPIL, year_group="6"
    )
    # When the administrator uploads a SIMS file with the cast's pupil and a new one
    roster_import = _import(cast, _sims(cast, "P2,Smith,Alfred,,Alfie,Reception,RB"))
    plan = roster_plan(roster_import=roster_import)
    # Then the dry run has one of each, and nobody has changed yet
    assert [j.name for j in plan.joiners] == ["Alfred Smith"]
    assert plan.joiners[0].detail == "Reception, class RB, known as Alfie"
    assert [c.user for c in plan.changes] == [cast.pupil]
    assert "year group 4 → 5" in plan.changes[0].what
    assert [lv.user for lv in plan.leavers] == [leaver]
    assert not User.objects.filter(first_name="Alfred").exists()
    assert leaver.role_assignments.get().ends_on is None
    assert roster_import.source == "sims"


def test_applying_adds_joiners_changes_years_and_ends_leavers_without_deleting(cast: Any) -> None:
    from socialguard.community.tests.factories import live_site
    from socialguard.sites.models import SiteRole

    # Given a pupil who left the MIS and a live site (whose staff are not pupils)
    leaver = User.objects.create(organisation=cast.organisation, username="gone", first_name="Ivy")
    RoleAssignment.objects.create(
        user=leaver, organisation=cast.organisation, role=Role.PUPIL, year_group="6"
    )
    live_site(cast)
    roster_import = _import(cast, _sims(cast, "P2,Smith,Alfred,,Alfie,Reception,RB"))
    # When it is applied
    plan = services.roster_import_apply(roster_import=roster_import, by=cast.admin)
    # Then the joiner is a pupil in Reception, the cast's pupil is in Year 5, the leaver ended
    alfred = User.objects.get(first_name="Alfred", last_name="Smith")
    assert alfred.role_assignments.get().year_group == "R"
    assert RosterLink.objects.get(user=alfred).preferred_first == "Alfie"
    assert cast.pupil.role_assignments.get(role=Role.PUPIL).year_group == "5"
    leaver.refresh_from_db()
    assert leaver.left_on == date.today()
    assert leaver.role_assignments.get().ends_on == date.today()
    assert plan.counts == {"joiners": 1, "changes": 1, "leavers": 1, "unchanged": 0}
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.APPLIED
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "integrations.roster.apply",
        "accounts.person.leave",
        "accounts.person.create",
    } <= actions
    assert not SiteRole.objects.filter(user=leaver, active=True).exists()
    # And applying it twice is refused
    with pytest.raises(ApplicationError, match="already been applied"):
        services.roster_import_apply(roster_import=roster_import, by=cast.admin)


def test_a_staff_leaver_loses_their_site_roles(cast: Any) -> None:
    from socialguard.community.tests.factories import live_site
    from socialguard.sites.models import SiteRole

    # Given a live site the teacher administers
    site = live_site(cast)
    assert SiteRole.objects.filter(site=site, user=cast.teacher, active=True).exists()
    # When a staff file without the teacher is applied
    header = "Staff Code,Legal Forename,Legal Surname,Work Email,Role,Line Manager Email\n"
    rows = "".join(
        f"S{i},{p.first_name},{p.last_name},{p.email},Teacher,\n"
        for i, p in enumerate(
            [cast.comms, cast.dsl, cast.deputy_dsl, cast.line_manager, cast.it_lead, cast.admin]
        )
    )
    rows += "S9,Nina,New,nina@school.example,Teaching assistant,linemanager@example.sch.uk\n"
    roster_import = services.roster_import_create(
        organisation=cast.organisation,
        kind="staff",
        source="sims",
        data=(header + rows).encode(),
        by=cast.admin,
    )
    plan = services.roster_import_apply(roster_import=roster_import, by=cast.admin)
    # Then the teacher left (roles and site roles ended), Nina joined under her line manager
    assert [lv.user for lv in plan.leavers] == [cast.teacher]
    assert not SiteRole.objects.filter(site=site, user=cast.teacher, active=True).exists()
    nina = User.objects.get(email="nina@school.example")
    assert nina.line_manager == cast.line_manager
    assert nina.position == "Teaching assistant"
    assert User.objects.filter(pk=cast.teacher.pk).exists()


def test_the_screening_roster_follows_at_once(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from socialguard.community.services import _roster
    from socialguard.community.tests.factories import live_site

    # Given a site whose roster the engine has already cached
    site = live_site(cast)
    assert "Alfie" not in {p.first for p in _roster(site).pupils}
    # When a file with a new pupil, known as Alfie, is applied
    roster_import = _import(cast, _sims(cast, "P2,Smith,Alfred,,Alfie,Year 2,2B"))
    with django_capture_on_commit_callbacks(execute=True):
        services.roster_import_apply(roster_import=roster_import, by=cast.admin)
    # Then the next screening sees both his legal and his preferred name
    names = {(p.first, p.last) for p in _roster(site).pupils}
    assert {("Alfred", "Smith"), ("Alfie", "Smith")} <= names


def test_a_second_import_matches_by_the_mis_identifier(cast: Any) -> None:
    # Given Alfred imported once
    services.roster_import_apply(
        roster_import=_import(cast, _sims(cast, "P2,Smith,Alfred,,,Year 2,2B")), by=cast.admin
    )
    # When his legal name changes in the MIS but his UPN does not
    again = _import(cast, _sims(cast, "P2,Smith-Jones,Alfred,,,Year 2,2B"))
    plan = roster_plan(roster_import=again)
    # Then he is a change, not a joiner and a leaver
    assert not plan.joiners and not plan.leavers
    assert plan.changes[0].what == ["legal name Alfred Smith → Alfred Smith-Jones"]


@pytest.mark.parametrize("who", ["teacher", "head", "dsl", "pupil"])
def test_only_the_administrator_imports(cast: Any, who: str) -> None:
    with pytest.raises(ApplicationError):
        services.roster_import_create(
            organisation=cast.organisation,
            kind="pupils",
            source="auto",
            data=_sims(cast),
            by=getattr(cast, who),
        )


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_pages_upload_show_the_dry_run_and_apply(cast: Any) -> None:
    client = _client(cast.admin)
    upload = SimpleUploadedFile("pupils.csv", _sims(cast, "P2,Smith,Alfred,,,Year 2,2B"))
    response = client.post(
        "/integrations/roster/", {"kind": "pupils", "source": "auto", "file": upload}
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    text = page.content.decode()
    assert "Dry run" in text and "Alfred Smith" in text and "Apply the import" in text
    applied = client.post(response["Location"] + "apply/", follow=True)
    assert "Applied: 1 joined, 1 changed, 0 left." in applied.content.decode()


def test_a_bad_file_is_a_plain_400_naming_the_lines(cast: Any) -> None:
    client = _client(cast.admin)
    upload = SimpleUploadedFile("pupils.csv", _sims(cast, "P2,Smith,,,,Year 9,9B"))
    response = client.post(
        "/integrations/roster/", {"kind": "pupils", "source": "sims", "file": upload}
    )
    assert response.status_code == 400
    assert "Line 3: legal first name is empty." in response.content.decode()
    assert not RosterImport.objects.exists()


def test_saved_column_names_read_an_export_of_the_schools_own_shape(cast: Any) -> None:
    client = _client(cast.admin)
    columns = {
        "kind": "pupils",
        "external_id": "Pupil ID",
        "legal_first": "First",
        "legal_last": "Last",
        "year": "NC",
    }
    assert client.post("/integrations/roster/columns/", columns).status_code == 302
    data = b"Pupil ID,First,Last,NC\nX1,Bea,Ray,2\n"
    roster_import = services.roster_import_create(
        organisation=cast.organisation, kind="pupils", source="auto", data=data, by=cast.admin
    )
    assert roster_import.source == "own"
    assert roster_import.rows[0]["legal_first"] == "Bea"


def test_the_pages_refuse_everyone_but_the_administrator(cast: Any) -> None:
    assert _client(cast.teacher).get("/integrations/roster/").status_code == 403
    assert _client(cast.admin).get("/integrations/roster/columns/?kind=x").status_code == 400
