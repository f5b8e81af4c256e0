"""Issue 10, finding 9: the audit trail showed the administrator and the DSL events about media
enquiries and "Case access for <name>". They belong to those who may open the records: a media
enquiry to the head teacher and whoever logged it, who handles cases to the head teacher."""

from __future__ import annotations

import pytest
from django.test import Client

from socialguard.audit.selectors import audit_events_for
from socialguard.cases.tests.factories import enquiry, named

pytestmark = pytest.mark.django_db


def _targets(user, kind: str) -> set[str]:  # type: ignore[no-untyped-def]
    events = audit_events_for(user=user).filter(target_type=kind)
    return set(events.values_list("target_id", flat=True))


def _reprs(user) -> str:  # type: ignore[no-untyped-def]
    return " ".join(audit_events_for(user=user).values_list("target_repr", flat=True))


def test_media_enquiry_events_follow_who_may_open_the_enquiry(cast, policy_version) -> None:  # type: ignore[no-untyped-def]
    logged = enquiry(cast, by=cast.teacher)
    other = enquiry(cast, by=cast.contractor)
    assert _targets(cast.head, "cases.mediaenquiry") == {str(logged.pk), str(other.pk)}
    assert _targets(cast.teacher, "cases.mediaenquiry") == {str(logged.pk)}
    for person in (cast.admin, cast.dsl, cast.comms, cast.governor):
        assert not _targets(person, "cases.mediaenquiry"), person
        assert logged.reference not in _reprs(person)
    assert "policy.version.import" in set(
        audit_events_for(user=cast.admin).values_list("action", flat=True)
    )


def test_case_access_events_are_for_the_head_teacher(cast, policy_version) -> None:  # type: ignore[no-untyped-def]
    access = named(cast, cast.line_manager)
    assert _targets(cast.head, "cases.caseaccess") == {str(access.pk)}
    for person in (cast.admin, cast.dsl, cast.line_manager, cast.governor, cast.teacher):
        assert not _targets(person, "cases.caseaccess"), person
        assert "Case access for" not in _reprs(person)


def test_the_pages_show_the_same(cast, policy_version) -> None:  # type: ignore[no-untyped-def]
    logged = enquiry(cast, by=cast.teacher)
    named(cast, cast.line_manager)
    for person, sees in ((cast.head, True), (cast.admin, False), (cast.dsl, False)):
        client = Client()
        client.force_login(person)
        page = client.get("/audit/").content.decode()
        export = b"".join(client.get("/audit/export/?format=csv").streaming_content).decode()  # type: ignore[attr-defined]
        for text in (page, export):
            assert (logged.reference in text) is sees, person
            assert ("Case access for" in text) is sees, person
