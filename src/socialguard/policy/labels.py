"""Policy's audit action codes (and its mail categories) in plain words (collected by
core.labels)."""

from socialguard.core.labels import register

register("audit_area", {"policy": "Policy"})
register(
    "audit_action",
    {
        "policy.version.import": "Policy document imported",
        "policy.version.create": "Policy version added",
        "policy.version.publish": "Policy version published",
        "policy.draft.create": "Policy document uploaded as a draft",
        "policy.draft.clause_change": "Clause corrected in a policy draft",
        "policy.draft.discard": "Policy draft discarded",
        "policy.review.start": "Policy review started",
        "policy.review.remind": "Policy reviewer reminded",
        "policy.review.assigned": "Policy review given to someone",
        "policy.review.reminder": "Policy reviewer reminded",
        "policy.acknowledge": "Policy acknowledged",
        "policy.acknowledgement.record": "Policy acknowledged",
        "policy.acknowledgement.remind": "Staff reminded to acknowledge the policy",
        "policy.acknowledge_request": "Staff asked to acknowledge the policy",
        "policy.acknowledge_reminder": "Reminder to acknowledge the policy",
    },
)
