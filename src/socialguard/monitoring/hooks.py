"""What monitoring registers with the rest of the project when Django starts."""

from __future__ import annotations

from typing import Any


def finding_returned(*, source_id: int, by: Any, reason: str) -> None:
    """The leads judged a pupil's search not a safeguarding matter: say so on the finding; its
    triage stays with the monitoring lead."""
    from django.utils import timezone

    from socialguard.monitoring.models import MonitoringFinding

    finding = MonitoringFinding.objects.filter(pk=source_id).first()
    if finding is None:
        return
    finding.details = {
        **finding.details,
        "returned_by_leads": {"at": timezone.now().isoformat(), "reason": reason},
    }
    finding.save(update_fields=["details", "updated_at"])


def register() -> None:
    from socialguard.core.demo import register_demo_loader
    from socialguard.core.retention import register_retention_provider
    from socialguard.monitoring.demo import load_demo_monitoring
    from socialguard.monitoring.retention import monitoring_due
    from socialguard.safeguarding.escalations import register_return_handler

    register_return_handler("monitoring_finding", finding_returned)
    register_retention_provider(monitoring_due)
    register_demo_loader(load_demo_monitoring)
