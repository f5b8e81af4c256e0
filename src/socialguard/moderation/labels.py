"""The queue's words: finding categories (from the screening registry), review actions, the
events of an item's history and moderation's audit action codes (collected by core.labels)."""

from socialguard.core.labels import register
from socialguard.screening.categories import CATEGORIES, safeguarding_codes

register("category", {code: entry.label for code, entry in CATEGORIES.items()})
register("category", safeguarding_codes())
register("audit_area", {"moderation": "Moderation"})

_ACTIONS = {
    "approve": "Approve",
    "edit_approve": "Edit and approve",
    "reject": "Reject",
    "remove": "Remove from the site",
    "dismiss": "Keep (dismiss the report)",
    "suspend_author": "Suspend the member",
    "raise_safeguarding": "Raise a safeguarding concern",
    "acknowledge": "Acknowledge",
    "return_to_moderators": "Not a safeguarding matter: return to moderators",
    "claim": "Claim",
    "release": "Release",
    "reveal": "Show the masked words",
}
_EVENTS = {
    "created": "Arrived in the queue",
    "signal": "Reported again",
    "reopened": "Reopened",
    "claimed": "Claimed",
    "released": "Released",
    "approve": "Approved",
    "edit_approve": "Edited and approved",
    "edited": "Edited",
    "reject": "Rejected",
    "remove": "Removed from the site",
    "dismiss": "Kept (report dismissed)",
    "suspend_author": "Member suspended",
    "suspended": "Member suspended",
    "raise_safeguarding": "Passed to the safeguarding lead",
    "acknowledge": "Acknowledged by the safeguarding lead",
    "return_to_moderators": "Returned to moderators: not a safeguarding matter",
    "escalated": "Escalated: not acknowledged in time",
    "note": "Note added",
    "reveal": "Masked words shown to a moderator",
}
register("review_action", _ACTIONS)
register("review_event", _EVENTS)
register(
    "audit_action",
    {f"moderation.item.{code}": f"Review item: {text.lower()}" for code, text in _EVENTS.items()},
)
register(
    "audit_action",
    {
        "moderation.item.raise_safeguarding": "Passed to the safeguarding lead",
        "moderation.item.reveal": "Masked words shown to a moderator",
        "moderation.queue.remind": "Moderators reminded of waiting items",
        "moderation.queue.escalate": "Waiting items escalated",
        "moderation.safeguarding.escalate": "Unacknowledged safeguarding item escalated",
    },
)
