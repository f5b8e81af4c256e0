"""Policy's audit action codes in plain words (collected by core.labels)."""

from socialguard.core.labels import register

register("audit_area", {"policy": "Policy"})
register(
    "audit_action",
    {
        "policy.version.import": "Policy version imported",
        "policy.version.create": "Policy version added",
        "policy.acknowledge": "Policy acknowledged",
        "policy.acknowledgement.record": "Policy acknowledged",
    },
)
