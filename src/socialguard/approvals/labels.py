"""Approvals' audit action codes in plain words (collected by core.labels)."""

from socialguard.core.labels import register

register("audit_area", {"approvals": "Approvals"})
register(
    "audit_action",
    {
        "approvals.request.open": "Approval requested",
        "approvals.request.withdraw": "Approval request withdrawn",
        "approvals.request.expire": "Approval request expired",
        "approvals.step.approve": "Approved (one sign-off)",
        "approvals.step.reject": "Refused (one sign-off)",
        "approvals.step.return": "Returned for changes",
        "approvals.delegation.create": "Sign-offs handed to a deputy",
    },
)
