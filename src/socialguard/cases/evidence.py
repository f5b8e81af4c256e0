"""Freezing what a case links to. A linked record may change or go later (a review item is
decided, a finding re-graded), so the case keeps a snapshot of it as it was when it was added,
with a sha256 over the snapshot; an uploaded file is hashed over its bytes."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from django.apps import apps

from socialguard.core.errors import ApplicationError, ErrorCode

if TYPE_CHECKING:
    from django.db.models.fields.files import FieldFile

    from socialguard.cases.models import BreachCase, CaseEvidence


def snapshot_sha256(snapshot: dict[str, Any]) -> str:
    canonical = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, default=str).encode()
    return hashlib.sha256(canonical).hexdigest()


def file_sha256(file: FieldFile | Any) -> str:
    """Hash an uploaded (not yet stored) file and leave it at its start for storage."""
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def evidence_verify(evidence: CaseEvidence) -> bool:
    """Does the stored file or snapshot still match the hash taken when it was added?"""
    from socialguard.cases.models import CaseEvidence

    if evidence.source_type != CaseEvidence.Source.UPLOAD:
        return snapshot_sha256(evidence.snapshot) == evidence.sha256
    try:
        with evidence.file.storage.open(evidence.file.name, "rb") as handle:
            digest = hashlib.sha256()
            for chunk in iter(lambda: handle.read(65536), b""):
                digest.update(chunk)
    except (FileNotFoundError, OSError):
        return False
    return digest.hexdigest() == evidence.sha256


def _not_found(what: str, source_id: str) -> ApplicationError:
    return ApplicationError(
        f"No {what} {source_id} in your organisation. Check the number and try again.",
        code=ErrorCode.NOT_FOUND,
    )


def snapshot_audit_event(case: BreachCase, source_id: str) -> dict[str, Any]:
    from socialguard.audit.models import AuditEvent

    event = AuditEvent.objects.filter(
        pk=int(source_id) if source_id.isdigit() else 0, organisation_id=case.organisation_id
    ).first()
    if event is None:
        raise _not_found("audit event", source_id)
    return {
        "audit_event": event.pk,
        "at": event.at.isoformat(),
        "actor": event.actor_repr,
        "action": event.action,
        "target": f"{event.target_type} {event.target_id}".strip(),
        "target_repr": event.target_repr,
        "clauses": event.clauses,
        "details": event.details,
        "hash": event.hash,
    }


def snapshot_review_item(case: BreachCase, source_id: str) -> dict[str, Any]:
    from socialguard.moderation.models import ReviewItem

    item = (
        ReviewItem.objects.select_related("site", "contribution", "target_author")
        .filter(
            pk=int(source_id) if source_id.isdigit() else 0, organisation_id=case.organisation_id
        )
        .first()
    )
    if item is None:
        raise _not_found("review item", source_id)
    if item.escalated_at is not None or item.status == ReviewItem.Status.SAFEGUARDING:
        # Staff cases are kept apart from pupil safeguarding records (A.2.3): the DSL holds
        # that record; a case may only say that one exists, in a note, if it must.
        raise ApplicationError(
            "That item went to the safeguarding lead, so it cannot be linked to a staff case. "
            "Ask the DSL what may be shared.",
            code=ErrorCode.FORBIDDEN,
        )
    contribution = item.contribution
    return {
        "review_item": item.pk,
        "type": item.type,
        "status": item.status,
        "site": str(item.site),
        "author": str(item.target_author),
        "content": contribution.body if contribution else "",
        "written_at": contribution.created_at.isoformat() if contribution else "",
        "reason": item.reason,
        "basis": item.basis,
        "resolved_at": item.resolved_at.isoformat() if item.resolved_at else "",
    }


def snapshot_monitoring_finding(case: BreachCase, source_id: str) -> dict[str, Any]:
    """Monitoring findings (8.1, 6.11, 6.13) come from the monitoring app when it is installed;
    without it the handler records the finding's reference from the school's filtering system."""
    try:
        model = apps.get_model("monitoring", "MonitoringFinding")
    except LookupError:
        return {"monitoring_finding": source_id, "recorded_from": "external system"}
    finding = model.objects.filter(
        pk=int(source_id) if source_id.isdigit() else 0, organisation_id=case.organisation_id
    ).first()
    if finding is None:
        raise _not_found("monitoring finding", source_id)
    fields = {f.name: getattr(finding, f.attname) for f in model._meta.concrete_fields}
    return {"monitoring_finding": finding.pk, **{k: str(v) for k, v in fields.items()}}


SNAPSHOTS = {
    "audit_event": snapshot_audit_event,
    "review_item": snapshot_review_item,
    "monitoring_finding": snapshot_monitoring_finding,
}
