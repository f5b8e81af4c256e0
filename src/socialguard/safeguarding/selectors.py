"""Reads of the safeguarding record, scoped to one organisation and to need to know (A.2.3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models import Value as V
from django.utils import timezone

from socialguard.accounts.models import Organisation, Role, RoleAssignment, User, YearGroup
from socialguard.accounts.selectors import has_role, people_with_role
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.safeguarding.models import (
    Concern,
    ConcernAction,
    ConcernPupil,
    Escalation,
    Referral,
)
from socialguard.safeguarding.permissions import can_view, is_safeguarding_lead, lead_history_q


def pupils_of(*, organisation: Organisation) -> QuerySet[User]:
    """Current pupils with their year group and school for a search-friendly label."""
    assignments = RoleAssignment.objects.filter(
        user=OuterRef("pk"), organisation=organisation, role=Role.PUPIL
    ).order_by("-starts_on")
    return (
        people_with_role(organisation=organisation, roles=[Role.PUPIL])
        .annotate(
            pupil_year=Subquery(assignments.values("year_group")[:1]),
            pupil_school=Subquery(assignments.values("school__name")[:1]),
        )
        .order_by("last_name", "first_name", "pk")
    )


def pupil_label(pupil: Any) -> str:
    """'Bennett, Oliver (Year 4, Stafford Junior School)': sorted and typed by surname."""
    name = ", ".join(part for part in (pupil.last_name, pupil.first_name) if part)
    year = getattr(pupil, "pupil_year", "") or ""
    details = [YearGroup(year).label if year in YearGroup.values else ""]
    details.append(getattr(pupil, "pupil_school", "") or "")
    details = [d for d in details if d]
    return f"{name or pupil.get_username()}" + (f" ({', '.join(details)})" if details else "")


def concern_list_for_dsl(*, user: Any, status: str = "") -> QuerySet[Concern]:
    """Open concerns first, newest first within each; counts of open and overdue actions."""
    if not is_safeguarding_lead(user):
        return Concern.objects.none()
    concerns = Concern.objects.filter(lead_history_q(user), organisation_id=user.organisation_id)
    if status in Concern.Status.values:
        concerns = concerns.filter(status=status)
    today = timezone.localdate()
    return (
        concerns.select_related("school")
        .prefetch_related(Prefetch("pupils", queryset=ConcernPupil.objects.select_related("pupil")))
        .annotate(
            open_actions=Count("actions", filter=Q(actions__done_at__isnull=True), distinct=True),
            overdue_actions=Count(
                "actions",
                filter=Q(actions__done_at__isnull=True, actions__due_on__lt=today),
                distinct=True,
            ),
            referral_count=Count("referrals", distinct=True),
            open_first=Case(
                When(status=Concern.Status.OPEN, then=V(0)),
                default=V(1),
                output_field=IntegerField(),
            ),
        )
        .order_by("open_first", "-created_at", "-pk")
    )


def concerns_shared_with_head(*, user: Any) -> QuerySet[Concern]:
    if not has_role(user, Role.HEAD_TEACHER) or is_safeguarding_lead(user):
        return Concern.objects.none()
    return Concern.objects.filter(
        organisation_id=user.organisation_id, head_teacher_may_view=True
    ).order_by("-created_at")


def access_concern(*, user: Any, pk: int) -> Concern:
    """The concern, if this person may open it. Another organisation's concern does not exist
    for them (not found); within the organisation, a refusal says so (forbidden)."""
    concern = (
        Concern.objects.select_related(
            "school",
            "reporter",
            "closed_by",
            "acknowledged_by",
            "escalation",
            "escalation__acknowledged_by",
        )
        .filter(pk=pk)
        .first()
    )
    if concern is None or concern.organisation_id != getattr(user, "organisation_id", None):
        raise ApplicationError("No such concern.", code=ErrorCode.NOT_FOUND)
    if not can_view(user, concern):
        if is_safeguarding_lead(user):
            raise ApplicationError(
                "This concern was recorded before your role began: an existing safeguarding "
                "lead or the head teacher confirms your role before you open it (A.2.3).",
                code=ErrorCode.FORBIDDEN,
            )
        raise ApplicationError(
            "Safeguarding records are for the safeguarding leads.", code=ErrorCode.FORBIDDEN
        )
    return concern


def access_receipt(*, user: Any, reference: str) -> Concern:
    """The reporter sees that their concern was received, never its content afterwards."""
    organisation_id: int | None = getattr(user, "organisation_id", None)
    concern = (
        Concern.objects.select_related("school")
        .filter(organisation_id=organisation_id or 0, reference=reference)
        .first()
    )
    if concern is None:
        raise ApplicationError("No such concern.", code=ErrorCode.NOT_FOUND)
    if concern.reporter_id != user.pk and not can_view(user, concern):
        raise ApplicationError("This receipt is for the reporter.", code=ErrorCode.FORBIDDEN)
    return concern


@dataclass(frozen=True)
class Moment:
    at: datetime
    kind: str
    label: str
    body: str = ""
    author: str = ""


def _name(person: Any) -> str:
    return (person.get_full_name() or person.get_username()) if person else ""


def chronology(concern: Concern) -> list[Moment]:
    """Everything that happened, in time order: what was reported, the escalation from the
    review queue, and every appended entry (updates, corrections, actions, referrals...)."""
    moments = [
        Moment(concern.occurred_at, "occurred", "Happened (as reported)", concern.location),
        Moment(
            concern.created_at,
            "recorded",
            "Concern recorded",
            concern.get_source_display(),
            _name(concern.reporter),
        ),
    ]
    if concern.acknowledged_at and concern.source == Concern.Source.FORM:
        moments.append(
            Moment(
                concern.acknowledged_at,
                "acknowledged",
                "Acknowledged",
                "Opened by a safeguarding lead",
                _name(concern.acknowledged_by),
            )
        )
    escalation = concern.escalation
    if escalation is not None:
        moments.append(
            Moment(
                escalation.escalated_at,
                "escalated",
                "Passed to the safeguarding lead",
                f"By {escalation.get_raised_via_display()}: {escalation.place} "
                f"(item #{escalation.source_id})",
            )
        )
        if escalation.acknowledged_at:
            moments.append(
                Moment(
                    escalation.acknowledged_at,
                    "acknowledged",
                    "Acknowledged",
                    author=_name(escalation.acknowledged_by),
                )
            )
    for entry in concern.entries.select_related("author"):
        moments.append(
            Moment(entry.at, entry.kind, entry.get_kind_display(), entry.body, _name(entry.author))
        )
    return sorted(moments, key=lambda m: m.at)


def _when(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def record_view(concern: Concern) -> dict[str, Any]:
    """What the record page shows besides the concern itself."""
    evidence = list(concern.evidence.select_related("added_by"))
    return {
        "pupils": list(concern.pupils.select_related("pupil", "pupil__school")),
        "evidence": [
            {
                "item": e,
                "ok": e.verify(),
                "written_at": _when(e.content.get("written_at")),
                "frozen_at": _when(e.content.get("frozen_at")),
            }
            for e in evidence
        ],
        "concern_actions": list(
            ConcernAction.objects.filter(concern=concern).select_related("assignee", "done_by")
        ),
        "referrals": list(Referral.objects.filter(concern=concern).select_related("made_by")),
        "chronology": chronology(concern),
        "today": timezone.localdate(),
    }


@dataclass(frozen=True)
class OpenWork:
    open: int = 0
    unacknowledged: int = 0
    overdue: int = 0


def open_work_of(*, user: Any) -> OpenWork:
    """Open concerns, those no lead has opened yet, and overdue actions: the DSL's dashboard."""
    if not is_safeguarding_lead(user):
        return OpenWork()
    concerns = Concern.objects.filter(
        lead_history_q(user), organisation_id=user.organisation_id, status=Concern.Status.OPEN
    )
    overdue = ConcernAction.objects.filter(
        concern__in=concerns, done_at__isnull=True, due_on__lt=timezone.localdate()
    )
    return OpenWork(
        open=concerns.count(),
        unacknowledged=concerns.filter(acknowledged_at__isnull=True).count(),
        overdue=overdue.count(),
    )


def actions_assigned_to(*, user: Any) -> QuerySet[ConcernAction]:
    """The actions a safeguarding lead gave this person, open first: what to do and by when,
    never the concern's account."""
    if not getattr(user, "is_authenticated", False):
        return ConcernAction.objects.none()
    return (
        ConcernAction.objects.filter(assignee=user, concern__organisation_id=user.organisation_id)
        .select_related("concern", "created_by")
        .order_by(F("done_at").asc(nulls_first=True), "due_on")
    )


# Events about a child's safeguarding record, or about a post passed to the safeguarding lead.
_SAFEGUARDING_EVENTS = (
    Q(action__startswith="safeguarding.")
    | Q(action__startswith="moderation.safeguarding.")
    | Q(
        action__in=[
            "moderation.item.raise_safeguarding",
            "moderation.item.acknowledge",
            "moderation.item.return_to_moderators",
        ]
    )
)


def audit_scope(user: Any, events: QuerySet[Any]) -> QuerySet[Any]:
    """A.2.3, need to know: only safeguarding leads read the audit events about concerns and
    escalated posts (they carry references and categories, never the account)."""
    if not is_safeguarding_lead(user):
        return events.exclude(_SAFEGUARDING_EVENTS)
    # A new lead, until confirmed, reads none from before their role began (A.2.3).
    since = lead_history_q(user, "at")
    return events.exclude(_SAFEGUARDING_EVENTS & ~since) if since else events


# --- Escalated items (the hand-over from the review queue) --------------------------------


def escalations_for_lead(*, user: Any, open_only: bool = True) -> QuerySet[Escalation]:
    """What was handed to the leads of this person's organisation; nothing for anyone else."""
    organisation_id = getattr(user, "organisation_id", None)
    if organisation_id is None or not is_safeguarding_lead(user):
        return Escalation.objects.none()
    items = Escalation.objects.filter(
        lead_history_q(user, "escalated_at"), organisation_id=organisation_id
    )
    if open_only:
        items = items.filter(status=Escalation.Status.WITH_LEADS)
    return items.select_related("acknowledged_by").order_by("acknowledged_at", "-escalated_at")


def access_escalation(*, user: Any, pk: int) -> Escalation | None:
    return (
        escalations_for_lead(user=user, open_only=False)
        .select_related("school", "raised_by")
        .filter(pk=pk)
        .first()
    )


def escalation_for_source(*, source_type: str, source_id: int) -> Escalation | None:
    return Escalation.objects.filter(source_type=source_type, source_id=source_id).first()


def escalations_unacknowledged(*, user: Any) -> int:
    return escalations_for_lead(user=user).filter(acknowledged_at__isnull=True).count()
