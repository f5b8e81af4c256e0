"""A.5.4 / A.1.5: two administrators and two moderators available, or the site degrades."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail

from socialguard.accounts.services import person_leave
from socialguard.audit.models import AuditEvent
from socialguard.cli import main
from socialguard.sites.models import Site, SiteRole
from socialguard.sites.staffing import absence_record, site_cover, site_mode, site_staffing_check
from socialguard.sites.tests.factories import proposal

pytestmark = pytest.mark.django_db
TODAY = date.today()


@pytest.fixture
def live_site(cast) -> Site:  # type: ignore[no-untyped-def]
    site = proposal(cast)  # admins: teacher, line_manager; moderators: comms, deputy_dsl
    site.status = Site.Status.LIVE
    site.save()
    return site


def test_full_cover_changes_nothing(live_site, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        assert site_staffing_check(site=live_site) is None
    assert site_mode(live_site) == "normal" and mail.outbox == []


def test_absence_today_degrades_and_alerts_owner_comms_and_head(
    cast, live_site, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        absence_record(
            user=cast.deputy_dsl,
            starts_on=TODAY,
            ends_on=TODAY + timedelta(days=3),
            by=cast.deputy_dsl,
        )
    live_site.refresh_from_db()
    assert live_site.is_degraded and site_mode(live_site) == "hold_all"
    recipients = {address for message in mail.outbox for address in message.to}
    assert {cast.teacher.email, cast.comms.email, cast.head.email} <= recipients
    assert AuditEvent.objects.filter(
        action="sites.staffing.degrade", clauses=["A.1.5", "A.5.4"]
    ).exists()


def test_absence_starting_within_a_week_counts(cast, live_site) -> None:  # type: ignore[no-untyped-def]
    absence_record(
        user=cast.line_manager,
        starts_on=TODAY + timedelta(days=5),
        ends_on=TODAY + timedelta(days=9),
        by=cast.line_manager,
    )
    cover = site_cover(site=live_site)
    assert cover.administrators_now == 2 and cover.administrators_week == 1
    live_site.refresh_from_db()
    assert live_site.is_degraded


def test_absence_later_than_a_week_does_not(cast, live_site) -> None:  # type: ignore[no-untyped-def]
    absence_record(
        user=cast.line_manager,
        starts_on=TODAY + timedelta(days=10),
        ends_on=TODAY + timedelta(days=12),
        by=cast.line_manager,
    )
    live_site.refresh_from_db()
    assert not live_site.is_degraded


def test_alert_is_sent_once_and_cover_restored_is_told(
    cast, live_site, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    absence_record(user=cast.comms, starts_on=TODAY, ends_on=TODAY, by=cast.comms)
    with django_capture_on_commit_callbacks(execute=True):
        assert site_staffing_check(site=live_site) is None  # already degraded: no second alert
    assert mail.outbox == []
    SiteRole.objects.create(site=live_site, user=cast.dsl, role=SiteRole.Role.MODERATOR)
    with django_capture_on_commit_callbacks(execute=True):
        assert "restored" in (site_staffing_check(site=live_site) or "")
    live_site.refresh_from_db()
    assert not live_site.is_degraded and "cover restored" in mail.outbox[0].subject


def test_read_only_mode_when_configured(cast, live_site) -> None:  # type: ignore[no-untyped-def]
    live_site.stricter_mode = Site.StricterMode.READ_ONLY
    live_site.save()
    absence_record(user=cast.comms, starts_on=TODAY, ends_on=TODAY, by=cast.comms)
    live_site.refresh_from_db()
    assert site_mode(live_site) == "read_only"


def test_leaver_is_removed_from_site_roles_and_cover_checked(cast, live_site) -> None:  # type: ignore[no-untyped-def]
    person_leave(user=cast.line_manager, by=cast.head)
    assert not SiteRole.objects.filter(user=cast.line_manager, active=True).exists()
    live_site.refresh_from_db()
    assert live_site.is_degraded
    assert AuditEvent.objects.filter(
        action="sites.roles.leaver_removed", clauses=["6.7", "A.5.4"]
    ).exists()


def test_sites_check_command_prints_what_it_did(cast, live_site, capsys) -> None:  # type: ignore[no-untyped-def]
    from socialguard.sites.models import Absence

    Absence.objects.create(
        user=cast.comms, starts_on=TODAY, ends_on=TODAY
    )  # recorded outside the service
    assert main(["sites", "check"]) == 0
    assert "short of cover" in capsys.readouterr().out
    assert main(["sites", "check"]) == 0
    assert "nothing to do" in capsys.readouterr().out


def test_demo_federation_has_sites_in_several_states(db) -> None:  # type: ignore[no-untyped-def]
    from socialguard.audit.selectors import audit_chain_verify
    from socialguard.core.demo import demo_federation_load

    assert demo_federation_load().created
    states = dict(Site.objects.values_list("name", "status"))
    assert states == {
        "Year 4 Learning Blog": "live",
        "Stafford Sports News": "live",
        "Year 1 Phonics Corner": "awaiting_head",
        "Summer Reading Challenge 2026": "closed",
    }
    assert Site.objects.get(name="Stafford Sports News").is_degraded  # a moderator on leave
    assert not Site.objects.get(name="Year 4 Learning Blog").is_degraded
    assert audit_chain_verify().ok
    assert not demo_federation_load().created  # a second run reuses what is there


def test_dashboard_warns_leaders_and_owner_about_short_cover(cast, live_site) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    absence_record(user=cast.comms, starts_on=TODAY, ends_on=TODAY, by=cast.comms)
    for person, sees in ((cast.head, True), (cast.teacher, True), (cast.governor, False)):
        client = Client()
        client.force_login(person)
        assert ("short of cover" in client.get("/").content.decode()) is sees, person.username


def test_absence_page_records_and_cancels(cast, live_site) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    client = Client()
    client.force_login(cast.comms)
    assert client.get("/sites/absences/").status_code == 200
    client.post(
        "/sites/absences/", {"starts_on": str(TODAY), "ends_on": str(TODAY + timedelta(days=2))}
    )
    live_site.refresh_from_db()
    assert live_site.is_degraded
    absence = cast.comms.absences.get()
    client.post("/sites/absences/", {"cancel": absence.pk})
    live_site.refresh_from_db()
    assert not live_site.is_degraded
    assert AuditEvent.objects.filter(action="sites.absence.cancel").exists()
