"""Who may see and act on breach reports, cases and media enquiries, decided on the server per
record and per person (ARCHITECTURE: "breach cases to the head teacher and whom they name").

- Case handlers are the organisation's head teachers and the people a head has named
  (an active ``CaseAccess``). No other role gives access: not moderating a site, not being a
  safeguarding lead, not being an administrator.
- A matter about the head teacher (a report flagged ``about_head_teacher``, or a case about
  someone who holds a head-teacher role today, or a case opened from a flagged report) goes to
  the governors, never to a head teacher, nor to someone a head named as a handler (a head
  must not choose who judges the head): in English schools an allegation about the head goes
  to the chair of governors, and a federation's heads are line-managed by the same board
  (9.1, 9.2). A governor who is not named sees these matters and nothing else.
- A case is never shown to the staff member it is about, even if they are a handler.
- The outcome is decided by a handler; the appeal by a different handler.
- Media enquiries go to the head teacher; the person who logged one sees their own
  acknowledgement.

The list selectors apply the same rule inside their queries with ``head_matter_report_q`` and
``head_matter_case_q``, so an inbox costs the same number of queries however long it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, OuterRef, Q

from socialguard.accounts.models import Role, RoleAssignment
from socialguard.accounts.selectors import _current, has_role, is_staff_member
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
    is_governor: bool = False

    @property
    def org_id(self) -> int:
        assert self.organisation_id is not None
        return self.organisation_id

    @property
    def handles_cases(self) -> bool:
        """Handles the organisation's ordinary reports and cases."""
        return self.organisation_id is not None and (self.is_head or self.is_named)

    @property
    def handles_head_matters(self) -> bool:
        """Handles reports and cases about a head teacher: the governors, never a head
        teacher, and not someone a head named (a head must not choose who judges the head)."""
        return self.organisation_id is not None and not self.is_head and self.is_governor

    @property
    def handles_any(self) -> bool:
        return self.handles_cases or self.handles_head_matters


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
        is_governor=has_role(user, Role.GOVERNOR) and user.is_active,
    )


# --- Matters about the head teacher --------------------------------------------------------


def holds_head_teacher_role(user_ref: str) -> Exists:
    """In a query: the user at ``user_ref`` holds a head-teacher role today, by the rule of
    ``accounts.selectors.has_role`` (current assignment, in the person's own organisation)."""
    return Exists(
        RoleAssignment.objects.filter(
            _current(),
            user_id=OuterRef(user_ref),
            organisation_id=F("user__organisation_id"),
            role=Role.HEAD_TEACHER,
        )
    )


def head_matter_case_q() -> Q:
    """A case about a head teacher, or opened from a report flagged as one."""
    flagged = BreachReport.objects.filter(pk=OuterRef("report_id"), about_head_teacher=True)
    return Q(Exists(flagged)) | Q(holds_head_teacher_role("staff_member_id"))


def head_matter_report_q() -> Q:
    """A report flagged as about the head teacher, or opened as a case about one."""
    return Q(about_head_teacher=True) | Q(holds_head_teacher_role("case__staff_member_id"))


def case_is_head_matter(case: BreachCase) -> bool:
    if case.report_id is not None and case.report is not None and case.report.about_head_teacher:
        return True
    # Selectors annotate ``staff_is_head`` in the query; elsewhere (a locked row) ask directly.
    annotated = getattr(case, "staff_is_head", None)
    if annotated is not None:
        return bool(annotated)
    return has_role(case.staff_member, Role.HEAD_TEACHER)


def _may_handle(handler: Handler, *, head_matter: bool) -> bool:
    return handler.handles_head_matters if head_matter else handler.handles_cases


def can_see_case(case: BreachCase, handler: Handler) -> bool:
    return (
        handler.handles_any
        and case.organisation_id == handler.organisation_id
        and case.staff_member_id != handler.user.pk
        and _may_handle(handler, head_matter=case_is_head_matter(case))
    )


def can_see_report(report: BreachReport, handler: Handler) -> bool:
    if not handler.handles_any or report.organisation_id != handler.organisation_id:
        return False
    case = getattr(report, "case", None)
    if case is not None:
        # Once triaged, the report goes with its case: the same people, never the person it
        # is about, and never a head teacher when the case is about one.
        return can_see_case(case, handler)
    return _may_handle(handler, head_matter=report.about_head_teacher)


def can_open_inbox(handler: Handler) -> bool:
    """Handlers open the inbox. A governor who is not named opens it only while the
    organisation has a matter about a head teacher (governors read figures, never other
    records)."""
    if handler.handles_cases:
        return True
    if not handler.handles_head_matters:
        return False
    org_id = handler.org_id
    flagged = BreachReport.objects.filter(organisation_id=org_id, about_head_teacher=True)
    about_head = BreachCase.objects.filter(head_matter_case_q(), organisation_id=org_id).exclude(
        staff_member_id=handler.user.pk
    )
    return flagged.exists() or about_head.exists()


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
