"""The audit trail: append-only, hash-chained, one chain per organisation.

Each event stores the hash of the event before it in the same chain, so editing, deleting or
inserting a row breaks the chain and ``audit_chain_verify`` names the first bad event. The hashes
are keyed (HMAC-SHA256, see ``audit.keys``) with a key the database does not hold, so whoever can
write to the database still cannot rewrite the chain forward; checkpoints held outside the
database catch a rewrite by whoever also holds the key. The chain
head row is locked while an event is appended, which serialises writers per organisation only.
The database refuses UPDATE (and on PostgreSQL DELETE) on events: see migration 0002.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from django.conf import settings
from django.db import models

from socialguard.audit.keys import keyed_hash


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("Audit events are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are append-only.")


class AuditEvent(models.Model):
    chain = models.CharField(max_length=40)
    seq = models.PositiveBigIntegerField()
    at = models.DateTimeField(db_index=True)
    # No database-level foreign keys: an event must outlive whatever it mentions. The readable
    # snapshots (actor_repr, target_repr) keep it meaningful after a deletion.
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_repr = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=80, db_index=True)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(max_length=300, blank=True)
    clauses = models.JSONField(default=list, blank=True)
    details = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["chain", "seq"]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_chain_seq")]
        indexes = [
            models.Index(fields=["organisation", "at"]),
            models.Index(fields=["target_type", "target_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are append-only.")

    def payload(self) -> dict[str, Any]:
        return event_payload(self)

    def compute_hash(self) -> str:
        return keyed_hash(self.payload())


def event_payload(event: Any) -> dict[str, Any]:
    """The fields the hash covers, in a canonical form that survives a database round trip.
    A plain function so that migrations (whose models have no methods) hash the same way."""
    return {
        "chain": event.chain,
        "seq": event.seq,
        "at": event.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "organisation": event.organisation_id,
        "actor": event.actor_id,
        "actor_repr": event.actor_repr,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target_repr": event.target_repr,
        "clauses": list(event.clauses),
        "details": event.details,
        "prev_hash": event.prev_hash,
    }


class AuditChainHead(models.Model):
    """The last event of each chain: locked to append; verify compares it to catch a cut tail."""

    chain = models.CharField(max_length=40, unique=True)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"{self.chain} @ {self.seq}"
