"""Safeguarding's audit action codes in plain words (collected by core.labels)."""

from socialguard.core.labels import register

register("audit_area", {"safeguarding": "Safeguarding"})
register(
    "audit_action",
    {
        "safeguarding.concern.recorded": "Safeguarding concern recorded",
        "safeguarding.concern.acknowledged": "Safeguarding concern acknowledged",
        "safeguarding.concern.entry_added": "Entry added to a concern",
        "safeguarding.concern.action_assigned": "Action given to a member of staff",
        "safeguarding.concern.action_done": "Action done",
        "safeguarding.concern.referral_recorded": "Referral to an agency recorded",
        "safeguarding.concern.referral_outcome": "Referral outcome recorded",
        "safeguarding.concern.evidence_added": "Evidence added to a concern",
        "safeguarding.concern.closed": "Concern closed",
        "safeguarding.concern.reopened": "Concern reopened",
        "safeguarding.concern.escalated": "Unacknowledged concern escalated",
        "safeguarding.concern.head_access_granted": "Head teacher given access to a concern",
        "safeguarding.concern.head_access_revoked": "Head teacher's access withdrawn",
        "safeguarding.concern.viewed_closed": "Closed concern opened",
        "safeguarding.concern.viewed_shared": "Shared concern opened",
        "safeguarding.concern.deleted_for_retention": "Concern deleted (retention)",
        "safeguarding.escalation.escalated": "Unacknowledged item escalated",
        "safeguarding.escalation.acknowledge": "Safeguarding item acknowledged",
        "safeguarding.escalation.return_to_moderators": "Returned to moderators: not safeguarding",
        "safeguarding.agency.added": "Referral agency added to the list",
        "safeguarding.agency.retired": "Referral agency no longer offered",
        "safeguarding.agency.restored": "Referral agency offered again",
    },
)
