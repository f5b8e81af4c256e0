"""Who may do what with a concern, decided on the server per concern and per person. Views show
these actions and every service checks them again (A.2.3: need to know).

- The DSL and deputy DSLs of the organisation open every concern and keep the record: entries,
  actions, referrals, evidence.
- Closing, reopening and sharing a concern with the head teacher are the DSL's decisions.
- The head teacher opens a concern only where the DSL has shared that concern with them.
- Everyone else, the reporter included, sees nothing of the content: the reporter gets a receipt.
- A new lead opens only what was recorded since their role began until an existing lead or the
  head teacher confirms them (``accounts.selectors.lead_history_from``): a role given in the
  admin does not open every child's history on its own.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q

from socialguard.accounts.models import SAFEGUARDING_ROLES, Role
from socialguard.accounts.selectors import has_role, is_staff_member, lead_history_from
from socialguard.safeguarding.models import Concern

LEAD_ACTIONS = (
    "add_entry",
    "assign_action",
    "complete_action",
    "record_referral",
    "record_outcome",
    "add_evidence",
)
CLOSED_LEAD_ACTIONS = ("add_entry", "complete_action", "record_outcome")
ACTION_LABELS = {
    "view": "Open the record",
    "add_entry": "Add an entry",
    "assign_action": "Assign an action",
    "complete_action": "Mark an action done",
    "record_referral": "Record a referral",
    "record_outcome": "Record a referral's outcome",
    "add_evidence": "Add evidence",
    "close": "Close the concern",
    "reopen": "Reopen the concern",
    "grant_head": "Share with the head teacher",
    "revoke_head": "Stop sharing with the head teacher",
}


def is_safeguarding_lead(user: Any) -> bool:
    return has_role(user, *SAFEGUARDING_ROLES)


def lead_opens(user: Any, recorded_at: datetime) -> bool:
    """Whether a lead's reach covers something recorded at ``recorded_at`` (A.2.3)."""
    since = lead_history_from(user)
    return since is None or recorded_at >= since


def lead_history_q(user: Any, field: str = "created_at") -> Q:
    """The same rule inside a query: nothing before a new lead's role began, until confirmed."""
    since = lead_history_from(user)
    return Q() if since is None else Q(**{f"{field}__gte": since})


def may_report(user: Any) -> bool:
    """2.1: every staff member (governors, contractors, volunteers too) reports a concern."""
    return is_staff_member(user)


def same_organisation(user: Any, concern: Concern) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and user.organisation_id == concern.organisation_id
    )


def actions_for(user: Any, concern: Concern) -> list[str]:
    if not same_organisation(user, concern):
        return []
    if is_safeguarding_lead(user) and lead_opens(user, concern.created_at):
        # A closed concern still takes late information and referral outcomes; new actions,
        # referrals and evidence mean it is open again, which the DSL decides.
        lead = LEAD_ACTIONS if concern.is_open else CLOSED_LEAD_ACTIONS
        actions = ["view", *lead]
        if has_role(user, Role.DSL):
            actions.append("close" if concern.is_open else "reopen")
            actions.append("revoke_head" if concern.head_teacher_may_view else "grant_head")
        return actions
    if concern.head_teacher_may_view and has_role(user, Role.HEAD_TEACHER):
        return ["view"]
    return []


def can_view(user: Any, concern: Concern) -> bool:
    return "view" in actions_for(user, concern)
