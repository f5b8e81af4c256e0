"""Freezing what a case links to. A linked record may change or go later (a review item is
decided, a finding re-graded), so the case keeps a snapshot of it as it was when it was added,
with a sha256 over the snapshot; an uploaded file is hashed over its bytes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.apps import apps

from socialguard.core import evidence
from socialguard.core.errors import ApplicationError, ErrorCode

if TYPE_CHECKING:
    from django.db.models.fields.files import FieldFile

    from socialguard.cases.models import BreachCase, CaseEvidence


def snapshot_sha256(snapshot: dict[str, Any]) -> str:
    return evidence.record_sha256(snapshot)


def file_sha256(file: FieldFile | Any) -> str:
    """Hash an uploaded (not yet stored) file and leave it at its start for storage."""
    return evidence.file_sha256(file)


def evidence_verify(item: CaseEvidence) -> bool:
    """Does the stored file or snapshot still match the hash taken when it was added?"""
    from socialguard.cases.models import CaseEvidence

    if item.source_type != CaseEvidence.Source.UPLOAD:
        return snapshot_sha256(item.snapshot) == item.sha256
    return evidence.stored_file_sha256(item.file.storage, item.file.name) == item.sha256


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


Snapshot = Callable[["BreachCase", str], dict[str, Any]]
# source type -> how to freeze it; other apps add theirs (moderation: "review_item") when ready,
# so cases never imports the apps whose records it keeps.
SNAPSHOTS: dict[str, Snapshot] = {
    "audit_event": snapshot_audit_event,
    "monitoring_finding": snapshot_monitoring_finding,
}


def register_snapshot(source_type: str, snapshot: Snapshot) -> None:
    SNAPSHOTS[source_type] = snapshot
