"""Key the audit chain: re-hash every event with HMAC-SHA256 (socialguard.audit.keys).

Each chain is first checked as it was (plain SHA-256). A chain that checks out is re-hashed
forward, event by event, and its head follows. A chain that does not check out is left exactly as
it is, so ``audit verify`` keeps naming its first bad event: keying must never bless a trail that
was already altered. The append-only guard is lifted for this one pass only.
"""

from django.db import migrations

from socialguard.audit.keys import keyed_hash, plain_hash
from socialguard.audit.models import event_payload

GENESIS = "0" * 64
LIFT = {
    "sqlite": ["DROP TRIGGER IF EXISTS audit_event_no_update;"],
    "postgresql": ["ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_change;"],
}
RESTORE = {
    "sqlite": [
        """CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_auditevent
           BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;"""
    ],
    "postgresql": ["ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_no_change;"],
}


def _plain_chain_holds(events, head) -> bool:
    prev, seq = GENESIS, 1
    for event in events:
        if (
            event.seq != seq
            or event.prev_hash != prev
            or plain_hash(event_payload(event)) != event.hash
        ):
            return False
        prev, seq = event.hash, seq + 1
    return seq - 1 == head.seq and prev == head.hash


def rekey(apps, schema_editor):
    event_model = apps.get_model("audit", "AuditEvent")
    head_model = apps.get_model("audit", "AuditChainHead")
    heads = list(head_model.objects.order_by("chain"))
    if not heads:
        return
    vendor = schema_editor.connection.vendor
    for statement in LIFT.get(vendor, []):
        schema_editor.execute(statement)
    for head in heads:
        events = list(event_model.objects.filter(chain=head.chain).order_by("seq"))
        if not _plain_chain_holds(events, head):
            print(f"\n  audit: chain {head.chain} was already broken; left as it is for verify")
            continue
        prev = GENESIS
        for event in events:
            event.prev_hash = prev
            event.hash = keyed_hash(event_payload(event))
            # The base manager: the app's own manager refuses updates, as it should.
            event_model._base_manager.filter(pk=event.pk).update(
                prev_hash=event.prev_hash, hash=event.hash
            )
            prev = event.hash
        head_model.objects.filter(pk=head.pk).update(hash=prev)
    for statement in RESTORE.get(vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [migrations.RunPython(rekey, migrations.RunPython.noop)]
