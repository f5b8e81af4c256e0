"""Checkpoints: a signed copy of a chain's head that the governors keep outside the database.

The keyed chain stops anyone who can only write to the database. A checkpoint also stops whoever
holds the key as well (or a restored, rewritten backup): it records which event was the head and
what its hash was on a given day, so a later ``audit verify --checkpoint FILE`` shows when the
chain no longer contains that event as it was (rewritten) or no longer reaches it (cut short).
"""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass
from typing import Any

from django.core.mail import EmailMessage
from django.db import models, transaction
from django.utils import timezone

from socialguard.audit.keys import checkpoint_signature, key_fingerprint
from socialguard.audit.models import AuditEvent
from socialguard.audit.services import audit_record, chain_for

CHECKPOINT_FORMAT = "socialguard-audit-checkpoint/1"
SIGNED_FIELDS = (
    "format",
    "organisation",
    "organisation_id",
    "chain",
    "seq",
    "event_id",
    "hash",
    "event_at",
    "issued_at",
    "key",
)


@dataclass(frozen=True)
class CheckpointCheck:
    label: str
    problem: str | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def audit_checkpoint_issue(*, organisation: models.Model, recipient: str = "") -> dict[str, Any]:
    """Record that a checkpoint was issued, then sign the chain head that record became."""
    with transaction.atomic():
        event = audit_record(
            actor=None,
            action="audit.checkpoint.issue",
            target=organisation,
            organisation_id=int(organisation.pk),
            details={"to": recipient} if recipient else {},
        )
    checkpoint: dict[str, Any] = {
        "format": CHECKPOINT_FORMAT,
        "organisation": str(getattr(organisation, "slug", "")),
        "organisation_id": int(organisation.pk),
        "chain": event.chain,
        "seq": event.seq,
        "event_id": event.pk,
        "hash": event.hash,
        "event_at": event.at.isoformat(),
        "issued_at": timezone.now().isoformat(),
        "key": key_fingerprint(),
    }
    checkpoint["signature"] = checkpoint_signature(checkpoint)
    return checkpoint


def audit_checkpoint_dumps(checkpoint: dict[str, Any]) -> str:
    return json.dumps(checkpoint, indent=2, sort_keys=True) + "\n"


def audit_checkpoint_loads(text: str) -> dict[str, Any]:
    """Parse a checkpoint file; a file that is not one raises ValueError with a plain reason."""
    try:
        data = json.loads(text)
    except ValueError:
        raise ValueError("it is not JSON") from None
    if not isinstance(data, dict) or data.get("format") != CHECKPOINT_FORMAT:
        raise ValueError("it is not a socialguard audit checkpoint")
    missing = [field for field in (*SIGNED_FIELDS, "signature") if field not in data]
    if missing:
        raise ValueError(f"it lacks {', '.join(missing)}")
    if not isinstance(data["seq"], int) or not isinstance(data["event_id"], int):
        raise ValueError("its seq and event_id must be whole numbers")
    return data


def audit_checkpoint_check(*, checkpoint: dict[str, Any]) -> CheckpointCheck:
    """Does the chain still hold, unchanged, the event this checkpoint recorded as its head?"""
    label = f"checkpoint of {checkpoint.get('organisation')} at event {checkpoint.get('seq')}"
    signed = {field: checkpoint.get(field) for field in SIGNED_FIELDS}
    if not hmac.compare_digest(checkpoint_signature(signed), str(checkpoint.get("signature"))):
        return CheckpointCheck(
            label, "its signature does not match: it was edited, or signed with another key"
        )
    if checkpoint["chain"] != chain_for(checkpoint["organisation_id"]):
        return CheckpointCheck(label, "it names a chain that is not its organisation's")
    event = AuditEvent.objects.filter(chain=checkpoint["chain"], seq=checkpoint["seq"]).first()
    if event is None:
        return CheckpointCheck(
            label,
            f"the chain no longer reaches event {checkpoint['seq']}: it was cut short after "
            f"{checkpoint['issued_at']}",
        )
    if event.pk != checkpoint["event_id"] or not hmac.compare_digest(
        event.hash, str(checkpoint["hash"])
    ):
        return CheckpointCheck(
            label,
            f"event {checkpoint['seq']} is not the one recorded on {checkpoint['issued_at']}: "
            "the chain was rewritten since",
        )
    return CheckpointCheck(label, None)


def audit_checkpoint_email(*, checkpoint: dict[str, Any], to: str) -> None:
    """Send the checkpoint as an attachment (the governors keep it; the database does not)."""
    name = f"audit-checkpoint-{checkpoint['organisation']}-{checkpoint['seq']}.json"
    message = EmailMessage(
        subject=f"Audit trail checkpoint for {checkpoint['organisation']}",
        body=(
            "Attached is a signed checkpoint of your organisation's audit trail.\n\n"
            f"It records that on {checkpoint['issued_at']} the trail ended at event "
            f"{checkpoint['seq']} with hash {checkpoint['hash']}.\n\n"
            "Keep it somewhere outside the school's systems. To check that the trail has not "
            "been rewritten or cut short since, run:\n"
            f"  socialguard audit verify --checkpoint {name}\n"
        ),
        to=[to],
    )
    message.attach(name, audit_checkpoint_dumps(checkpoint), "application/json")
    message.send()
