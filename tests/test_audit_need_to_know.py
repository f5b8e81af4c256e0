"""The audit trail shows a person only the events about records they may open: safeguarding
events to safeguarding leads, breach case events to those who handle that case."""

from __future__ import annotations

import pytest
from django.test import Client

from socialguard.audit.selectors import audit_events_for
from socialguard.cases import services as cases
from socialguard.cases.tests.factories import case, report
from socialguard.safeguarding.tests.conftest import record

pytestmark = pytest.mark.django_db


def _actions(user) -> set[str]:  # type: ignore[no-untyped-def]
    return set(audit_events_for(user=user).values_list("action", flat=True))


def _targets(user, kind: str) -> set[str]:  # type: ignore[no-untyped-def]
    return set(
        audit_events_for(user=user).filter(target_type=kind).values_list("target_id", flat=True)
    )


def test_safeguarding_events_only_for_safeguarding_leads(cast, policy_version) -> None:  # type: ignore[no-untyped-def]
    concern = record(cast)
    assert any(a.startswith("safeguarding.") for a in _actions(cast.dsl))
    dsl = Client()
    dsl.force_login(cast.dsl)
    assert concern.reference in dsl.get("/audit/?action=safeguarding.").content.decode()
    for person in (cast.head, cast.admin):
        assert not any(a.startswith("safeguarding.") for a in _actions(person)), person
        assert "policy.version.import" in _actions(person)  # everything else remains


def test_case_events_follow_who_may_open_the_case(cast, policy_version) -> None:  # type: ignore[no-untyped-def]
    ordinary = case(cast)  # about the teacher, opened by the head
    about_head = report(cast, about_head_teacher=True)
    handled = cases.breach_report_triage(
        report=about_head,
        by=cast.governor,
        staff_member=cast.head,
        clauses=["9.2"],
        summary="About the head teacher.",
    )
    head_sees = _targets(cast.head, "cases.breachcase")
    assert str(ordinary.pk) in head_sees and str(handled.pk) not in head_sees
    assert str(about_head.pk) not in _targets(cast.head, "cases.breachreport")
    governor_sees = _targets(cast.governor, "cases.breachcase")
    assert str(handled.pk) in governor_sees
    # Neither the staff member concerned nor an administrator reads case events.
    for person in (cast.admin, cast.teacher):
        assert not _targets(person, "cases.breachcase") and not _targets(
            person, "cases.breachreport"
        )

    client = Client()
    client.force_login(cast.head)
    page = client.get("/audit/").content.decode()
    assert ordinary.reference in page and handled.reference not in page
