"""Policy versions, acknowledgements and the review date, through the services."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from socialguard.audit.models import AuditEvent
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.policy.models import Acknowledgement, Clause, Obligation, PolicyVersion
from socialguard.policy.selectors import policy_acknowledgement_status, policy_review_overdue
from socialguard.policy.services import (
    policy_acknowledge,
    policy_file_parse,
    policy_version_import,
)

pytestmark = pytest.mark.django_db


def test_shipped_policy_imports_with_every_clause(policy_version: PolicyVersion) -> None:
    clauses = list(Clause.objects.filter(version=policy_version).order_by("position"))
    assert len(clauses) == 81
    assert (clauses[0].number, clauses[-1].number) == ("1.1", "A.5.9")
    assert policy_version.version == "1"
    assert policy_version.approved_by == "FGB"
    assert policy_version.approved_on == date(2017, 4, 1)
    assert policy_version.next_review_on == date(2019, 4, 1)
    a56 = next(c for c in clauses if c.number == "A.5.6")
    assert "racist or homophobic" in a56.text
    assert next(c for c in clauses if c.number == "5.3").obligation == Obligation.MUST_NOT
    event = AuditEvent.objects.get(action="policy.version.import")
    assert event.details["clauses"] == 81


def test_new_version_replaces_current_and_keeps_history(cast, policy_version) -> None:  # type: ignore[no-untyped-def]
    from django.conf import settings

    parsed, _ = policy_file_parse(path=settings.DEFAULT_POLICY_FILE)
    parsed.version = "2"
    newer = policy_version_import(
        organisation=cast.organisation, parsed=parsed, source_name="v2.txt", by=cast.admin
    )
    policy_version.refresh_from_db()
    assert newer.is_current and not policy_version.is_current
    assert PolicyVersion.objects.filter(organisation=cast.organisation).count() == 2


def test_acknowledge_once_with_audit(cast, policy_version) -> None:  # type: ignore[no-untyped-def]
    first = policy_acknowledge(person=cast.teacher, version=policy_version)
    again = policy_acknowledge(person=cast.teacher, version=policy_version)
    assert first.pk == again.pk
    assert Acknowledgement.objects.filter(person=cast.teacher).count() == 1
    event = AuditEvent.objects.get(action="policy.acknowledge")
    assert event.clauses == ["2.1"] and event.actor_id == cast.teacher.pk


@pytest.mark.parametrize("who", ["parent", "pupil", "outsider"])
def test_only_staff_members_of_the_organisation_acknowledge(cast, policy_version, who) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ApplicationError) as error:
        policy_acknowledge(person=getattr(cast, who), version=policy_version)
    assert error.value.code == ErrorCode.FORBIDDEN
    assert not Acknowledgement.objects.exists()


def test_contractors_and_governors_are_staff_members_for_the_policy(cast, policy_version) -> None:  # type: ignore[no-untyped-def]
    # 2.1: the policy applies to governors, contractors, trainees and volunteers too.
    policy_acknowledge(person=cast.contractor, version=policy_version)
    policy_acknowledge(person=cast.governor, version=policy_version)
    assert Acknowledgement.objects.count() == 2


def test_acknowledging_a_replaced_version_is_refused(cast, policy_version) -> None:  # type: ignore[no-untyped-def]
    from django.conf import settings

    parsed, _ = policy_file_parse(path=settings.DEFAULT_POLICY_FILE)
    parsed.version = "2"
    policy_version_import(organisation=cast.organisation, parsed=parsed, source_name="v2", by=None)
    policy_version.refresh_from_db()
    with pytest.raises(ApplicationError, match="replaced"):
        policy_acknowledge(person=cast.teacher, version=policy_version)


def test_status_groups_staff_by_school(cast, policy_version) -> None:  # type: ignore[no-untyped-def]
    policy_acknowledge(person=cast.teacher, version=policy_version)
    groups = {
        (g.school.slug if g.school else None): g
        for g in policy_acknowledgement_status(
            organisation=cast.organisation, version=policy_version
        )
    }
    junior = groups["stafford"]
    assert [p.username for p, _ in junior.acknowledged] == ["teacher"]
    assert [p.username for p in junior.outstanding] == ["linemanager"]
    assert "deputydsl" in [p.username for p in groups["roselands"].outstanding]
    everyone = {p.username for g in groups.values() for p in g.outstanding}
    assert "parent" not in everyone and "pupil" not in everyone and "outsider" not in everyone


def test_review_overdue(policy_version) -> None:  # type: ignore[no-untyped-def]
    assert policy_review_overdue(version=policy_version, today=date(2026, 11, 24))
    assert not policy_review_overdue(version=policy_version, today=date(2019, 3, 31))


def test_unparseable_file_names_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "policy.txt"
    bad.write_text("Our policy\n\n1 INTRODUCTION\n1.1 First.\n1.1 Again.\n", encoding="utf-8")
    with pytest.raises(ApplicationError) as error:
        policy_file_parse(path=bad)
    assert error.value.code == ErrorCode.POLICY_PARSE
    assert "line 5" in error.value.message


def test_unsupported_file_type_is_explained(tmp_path: Path) -> None:
    bad = tmp_path / "policy.pdf"
    bad.write_bytes(b"%PDF-1.4")
    with pytest.raises(ApplicationError) as error:
        policy_file_parse(path=bad)
    assert ".pdf" in error.value.message or "pdf" in error.value.message.lower()


def test_new_current_version_asks_staff_to_acknowledge_after_commit(  # type: ignore[no-untyped-def]
    cast, django_capture_on_commit_callbacks
) -> None:
    from django.conf import settings
    from django.core import mail

    parsed, _ = policy_file_parse(path=settings.DEFAULT_POLICY_FILE)
    with django_capture_on_commit_callbacks(execute=True):
        policy_version_import(
            organisation=cast.organisation, parsed=parsed, source_name="p", by=None
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert cast.teacher.email in message.to and cast.contractor.email in message.to
    assert cast.parent.email not in message.to and cast.outsider.email not in message.to
    assert "/policy/#acknowledge" in message.body
