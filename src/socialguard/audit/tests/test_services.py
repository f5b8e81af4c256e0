"""The audit trail: one event per change, in the same transaction, hash-chained, append-only."""

from __future__ import annotations

import json

import pytest
from django.db import connection, transaction

from socialguard.audit.models import AuditEvent
from socialguard.audit.selectors import audit_chain_verify, audit_events_between, audit_export_lines
from socialguard.audit.services import audit_record
from socialguard.core.tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _record_three(org_user):  # type: ignore[no-untyped-def]
    with transaction.atomic():
        for n in range(3):
            audit_record(
                actor=org_user,
                action="test.thing.do",
                target=org_user,
                clauses=["A.5.6", "2.1"],
                details={"n": n},
            )
    return list(AuditEvent.objects.order_by("seq"))


def test_event_snapshots_actor_and_target_and_chains_hashes() -> None:
    user = UserFactory(first_name="Helen", last_name="Ashdown", username="head")
    first, second, third = _record_three(user)
    assert first.actor_repr == "Helen Ashdown (head)"
    assert first.target_repr == "Helen Ashdown"
    assert first.target_type == "accounts.user"
    assert first.clauses == ["2.1", "A.5.6"]
    assert first.chain == f"org:{user.organisation_id}"
    assert [e.seq for e in (first, second, third)] == [1, 2, 3]
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert audit_chain_verify().ok


def test_event_is_rolled_back_with_its_change() -> None:
    user = UserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=user, action="test.thing.do", target=user)
        raise RuntimeError("the change failed")
    assert not AuditEvent.objects.exists()
    assert audit_chain_verify().ok


def test_action_codes_are_checked() -> None:
    user = UserFactory()
    with pytest.raises(ValueError, match="action codes"), transaction.atomic():
        audit_record(actor=user, action="Not A Code")


@pytest.mark.django_db(transaction=True)
def test_recording_outside_a_transaction_is_refused() -> None:
    user = UserFactory()
    with pytest.raises(RuntimeError, match="inside the transaction"):
        audit_record(actor=user, action="test.thing.do", target=user)


def test_code_cannot_update_or_delete_events() -> None:
    user = UserFactory()
    event = _record_three(user)[0]
    event.action = "test.thing.undo"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x.y")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def test_database_refuses_update_even_from_raw_sql() -> None:
    user = UserFactory()
    event = _record_three(user)[0]
    with (
        pytest.raises(Exception, match="append-only"),
        transaction.atomic(),
        connection.cursor() as c,
    ):
        c.execute("UPDATE audit_auditevent SET action = %s WHERE id = %s", ["x.y", event.pk])


def _drop_guard() -> None:
    """What an attacker with database access would do before editing the trail."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_change")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_update")


def test_verify_names_the_first_edited_event() -> None:
    user = UserFactory()
    events = _record_three(user)
    _drop_guard()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET details = %s WHERE id = %s",
            [json.dumps({"n": 99}), events[1].pk],
        )
    report = audit_chain_verify()
    assert not report.ok
    assert report.problem is not None
    assert (report.problem.seq, report.problem.event_id) == (2, events[1].pk)
    assert "altered" in report.problem.message


def test_verify_reports_a_missing_event() -> None:
    user = UserFactory()
    events = _record_three(user)
    _drop_guard()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    report = audit_chain_verify()
    assert report.problem is not None
    assert report.problem.seq == 2 and "missing" in report.problem.message


def test_verify_reports_events_cut_from_the_end() -> None:
    user = UserFactory()
    events = _record_three(user)
    _drop_guard()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    report = audit_chain_verify()
    assert report.problem is not None and "removed from the end" in report.problem.message


def test_each_organisation_has_its_own_chain() -> None:
    a, b = (
        UserFactory(organisation=OrganisationFactory()),
        UserFactory(organisation=OrganisationFactory()),
    )
    with transaction.atomic():
        audit_record(actor=a, action="test.thing.do", target=a)
        audit_record(actor=b, action="test.thing.do", target=b)
        audit_record(actor=a, action="test.thing.do", target=a)
    chains = dict(AuditEvent.objects.values_list("chain", "seq").order_by("seq"))
    assert chains == {f"org:{a.organisation_id}": 2, f"org:{b.organisation_id}": 1}
    assert audit_chain_verify().chains_checked == 2


def test_export_csv_and_json_cover_the_date_range() -> None:
    user = UserFactory()
    events = _record_three(user)
    day = events[0].at.astimezone().date()
    selected = audit_events_between(since=day, until=day, organisation_id=user.organisation_id)
    csv_text = "".join(audit_export_lines(events=selected, fmt="csv"))
    assert csv_text.splitlines()[0].startswith("chain,seq,at,")
    assert len(csv_text.splitlines()) == 4
    assert "2.1 A.5.6" in csv_text
    rows = json.loads("".join(audit_export_lines(events=selected, fmt="json")))
    assert [r["seq"] for r in rows] == [1, 2, 3]
    from datetime import timedelta

    later = audit_events_between(since=day + timedelta(days=1), until=None)
    assert json.loads("".join(audit_export_lines(events=later, fmt="json"))) == []
