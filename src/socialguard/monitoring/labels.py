"""Monitoring's audit action codes and choices in plain words (collected by core.labels)."""

from socialguard.core.labels import register

register("audit_area", {"monitoring": "Monitoring of internet use"})
register(
    "audit_action",
    {
        "monitoring.source.create": "Log source added",
        "monitoring.source.update": "Log source changed",
        "monitoring.ingest.start": "Web log reading started",
        "monitoring.ingest.done": "Web log read",
        "monitoring.ingest.failed": "Web log could not be read",
        "monitoring.lease.import": "Address leases imported",
        "monitoring.alias.set": "Proxy user name linked to a person",
        "monitoring.finding.new": "Monitoring findings made",
        "monitoring.finding.update": "Monitoring findings added to",
        "monitoring.finding.escalated": "Pupil's search handed to the safeguarding leads",
        "monitoring.finding.mark": "Monitoring finding triaged",
        "monitoring.finding.case": "Breach case opened from a monitoring finding",
        "monitoring.finding.concern": "Safeguarding concern opened from a monitoring finding",
        "monitoring.settings.update": "Monitoring settings changed",
        "monitoring.category.update": "Domain categories changed",
        "monitoring.hours.update": "Contracted hours changed",
        "monitoring.terms.update": "Term dates changed",
        "monitoring.review.record": "Filtering and monitoring review recorded",
        "monitoring.retention.purge": "Monitoring records deleted (retention)",
    },
)

# The pages' codes (mon-web): the acceptable-use notice and the settings pages.
register(
    "audit_action",
    {
        "monitoring.notice.publish": "Acceptable-use notice published",
        "monitoring.notice.accept": "Acceptable-use notice accepted",
        "monitoring.alias.delete": "Proxy user name unlinked",
    },
)
