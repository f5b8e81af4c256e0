"""The chain is keyed: a forward rewrite with plain hashes fails verify, and checkpoints kept
outside the database catch a rewrite or a cut by whoever also holds the key."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core import mail
from django.db import connection, transaction

from socialguard.audit.checkpoints import (
    audit_checkpoint_check,
    audit_checkpoint_issue,
    audit_checkpoint_loads,
)
from socialguard.audit.keys import keyed_hash, plain_hash
from socialguard.audit.models import AuditChainHead, AuditEvent, event_payload
from socialguard.audit.selectors import audit_chain_verify
from socialguard.audit.services import audit_record
from socialguard.cli import main
from socialguard.core.tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _record(user: Any, count: int) -> list[AuditEvent]:
    with transaction.atomic():
        for n in range(count):
            audit_record(actor=user, action="test.thing.do", target=user, details={"n": n})
    return list(AuditEvent.objects.order_by("seq"))


def _rewrite_forward(chain: str, hasher: Any, *, edit: int | None = None, keep: int | None = None):  # type: ignore[no-untyped-def]
    """What an attacker with write access does: edit one event (or cut the tail), recompute every
    later prev_hash and hash and the head, with the hash function they have."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_change")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
        if keep is not None:
            cursor.execute(
                "DELETE FROM audit_auditevent WHERE chain = %s AND seq > %s", [chain, keep]
            )
    prev = "0" * 64
    for event in AuditEvent.objects.filter(chain=chain).order_by("seq"):
        if event.seq == edit:
            event.details = {"n": "nothing happened"}
        event.prev_hash = prev
        event.hash = hasher(event_payload(event))
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE audit_auditevent SET details = %s, prev_hash = %s, hash = %s WHERE id = %s",
                [json.dumps(event.details), event.prev_hash, event.hash, event.pk],
            )
        prev = event.hash
    last = AuditEvent.objects.filter(chain=chain).order_by("-seq").first()
    AuditChainHead.objects.filter(chain=chain).update(seq=last.seq if last else 0, hash=prev)


def test_a_forward_rewrite_with_plain_sha256_fails_verify() -> None:
    user = UserFactory()
    events = _record(user, 4)
    assert audit_chain_verify().ok
    _rewrite_forward(events[0].chain, plain_hash, edit=2)
    report = audit_chain_verify()
    assert not report.ok and report.problem is not None
    assert report.problem.seq == 1 and "altered" in report.problem.message


def test_the_hash_depends_on_a_key_outside_the_database(settings) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory()
    _record(user, 2)
    assert audit_chain_verify().ok
    settings.SOCIALGUARD_AUDIT_KEY = "another-key-" + "x" * 30
    assert not audit_chain_verify().ok


def test_a_checkpoint_catches_a_rewrite_by_whoever_holds_the_key() -> None:
    user = UserFactory()
    events = _record(user, 3)
    checkpoint = audit_checkpoint_issue(organisation=user.organisation)
    assert checkpoint["seq"] == 4 and audit_checkpoint_check(checkpoint=checkpoint).ok
    _rewrite_forward(events[0].chain, keyed_hash, edit=2)
    assert audit_chain_verify().ok  # the key holder's rewrite passes the chain check alone
    check = audit_checkpoint_check(checkpoint=checkpoint)
    assert not check.ok and "rewritten" in str(check.problem)


def test_a_checkpoint_catches_a_cut_tail_with_the_head_reset() -> None:
    user = UserFactory()
    events = _record(user, 3)
    checkpoint = audit_checkpoint_issue(organisation=user.organisation)
    _rewrite_forward(events[0].chain, keyed_hash, keep=2)
    assert audit_chain_verify().ok
    check = audit_checkpoint_check(checkpoint=checkpoint)
    assert not check.ok and "cut short" in str(check.problem)


def test_an_edited_checkpoint_is_refused() -> None:
    user = UserFactory()
    _record(user, 1)
    checkpoint = audit_checkpoint_issue(organisation=user.organisation)
    forged = {**checkpoint, "seq": 1, "hash": AuditEvent.objects.get(seq=1).hash}
    check = audit_checkpoint_check(checkpoint=forged)
    assert not check.ok and "signature" in str(check.problem)


def test_cli_checkpoint_file_and_email_then_verify(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    organisation = OrganisationFactory(slug="rs")
    _record(UserFactory(organisation=organisation), 2)
    out = tmp_path / "checkpoint.json"
    assert main(["audit", "checkpoint", "--organisation", "rs", "--out", str(out)]) == 0
    assert audit_checkpoint_loads(out.read_text())["organisation"] == "rs"
    assert main(["audit", "checkpoint", "--email", "governors@school.example"]) == 0
    assert mail.outbox[-1].to == ["governors@school.example"]
    assert mail.outbox[-1].attachments[0][0].endswith(".json")
    capsys.readouterr()
    assert main(["audit", "verify", "--checkpoint", str(out)]) == 0
    assert "still in the chain, unchanged" in capsys.readouterr().out
    _rewrite_forward(f"org:{organisation.pk}", keyed_hash, keep=2)
    assert main(["audit", "verify", "--checkpoint", str(out)]) == 1
    assert "cut short" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert main(["audit", "verify", "--checkpoint", str(bad)]) == 1
    assert "cannot read the checkpoint" in capsys.readouterr().err
    assert main(["audit", "checkpoint", "--email", "not an address"]) == 1


class _Editor:
    def __init__(self) -> None:
        self.connection = connection

    def execute(self, sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)


def _as_before_keying(chain: str, *, tamper: bool = False) -> None:
    _rewrite_forward(chain, plain_hash)
    if tamper:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE audit_auditevent SET action = %s WHERE chain = %s AND seq = 1",
                ["test.thing.undo", chain],
            )


def test_migration_rekeys_a_sound_plain_chain_and_leaves_a_broken_one_broken() -> None:
    rekey = importlib.import_module("socialguard.audit.migrations.0003_key_the_chain").rekey
    a = UserFactory(organisation=OrganisationFactory())
    b = UserFactory(organisation=OrganisationFactory())
    _record(a, 2)
    _record(b, 2)
    _as_before_keying(f"org:{a.organisation_id}")
    _as_before_keying(f"org:{b.organisation_id}", tamper=True)
    assert not audit_chain_verify(organisation_id=a.organisation_id).ok
    rekey(apps, _Editor())
    assert audit_chain_verify(organisation_id=a.organisation_id).ok
    assert not audit_chain_verify(organisation_id=b.organisation_id).ok
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        AuditEvent._base_manager.filter(chain=f"org:{a.organisation_id}").update(action="x.y")
