"""Reading people and roles. Every query here is scoped to one organisation."""

from __future__ import annotations

from datetime import date
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
    if user.has_perm("safeguarding.report_concern"):
        links.append(("Report a concern", reverse("safeguarding:new")))
    if user.has_perm("cases.handle"):
        links.append(("Cases", reverse("cases:inbox")))
    if user.has_perm("cases.view_media_enquiries"):
        links.append(("Media enquiries", reverse("cases:media_list")))
    elif user.has_perm("cases.log_media_enquiry"):
        links.append(("Media enquiry", reverse("cases:media_new")))
    if user.has_perm("policy.view_acknowledgements"):
        links.append(("Acknowledgements", reverse("policy:acknowledgements")))
    if user.has_perm("reports.view_governance"):
        links.append(("Reports", reverse("reports:governance")))
    if user.has_perm("audit.view_events"):
        links.append(("Audit trail", reverse("audit:events")))
    if user.has_perm("notifications.view_outbox"):
        links.append(("Outbox", reverse("notifications:outbox")))
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
