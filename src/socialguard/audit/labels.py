"""The audit trail's own action codes in plain words (collected by core.labels)."""

from socialguard.core.labels import register

register("audit_area", {"audit": "Audit trail"})
register("audit_action", {"audit.checkpoint.issue": "Audit trail checkpoint signed"})
