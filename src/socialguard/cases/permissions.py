"""Who may see and act on breach reports, cases and media enquiries, decided on the server per
record and per person (ARCHITECTURE: "breach cases to the head teacher and whom they name").

- Case handlers are the organisation's head teachers and the people a head has named
  (an active ``CaseAccess``). No other role gives access: not moderating a site, not being a
  safeguarding lead, not being an administrator.
- A case is never shown to the staff member it is about, even if they are a handler.
- The outcome is decided by a handler; the appeal by a different handler.
- Media enquiries go to the head teacher; the person who logged one sees their own
  acknowledgement.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from socialguard.accounts.models import Role
from socialguard.accounts.selectors import has_role, is_staff_member
from socialguard.cases.models import BreachCase, BreachReport, CaseAccess, MediaEnquiry, Stage

ACTION_LABELS = {
    "add_note": "Add a note",
    "add_evidence": "Add evidence",
    "move_to_hearing": "Move to hearing",
    "record_outcome": "Record the outcome",
    "file_appeal": "Record an appeal",
    "decide_appeal": "Decide the appeal",
    "close": "Close the case",
}


@dataclass(frozen=True)
class Handler:
    user: Any
    organisation_id: int | None
    is_head: bool = False
    is_named: bool = False

    @property
    def org_id(self) -> int:
        assert self.organisation_id is not None
        return self.organisation_id

    @property
    def handles_cases(self) -> bool:
        return self.organisation_id is not None and (self.is_head or self.is_named)


def handler_for(user: Any) -> Handler:
    if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
        return Handler(user=user, organisation_id=None)
    named = CaseAccess.objects.filter(
        organisation_id=user.organisation_id, user=user, revoked_at__isnull=True
    ).exists()
    return Handler(
        user=user,
        organisation_id=user.organisation_id,
        is_head=has_role(user, Role.HEAD_TEACHER),
        is_named=named and user.is_active,
    )


def can_see_case(case: BreachCase, handler: Handler) -> bool:
    return (
        handler.handles_cases
        and case.organisation_id == handler.organisation_id
        and case.staff_member_id != handler.user.pk
    )


def can_see_report(report: BreachReport, handler: Handler) -> bool:
    if not handler.handles_cases or report.organisation_id != handler.organisation_id:
        return False
    case = getattr(report, "case", None)
    return case is None or case.staff_member_id != handler.user.pk


def report_actions_for(report: BreachReport, handler: Handler) -> list[str]:
    if not can_see_report(report, handler) or report.status != BreachReport.Status.NEW:
        return []
    return ["open_case", "not_a_breach"]


def case_actions_for(case: BreachCase, handler: Handler) -> list[str]:
    if not can_see_case(case, handler) or case.stage == Stage.CLOSED:
        return []
    actions = ["add_note", "add_evidence"]
    if case.stage == Stage.INVESTIGATION:
        actions += ["move_to_hearing", "record_outcome"]
    elif case.stage == Stage.HEARING:
        actions.append("record_outcome")
    elif case.stage == Stage.OUTCOME:
        if case.outcome != "no_action" and not hasattr(case, "appeal"):
            actions.append("file_appeal")
        actions.append("close")
    elif case.stage == Stage.APPEAL and case.outcome_decided_by_id != handler.user.pk:
        actions.append("decide_appeal")
    return actions


def can_manage_access(user: Any) -> bool:
    return bool(getattr(user, "organisation_id", None)) and has_role(user, Role.HEAD_TEACHER)


def can_log_media_enquiry(user: Any) -> bool:
    return bool(getattr(user, "organisation_id", None)) and is_staff_member(user)


def can_handle_media(user: Any) -> bool:
    return bool(getattr(user, "organisation_id", None)) and has_role(user, Role.HEAD_TEACHER)


def can_see_enquiry(enquiry: MediaEnquiry, user: Any) -> bool:
    if enquiry.organisation_id != getattr(user, "organisation_id", None):
        return False
    return enquiry.logged_by_id == user.pk or can_handle_media(user)


def can_respond_to_enquiry(enquiry: MediaEnquiry, user: Any) -> bool:
    return (
        enquiry.status == MediaEnquiry.Status.OPEN
        and enquiry.organisation_id == getattr(user, "organisation_id", None)
        and can_handle_media(user)
    )
