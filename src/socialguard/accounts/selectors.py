"""Reading people and roles. Every query here is scoped to one organisation."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse

from socialguard.accounts.models import (
    SAFEGUARDING_ROLES,
    STAFF_ROLES,
    Organisation,
    Role,
    RoleAssignment,
    School,
    User,
)
from socialguard.core.errors import ApplicationError, ErrorCode

if TYPE_CHECKING:
    from collections.abc import Iterable


def _current(on: date | None = None) -> Q:
    """Roles run from ``starts_on`` up to, not including, ``ends_on`` (ended today: gone today)."""
    on = on or date.today()
    return Q(starts_on__lte=on) & (Q(ends_on__isnull=True) | Q(ends_on__gt=on))


def roles_of(user: Any) -> frozenset[str]:
    """The person's current roles, cached on the instance for the length of a request."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.organisation_id:
        return frozenset()
    cached: frozenset[str] | None = getattr(user, "_sg_roles", None)
    if cached is None:
        cached = frozenset(
            RoleAssignment.objects.filter(
                _current(), user=user, organisation_id=user.organisation_id
            ).values_list("role", flat=True)
        )
        user._sg_roles = cached
    return cached


def has_role(user: Any, *roles: str) -> bool:
    return bool(roles_of(user).intersection(roles))


_WHOLE_RECORD = "whole record"


def lead_history_from(user: Any) -> datetime | None:
    """A.2.3 for a new safeguarding lead: from when they may open concerns. ``None`` means the
    whole record: one of their current lead roles was confirmed by an existing lead or the head
    teacher (leads in post before issue 10 count as confirmed). Until then, the moment their
    earliest current lead role began: concerns recorded before it stay closed to them.
    Cached on the instance for the length of a request, like ``roles_of``."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.organisation_id:
        return None
    cached: datetime | str | None = getattr(user, "_sg_lead_history_from", None)
    if cached is None:
        assignments = list(
            RoleAssignment.objects.filter(
                _current(),
                user=user,
                organisation_id=user.organisation_id,
                role__in=list(SAFEGUARDING_ROLES),
            ).only("granted_at", "starts_on", "confirmed_at")
        )
        if not assignments or any(a.confirmed_at is not None for a in assignments):
            cached = _WHOLE_RECORD
        else:
            cached = min(a.began_at for a in assignments)
        user._sg_lead_history_from = cached
    return None if cached == _WHOLE_RECORD else cached  # type: ignore[return-value]


def may_confirm_leads(user: Any) -> bool:
    """Who confirms a new lead's access to the earlier record: a lead who has it, or the head."""
    if has_role(user, Role.HEAD_TEACHER):
        return True
    return has_role(user, *SAFEGUARDING_ROLES) and lead_history_from(user) is None


def lead_confirmations_waiting(*, user: Any) -> QuerySet[RoleAssignment]:
    """New safeguarding leads of this person's organisation whose access to the concerns
    recorded before their role began waits for someone this person could be."""
    if not may_confirm_leads(user):
        return RoleAssignment.objects.none()
    return (
        RoleAssignment.objects.filter(
            _current(),
            organisation_id=user.organisation_id,
            role__in=list(SAFEGUARDING_ROLES),
            confirmed_at__isnull=True,
            user__is_active=True,
        )
        .exclude(user=user)
        .exclude(granted_by=user)
        .select_related("user", "granted_by", "school")
        .order_by("granted_at", "pk")
    )


def access_lead_confirmation(*, user: Any, pk: int) -> RoleAssignment:
    """The role to confirm, if this person may confirm it. Another organisation's role, or a
    role that is not a safeguarding lead's, does not exist for them (not found)."""
    assignment = (
        RoleAssignment.objects.select_related("user", "granted_by", "confirmed_by", "school")
        .filter(
            pk=pk,
            organisation_id=getattr(user, "organisation_id", None) or 0,
            role__in=list(SAFEGUARDING_ROLES),
        )
        .first()
    )
    if assignment is None:
        raise ApplicationError("No such role.", code=ErrorCode.NOT_FOUND)
    if not may_confirm_leads(user):
        raise ApplicationError(
            "An existing safeguarding lead or the head teacher confirms a new lead.",
            code=ErrorCode.FORBIDDEN,
        )
    if assignment.user_id == user.pk:
        raise ApplicationError(
            "Someone else confirms your own role: an existing safeguarding lead or the head "
            "teacher.",
            code=ErrorCode.FORBIDDEN,
        )
    if assignment.granted_by_id == user.pk:
        raise ApplicationError(
            "You gave this role, so someone else confirms it: an existing safeguarding lead or "
            "the head teacher.",
            code=ErrorCode.FORBIDDEN,
        )
    return assignment


def role_grant_watchers(*, organisation: Organisation, exclude: Iterable[int] = ()) -> list[User]:
    """Who is told at once that someone was given a safeguarding role: the head teachers and
    the current safeguarding leads (never the new lead themselves)."""
    people = people_with_role(
        organisation=organisation, roles=[Role.HEAD_TEACHER, *SAFEGUARDING_ROLES]
    ).exclude(pk__in=list(exclude))
    return list(people.order_by("pk"))


def is_staff_member(user: Any) -> bool:
    """2.1: governors, staff, contractors, trainees and volunteers are 'staff members'."""
    return has_role(user, *STAFF_ROLES)


def is_line_manager(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    cached: bool | None = getattr(user, "_sg_is_line_manager", None)
    if cached is None:
        cached = User.objects.filter(line_manager=user, is_active=True).exists()
        user._sg_is_line_manager = cached
    return cached


def people_with_role(
    *, organisation: Organisation, roles: Iterable[str], school: School | None = None
) -> QuerySet[User]:
    assignments = RoleAssignment.objects.filter(
        _current(), organisation=organisation, role__in=list(roles)
    )
    if school is not None:
        # Organisation-wide holders (school is null) count for every school.
        assignments = assignments.filter(Q(school=school) | Q(school__isnull=True))
    return User.objects.filter(
        is_active=True, organisation=organisation, pk__in=assignments.values("user_id")
    ).distinct()


def safeguarding_escalation(
    *, organisation: Organisation, school: School | None, level: int, exclude: Iterable[int] = ()
) -> tuple[int, list[User]]:
    """Whom to tell when a safeguarding matter waits unacknowledged (A.2.3), and at which level:
    at level 1 the cover leads, that is the organisation's other DSLs and deputies (in a
    federation, the other school's); at level 2, or when there is no cover lead, the school's
    head teachers. ``exclude`` leaves out people who must not be told (the reporter)."""
    if level == 1:
        first_tier = people_with_role(
            organisation=organisation, roles=SAFEGUARDING_ROLES, school=school
        )
        cover = (
            people_with_role(organisation=organisation, roles=SAFEGUARDING_ROLES)
            .exclude(pk__in=first_tier.values("pk"))
            .exclude(pk__in=list(exclude))
        )
        if found := list(cover):
            return 1, found
    heads = people_with_role(organisation=organisation, roles=[Role.HEAD_TEACHER], school=school)
    return 2, list(heads)


def staff_members_of(*, organisation: Organisation, school: School | None = None) -> QuerySet[User]:
    people = people_with_role(organisation=organisation, roles=STAFF_ROLES)
    if school is not None:
        people = people.filter(school=school)
    return people.filter(left_on__isnull=True)


def schools_of(*, organisation: Organisation) -> QuerySet[School]:
    return School.objects.filter(organisation=organisation).order_by("name")


def role_labels_of(user: Any) -> list[str]:
    labels = [Role(role).label for role in sorted(roles_of(user))]
    if is_line_manager(user):
        labels.append("Line manager")
    return labels


def navigation_links_for(user: Any) -> list[tuple[str, str]]:
    links = [("Dashboard", reverse("core:dashboard")), ("Policy", reverse("policy:current"))]
    if user.has_perm("sites.view_register"):
        links.append(("Official sites", reverse("sites:register")))
    if user.has_perm("sites.propose"):
        links.append(("Approvals", reverse("approvals:inbox")))
    if user.organisation_id is not None:
        links.append(("School sites", reverse("community:index")))
    if user.has_perm("moderation.view_queue"):
        links.append(("Review queue", reverse("moderation:queue")))
    if user.has_perm("moderation.view_safeguarding"):
        links.append(("Escalated posts", reverse("moderation:safeguarding")))
    if user.has_perm("safeguarding.view_concerns"):
        links.append(("Concerns", reverse("safeguarding:list")))
    if user.has_perm("safeguarding.view_concerns"):
        # The leads teach the screening engine the organisation's own words (A.2.3).
        links.append(("Phrase library", reverse("lexicon:phrases")))
    if user.has_perm("safeguarding.report_concern"):
        links.append(("Report a concern", reverse("safeguarding:new")))
    if user.has_perm("cases.handle"):
        links.append(("Cases", reverse("cases:inbox")))
    if user.has_perm("cases.view_media_enquiries"):
        links.append(("Media enquiries", reverse("cases:media_list")))
    elif user.has_perm("cases.log_media_enquiry"):
        links.append(("Media enquiry", reverse("cases:media_new")))
    if has_role(user, Role.IT_LEAD, Role.HEAD_TEACHER, *SAFEGUARDING_ROLES):
        # Issue 14: monitoring findings (8.1); the safeguarding leads see pupils' only.
        links.append(("Monitoring", reverse("monitoring:overview")))
    elif has_role(user, Role.GOVERNOR):
        links.append(("Internet use", reverse("monitoring:charts")))
    if user.has_perm("policy.view_acknowledgements"):
        links.append(("Acknowledgements", reverse("policy:acknowledgements")))
    if user.has_perm("reports.view_governance"):
        links.append(("Reports", reverse("reports:governance")))
    if user.has_perm("audit.view_events"):
        links.append(("Audit trail", reverse("audit:events")))
    if user.has_perm("notifications.view_outbox"):
        links.append(("Outbox", reverse("notifications:outbox")))
    if has_role(user, Role.ADMINISTRATOR) and user.organisation_id is not None:
        # Issue 15: the organisation's own identity provider (accounts.sso).
        links.append(("School sign-in", reverse("accounts:sso_settings")))
        # Issue 15: the roster from the MIS, the webhook to the school's safeguarding system.
        links.append(("Roster import", reverse("integrations:roster")))
    if user.is_staff:
        links.append(("Administration", reverse("admin:index")))
    return links


def organisation_for_public_page(user: Any, slug: str | None) -> Organisation | None:
    """Which organisation a public page (the policy, the breach form) is about: the one named
    in the address, else the visitor's own, else the only one; None asks the visitor to choose."""
    if slug:
        found = Organisation.objects.filter(slug=slug).first()
        if found is None:
            raise Http404("No such organisation.")
        return found
    if user.is_authenticated and getattr(user, "organisation", None) is not None:
        return user.organisation
    organisations = list(Organisation.objects.all()[:2])
    return organisations[0] if len(organisations) == 1 else None
