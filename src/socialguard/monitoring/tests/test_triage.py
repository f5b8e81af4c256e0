"""Triage: a true or false positive with a note (audited); a confirmed staff finding becomes a
breach case with the finding as its evidence (the head teacher opens it; the IT lead refers it
to the head as a breach report first); a confirmed pupil's finding becomes a concern."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from socialguard.audit.models import AuditEvent
from socialguard.cases.models import BreachCase, BreachReport, CaseEvidence
from socialguard.core.errors import ApplicationError
from socialguard.monitoring import triage
from socialguard.monitoring.tests.web_support import pupil_finding, staff_finding
from socialguard.safeguarding.models import Concern, ConcernEvidence

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_marking_needs_a_note_and_is_audited(cast: Any) -> None:
    found = staff_finding(cast)
    with pytest.raises(ApplicationError, match="note"):
        triage.finding_mark(finding=found, by=cast.it_lead, status="confirmed", note="  ")
    with pytest.raises(ApplicationError, match="confirmed or a false positive"):
        triage.finding_mark(finding=found, by=cast.it_lead, status="open", note="x")
    triage.finding_mark(
        finding=found, by=cast.it_lead, status="false_positive", note="A lesson on e-safety."
    )
    found.refresh_from_db()
    assert (found.status, found.triaged_by, found.triage_note) == (
        "false_positive",
        cast.it_lead,
        "A lesson on e-safety.",
    )
    event = AuditEvent.objects.get(action="monitoring.finding.mark")
    assert event.actor == cast.it_lead and "6.13" in event.clauses


def test_nobody_else_may_triage(cast: Any) -> None:
    staff = staff_finding(cast)
    for who in (cast.dsl, cast.teacher, cast.governor, cast.outsider):
        with pytest.raises(ApplicationError, match="No such finding"):
            triage.finding_mark(finding=staff, by=who, status="confirmed", note="x")
    pupil = pupil_finding(cast)
    triage.finding_mark(finding=pupil, by=cast.dsl, status="confirmed", note="Spoke to her.")


def test_it_lead_refers_a_staff_finding_and_the_head_opens_the_case(
    cast: Any, policy_version: Any
) -> None:
    found = staff_finding(cast)
    with pytest.raises(ApplicationError, match="Confirm the finding first"):
        triage.finding_open_case(finding=found, by=cast.it_lead)
    triage.finding_mark(finding=found, by=cast.it_lead, status="confirmed", note="Seen it.")
    report = triage.finding_open_case(finding=found, by=cast.it_lead)
    assert isinstance(report, BreachReport)
    assert report.status == "new" and report.clause_number == "6.13"
    assert found.reference in report.what_happened
    with pytest.raises(ApplicationError, match="already"):
        triage.finding_open_case(finding=found, by=cast.it_lead)
    # The head teacher opens the case from the finding: from that report, with the evidence.
    case = triage.finding_open_case(finding=found, by=cast.head)
    assert isinstance(case, BreachCase)
    report.refresh_from_db()
    assert report.status == "triaged" and case.report == report
    assert case.staff_member == cast.teacher and "6.13" in case.clauses
    evidence = CaseEvidence.objects.get(case=case)
    assert evidence.source_type == "monitoring_finding" and evidence.source_id == str(found.pk)
    assert evidence.snapshot["evidence_sha256"] == found.evidence_sha256
    found.refresh_from_db()
    assert found.case == case
    assert AuditEvent.objects.filter(action="monitoring.finding.case").count() == 2


def test_the_head_opens_a_case_straight_from_a_confirmed_finding(
    cast: Any, policy_version: Any
) -> None:
    found = staff_finding(cast)
    client = _client(cast.head)
    url = f"/monitoring/findings/{found.pk}/act/"
    client.post(url, {"action": "mark", "status": "confirmed", "note": "He agreed."})
    response = client.post(url, {"action": "case"})
    assert response.status_code == 302
    case = BreachCase.objects.get()
    assert case.report is None and found.reference in case.summary
    page = client.get(f"/monitoring/findings/{found.pk}/").content.decode()
    assert case.reference in page


def test_a_pupils_finding_cannot_become_a_breach_case(cast: Any) -> None:
    found = pupil_finding(cast)
    triage.finding_mark(finding=found, by=cast.it_lead, status="confirmed", note="Real.")
    with pytest.raises(ApplicationError, match="staff member"):
        triage.finding_open_case(finding=found, by=cast.head)


def test_a_confirmed_pupil_finding_becomes_a_concern_with_its_lines(cast: Any) -> None:
    found = pupil_finding(cast)
    triage.finding_mark(finding=found, by=cast.it_lead, status="confirmed", note="Real.")
    concern = triage.finding_open_concern(finding=found, by=cast.it_lead)
    assert isinstance(concern, Concern)
    assert concern.categories == ["self_harm"]
    assert list(concern.pupils.values_list("pupil", flat=True)) == [cast.pupil.pk]
    evidence = ConcernEvidence.objects.get(concern=concern)
    content = evidence.file.read().decode()
    assert found.evidence_sha256 in content and "how+to+hurt+myself" in content
    found.refresh_from_db()
    assert found.concern == concern
    with pytest.raises(ApplicationError, match="already"):
        triage.finding_open_concern(finding=found, by=cast.dsl)


def test_a_staff_finding_never_becomes_a_concern(cast: Any) -> None:
    found = staff_finding(cast)
    triage.finding_mark(finding=found, by=cast.it_lead, status="confirmed", note="Real.")
    with pytest.raises(ApplicationError, match="pupil"):
        triage.finding_open_concern(finding=found, by=cast.it_lead)


def test_the_triage_page_answers_bad_input_with_400(cast: Any) -> None:
    found = staff_finding(cast)
    client = _client(cast.it_lead)
    url = f"/monitoring/findings/{found.pk}/act/"
    assert client.post(url, {"action": "mark", "status": "maybe", "note": "x"}).status_code == 400
    assert client.post(url, {"action": "mark", "status": "confirmed"}).status_code == 400
    assert client.post(url, {"action": "burn"}).status_code == 400
    assert client.get(url).status_code == 405
    found.refresh_from_db()
    assert found.status == "open"
