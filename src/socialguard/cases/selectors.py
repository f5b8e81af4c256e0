"""Reads of breach reports, cases and media enquiries. The ``access_*`` functions fetch with the
permission check, so a view never holds a record its user may not see: another organisation's
record is 'not found', one's own organisation's but not theirs to see is 'forbidden'."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Count, Model, Q, QuerySet
from django.utils import timezone

from socialguard.cases.models import (
    BreachCase,
    BreachReport,
    CaseAccess,
    MediaEnquiry,
    Stage,
)
from socialguard.cases.permissions import (
    Handler,
    can_handle_media,
    can_manage_access,
    can_see_case,
    can_see_enquiry,
    can_see_report,
    handler_for,
    head_matter_case_q,
    head_matter_report_q,
    holds_head_teacher_role,
)
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.policy.models import Clause

if TYPE_CHECKING:
    from socialguard.accounts.models import Organisation

M = TypeVar("M", bound=Model)

NEAR_DEADLINE = timedelta(hours=2)
OPEN_STAGES = (Stage.INVESTIGATION, Stage.HEARING, Stage.OUTCOME, Stage.APPEAL)


def clause_numbers(*, organisation: Organisation) -> list[tuple[str, str]]:
    """(number, text) of every clause of the organisation's current policy, in order."""
    return list(
        Clause.objects.filter(version__organisation=organisation, version__is_current=True)
        .order_by("position")
        .values_list("number", "text")
    )


def clause_texts(*, organisation: Organisation, numbers: list[str]) -> dict[str, str]:
    return dict(
        Clause.objects.filter(
            version__organisation=organisation, version__is_current=True, number__in=numbers
        ).values_list("number", "text")
    )


# --- Reports and cases -------------------------------------------------------------------


def _within_reach(records: QuerySet[M], handler: Handler, head_matter: Q) -> QuerySet[M]:
    """The rule of ``permissions.can_see_report`` / ``can_see_case`` in the query: head
    teachers never get matters about a head teacher, governors who are not named get only
    those, named handlers who are not heads get both."""
    if handler.handles_cases and handler.handles_head_matters:
        return records
    if handler.handles_cases:
        return records.exclude(head_matter)
    if handler.handles_head_matters:
        return records.filter(head_matter)
    return records.none()


def reports_to_triage(*, handler: Handler) -> QuerySet[BreachReport]:
    if not handler.handles_any:
        return BreachReport.objects.none()
    reports = BreachReport.objects.filter(
        organisation_id=handler.org_id, status=BreachReport.Status.NEW
    )
    return (
        _within_reach(reports, handler, head_matter_report_q())
        .select_related("school")
        .order_by("created_at")
    )


def reports_triaged(*, handler: Handler, limit: int = 20) -> list[BreachReport]:
    if not handler.handles_any:
        return []
    reports = (
        BreachReport.objects.filter(organisation_id=handler.org_id)
        .exclude(status=BreachReport.Status.NEW)
        .exclude(case__staff_member_id=handler.user.pk)
    )
    reports = (
        _within_reach(reports, handler, head_matter_report_q())
        .select_related("school", "triaged_by", "case")
        .order_by("-triaged_at")
    )
    return list(reports[:limit])


def cases_for(*, handler: Handler, open_only: bool = True) -> QuerySet[BreachCase]:
    """The cases this handler may see: never one about themselves, and never one about a head
    teacher for a head teacher."""
    if not handler.handles_any:
        return BreachCase.objects.none()
    cases = BreachCase.objects.filter(organisation_id=handler.org_id).exclude(
        staff_member_id=handler.user.pk
    )
    if open_only:
        cases = cases.filter(stage__in=OPEN_STAGES)
    cases = _within_reach(cases, handler, head_matter_case_q())
    return cases.select_related("school", "staff_member").order_by("created_at")


def cases_by_stage(*, handler: Handler) -> list[tuple[str, list[BreachCase]]]:
    cases = list(cases_for(handler=handler))
    return [(label, [c for c in cases if c.stage == stage]) for stage, label in _open_stages()]


def _open_stages() -> list[tuple[str, str]]:
    return [(s.value, s.label) for s in OPEN_STAGES]


# Says no more than that: which rule refused could tell a head teacher that a matter about
# them exists.
_NOT_YOURS = "Breach %s are for the head teacher and whom they name, or the governors."


def access_report(*, handler: Handler, pk: int) -> BreachReport:
    report = (
        BreachReport.objects.select_related("school", "triaged_by", "case").filter(pk=pk).first()
    )
    if report is None or report.organisation_id != handler.organisation_id:
        raise ApplicationError("No such report.", code=ErrorCode.NOT_FOUND)
    if not can_see_report(report, handler):
        raise ApplicationError(_NOT_YOURS % "reports", code=ErrorCode.FORBIDDEN)
    return report


def access_case(*, handler: Handler, pk: int) -> BreachCase:
    case = (
        BreachCase.objects.select_related(
            "school", "staff_member", "report", "outcome_decided_by", "opened_by"
        )
        .annotate(staff_is_head=holds_head_teacher_role("staff_member_id"))
        .filter(pk=pk)
        .first()
    )
    if case is None or case.organisation_id != handler.organisation_id:
        raise ApplicationError("No such case.", code=ErrorCode.NOT_FOUND)
    if not can_see_case(case, handler):
        raise ApplicationError(_NOT_YOURS % "cases", code=ErrorCode.FORBIDDEN)
    return case


def case_access_list(*, organisation_id: int) -> QuerySet[CaseAccess]:
    return CaseAccess.objects.filter(organisation_id=organisation_id).select_related(
        "user", "granted_by", "revoked_by"
    )


def handler_counts(*, handler: Handler) -> tuple[int, int]:
    """(reports to triage, open cases) for the dashboard."""
    if not handler.handles_any:
        return 0, 0
    counts = cases_for(handler=handler).aggregate(n=Count("pk"))
    return reports_to_triage(handler=handler).count(), counts["n"]


# --- Media enquiries ---------------------------------------------------------------------


def media_enquiries_for(*, user: Any, open_only: bool = False) -> QuerySet[MediaEnquiry]:
    """All of the organisation's enquiries for the head teacher; one's own for anyone else."""
    if not getattr(user, "organisation_id", None):
        return MediaEnquiry.objects.none()
    enquiries = MediaEnquiry.objects.filter(organisation_id=user.organisation_id)
    if not can_handle_media(user):
        enquiries = enquiries.filter(logged_by=user)
    if open_only:
        enquiries = enquiries.filter(status=MediaEnquiry.Status.OPEN)
    return enquiries.select_related("logged_by", "site", "school").order_by("status", "deadline")


def access_enquiry(*, user: Any, pk: int) -> MediaEnquiry:
    enquiry = (
        MediaEnquiry.objects.select_related(
            "logged_by", "site", "contribution", "school", "responded_by"
        )
        .filter(pk=pk)
        .first()
    )
    if enquiry is None or enquiry.organisation_id != getattr(user, "organisation_id", None):
        raise ApplicationError("No such media enquiry.", code=ErrorCode.NOT_FOUND)
    if not can_see_enquiry(enquiry, user):
        raise ApplicationError(
            "Media enquiries are for the head teacher.", code=ErrorCode.FORBIDDEN
        )
    return enquiry


def time_left(deadline: datetime, now: datetime | None = None) -> str:
    """'3 hours 20 minutes left', '25 minutes left', 'deadline passed 1 hour 5 minutes ago'."""
    now = now or timezone.now()
    seconds = int((deadline - now).total_seconds())
    minutes = abs(seconds) // 60
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if mins or not parts:
        parts.append(f"{mins} minute{'s' if mins != 1 else ''}")
    span = " ".join(parts[:2])
    return f"{span} left" if seconds >= 0 else f"deadline passed {span} ago"


def enquiry_urgency(enquiry: MediaEnquiry, now: datetime | None = None) -> str:
    """'overdue', 'near' (within two hours) or 'open' for an open enquiry; 'done' otherwise."""
    if enquiry.status != MediaEnquiry.Status.OPEN:
        return "done"
    now = now or timezone.now()
    if enquiry.deadline <= now:
        return "overdue"
    return "near" if enquiry.deadline - now <= NEAR_DEADLINE else "open"


def audit_scope(user: Any, events: QuerySet[Any]) -> QuerySet[Any]:
    """Events about breach reports, cases, media enquiries and case handlers show only to those
    who may open them: a report or case to its handlers (never the staff member concerned, nor
    a head teacher for a matter about a head teacher); a media enquiry to the head teacher and
    the person who logged it; who was named a case handler to the head teacher, who names them.
    Moderators, safeguarding leads and administrators read none of them. That a record was
    deleted for retention stays visible to the people who handle that kind of record. Every
    event of this app starts hidden: a new kind of record shows to nobody until a rule here
    says who may read it."""
    ours = Q(action__startswith="cases.") | Q(target_type__startswith="cases.")
    shown: list[Q] = []
    handler = handler_for(user)
    if handler.handles_any:
        reports = BreachReport.objects.filter(organisation_id=handler.org_id).exclude(
            case__staff_member_id=handler.user.pk
        )
        report_ids = [
            str(pk)
            for pk in _within_reach(reports, handler, head_matter_report_q()).values_list(
                "pk", flat=True
            )
        ]
        case_ids = [
            str(pk)
            for pk in cases_for(handler=handler, open_only=False).values_list("pk", flat=True)
        ]
        shown += [
            Q(target_type="cases.breachreport", target_id__in=report_ids),
            Q(target_type="cases.breachcase", target_id__in=case_ids),
        ]
        if handler.handles_cases:
            shown.append(
                Q(
                    target_type__in=["cases.breachreport", "cases.breachcase"],
                    action__endswith=".retention_delete",
                )
            )
    enquiry_ids = [str(pk) for pk in media_enquiries_for(user=user).values_list("pk", flat=True)]
    shown.append(Q(target_type="cases.mediaenquiry", target_id__in=enquiry_ids))
    if can_handle_media(user):
        shown.append(Q(target_type="cases.mediaenquiry", action__endswith=".retention_delete"))
    if can_manage_access(user):
        shown.append(Q(target_type="cases.caseaccess"))
    visible = shown[0]
    for rule in shown[1:]:
        visible |= rule
    return events.exclude(ours & ~visible)
