"""Issue 10, finding 9: the organisation's administrator gave themselves the DSL role and read
every concern, with only an audit event to show for it. Giving a safeguarding role now tells the
head teachers and the current leads at once, and the new lead opens only the concerns recorded
since their role began until an existing lead or the head teacher confirms them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.test import Client

from socialguard.accounts import services
from socialguard.accounts.models import RoleAssignment, User
from socialguard.accounts.selectors import lead_confirmations_waiting
from socialguard.accounts.tests.admin_forms import form_data
from socialguard.audit.models import AuditEvent
from socialguard.audit.selectors import audit_events_for
from socialguard.core.errors import ApplicationError
from socialguard.safeguarding.permissions import can_view
from socialguard.safeguarding.selectors import concern_list_for_dsl
from socialguard.safeguarding.tests.conftest import record

pytestmark = pytest.mark.django_db


def _fresh(user: User) -> User:
    """A new instance: roles are cached on the instance for the length of a request."""
    return User.objects.get(pk=user.pk)


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _grant_in_admin(cast, person: User, role: str = "dsl", **row: str):  # type: ignore[no-untyped-def]
    client = _client(cast.admin)
    url = f"/admin/accounts/user/{person.pk}/change/"
    data = form_data(client.get(url).content.decode())
    total = int(str(data["role_assignments-TOTAL_FORMS"]))
    data["role_assignments-TOTAL_FORMS"] = str(total + 1)
    prefix = f"role_assignments-{total}-"
    data.update({prefix + "role": role, prefix + "starts_on": date.today().isoformat()})
    data.update({prefix + k: v for k, v in row.items()})
    return client.post(url, data)


def test_the_admin_giving_themselves_the_dsl_role_is_announced_at_once(
    cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = _grant_in_admin(cast, cast.admin)
    assert response.status_code == 302, response.content.decode()[:3000]
    told = [m for m in mail.outbox if "Designated safeguarding lead" in m.subject]
    assert len(told) == 1
    assert set(told[0].to) == {cast.head.email, cast.dsl.email, cast.deputy_dsl.email}
    assert cast.admin.email not in told[0].to
    assert str(cast.admin) in told[0].subject and "by " in told[0].body
    role = RoleAssignment.objects.get(user=cast.admin, role="dsl")
    assert f"/accounts/roles/{role.pk}/confirm/" in told[0].body
    event = AuditEvent.objects.get(action="accounts.role.assign", details__role="dsl")
    assert event.actor_id == cast.admin.pk


def test_a_new_lead_opens_only_concerns_recorded_since_their_role_began(cast) -> None:  # type: ignore[no-untyped-def]
    earlier = record(cast)
    services.role_assign(user=cast.admin, role="dsl", by=cast.admin)
    later = record(cast)
    lead = _fresh(cast.admin)
    assert not can_view(lead, earlier) and can_view(lead, later)
    assert list(concern_list_for_dsl(user=lead)) == [later]
    client = _client(cast.admin)
    assert client.get(f"/safeguarding/{earlier.pk}/").status_code == 403
    assert client.get(f"/safeguarding/{later.pk}/").status_code == 200
    listing = client.get("/safeguarding/").content.decode()
    assert later.reference in listing and earlier.reference not in listing
    # Nor the audit events about the earlier concern.
    refs = set(
        audit_events_for(user=_fresh(cast.admin))
        .filter(action__startswith="safeguarding.")
        .values_list("target_repr", flat=True)
    )
    assert later.reference in " ".join(refs) and earlier.reference not in " ".join(refs)


def test_a_backdated_start_does_not_open_the_earlier_record(cast) -> None:  # type: ignore[no-untyped-def]
    earlier = record(cast)
    services.role_assign(
        user=cast.admin,
        role="deputy_dsl",
        starts_on=date.today() - timedelta(days=400),
        by=cast.admin,
    )
    assert not can_view(_fresh(cast.admin), earlier)


def test_changing_a_row_to_a_lead_role_counts_as_giving_it(
    cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    earlier = record(cast)
    staff_row = RoleAssignment.objects.get(user=cast.teacher, role="staff")
    staff_row.role = "dsl"
    with django_capture_on_commit_callbacks(execute=True):
        services.role_assignment_save(assignment=staff_row, by=cast.admin, changed=["role"])
    staff_row.refresh_from_db()
    assert staff_row.confirmed_at is None and staff_row.granted_by_id == cast.admin.pk
    assert not can_view(_fresh(cast.teacher), earlier)
    assert any("Designated safeguarding lead" in m.subject for m in mail.outbox)


def test_the_head_confirms_and_then_the_earlier_record_opens(cast) -> None:  # type: ignore[no-untyped-def]
    earlier = record(cast)
    role = services.role_assign(user=cast.admin, role="dsl", by=cast.admin)
    assert role in lead_confirmations_waiting(user=_fresh(cast.head))
    page = _client(cast.head).get(f"/accounts/roles/{role.pk}/confirm/")
    assert page.status_code == 200 and "Confirm" in page.content.decode()
    assert "new safeguarding lead to confirm" in _client(cast.head).get("/").content.decode()
    response = _client(cast.head).post(f"/accounts/roles/{role.pk}/confirm/")
    assert response.status_code == 302
    role.refresh_from_db()
    assert role.confirmed_by_id == cast.head.pk and role.confirmed_at is not None
    assert can_view(_fresh(cast.admin), earlier)
    event = AuditEvent.objects.get(action="accounts.role.confirm")
    assert event.actor_id == cast.head.pk and event.target_id == str(cast.admin.pk)


def test_an_existing_lead_confirms_too(cast) -> None:  # type: ignore[no-untyped-def]
    role = services.role_assign(user=cast.teacher, role="deputy_dsl", by=cast.admin)
    services.lead_history_confirm(assignment=role, by=_fresh(cast.dsl))
    role.refresh_from_db()
    assert role.confirmed_by_id == cast.dsl.pk


def test_who_may_not_confirm(cast) -> None:  # type: ignore[no-untyped-def]
    role = services.role_assign(user=cast.admin, role="dsl", by=cast.admin)
    url = f"/accounts/roles/{role.pk}/confirm/"
    # The new lead themselves, and anyone who is neither a confirmed lead nor the head.
    for person in (cast.admin, cast.teacher, cast.comms, cast.governor, cast.pupil):
        assert _client(person).get(url).status_code == 403, person
        assert _client(person).post(url).status_code == 403, person
    assert _client(cast.outsider).post(url).status_code == 404
    assert _client(cast.dsl).get("/accounts/roles/999999/confirm/").status_code == 404
    # A role that is not a lead's is not confirmed here.
    staff = RoleAssignment.objects.get(user=cast.teacher, role="staff")
    assert _client(cast.head).get(f"/accounts/roles/{staff.pk}/confirm/").status_code == 404
    role.refresh_from_db()
    assert role.confirmed_at is None


def test_an_unconfirmed_lead_does_not_confirm_another(cast) -> None:  # type: ignore[no-untyped-def]
    mine = services.role_assign(user=cast.admin, role="dsl", by=cast.head)
    theirs = services.role_assign(user=cast.teacher, role="dsl", by=cast.head)
    with pytest.raises(ApplicationError):
        services.lead_history_confirm(assignment=theirs, by=_fresh(cast.admin))
    assert _client(cast.teacher).post(f"/accounts/roles/{mine.pk}/confirm/").status_code == 403


def test_whoever_gave_the_role_does_not_confirm_it(cast) -> None:  # type: ignore[no-untyped-def]
    role = services.role_assign(user=cast.teacher, role="dsl", by=cast.head)
    with pytest.raises(ApplicationError, match="someone else confirms"):
        services.lead_history_confirm(assignment=role, by=_fresh(cast.head))
    services.lead_history_confirm(assignment=role, by=_fresh(cast.dsl))


def test_the_new_lead_is_told_why(cast) -> None:  # type: ignore[no-untyped-def]
    earlier = record(cast)
    services.role_assign(user=cast.admin, role="dsl", by=cast.admin)
    dashboard = _client(cast.admin).get("/").content.decode()
    assert "waits for confirmation" in dashboard
    assert earlier.reference not in dashboard
