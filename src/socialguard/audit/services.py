"""Writing to the audit trail. Every state-changing service calls ``audit_record`` inside its own
transaction, so the event and the change it records commit or roll back together."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from socialguard.audit.models import AuditChainHead, AuditEvent

if TYPE_CHECKING:
    from socialguard.accounts.models import User

ACTION_CODE = re.compile(r"^[a-z_]+(\.[a-z_]+)+$")
GLOBAL_CHAIN = "global"


def chain_for(organisation_id: int | None) -> str:
    return f"org:{organisation_id}" if organisation_id else GLOBAL_CHAIN


def _organisation_id_of(target: models.Model | None, actor: User | None) -> int | None:
    for candidate in (target, actor):
        if candidate is None:
            continue
        if candidate.__class__.__name__ == "Organisation":
            return int(candidate.pk)
        org_id = getattr(candidate, "organisation_id", None)
        if org_id:
            return int(org_id)
    return None


def _lock_head(chain: str) -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(chain=chain).first()
    if head is not None:
        return head
    try:
        with transaction.atomic():
            AuditChainHead.objects.create(chain=chain)
    except IntegrityError:
        pass  # another writer created it first; lock theirs
    return AuditChainHead.objects.select_for_update().get(chain=chain)


def audit_record(
    *,
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    clauses: Iterable[str] = (),
    details: dict[str, Any] | None = None,
    organisation_id: int | None = None,
    target_repr: str | None = None,
) -> AuditEvent:
    """Append one event. Must run inside the transaction of the change it records."""
    if not ACTION_CODE.match(action):
        raise ValueError(f"Audit action codes look like 'policy.acknowledge', not {action!r}.")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must be called inside the transaction of its change.")
    org_id = organisation_id or _organisation_id_of(target, actor)
    head = _lock_head(chain_for(org_id))
    event = AuditEvent(
        chain=head.chain,
        seq=head.seq + 1,
        at=timezone.now(),
        organisation_id=org_id,
        actor=actor if actor is not None and actor.pk else None,
        actor_repr=_person_repr(actor),
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=(target_repr if target_repr is not None else str(target or ""))[:300],
        clauses=sorted(set(clauses)),
        details=details or {},
        prev_hash=head.hash,
    )
    event.hash = event.compute_hash()
    event.save()
    head.seq, head.hash = event.seq, event.hash
    head.save(update_fields=["seq", "hash"])
    return event


def _person_repr(actor: User | None) -> str:
    if actor is None:
        return "system"
    name = actor.get_full_name() or actor.get_username()
    return f"{name} ({actor.get_username()})"[:200]
