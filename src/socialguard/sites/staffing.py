"""A.5.4 and A.1.5: every live site keeps at least two available administrators and two
available moderators, now and over the coming week. When cover drops below that, the owner,
the Communications Manager and the head teacher are told once, and the site falls back to its
stricter mode (every contribution held, or read-only) until cover is restored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from socialguard.accounts.models import Role, User
from socialguard.accounts.selectors import people_with_role
from socialguard.audit.services import audit_record
from socialguard.core.errors import ApplicationError
from socialguard.notifications.services import email_after_commit
from socialguard.sites.models import Absence, Site, SiteRole

MINIMUM = 2
LOOKAHEAD_DAYS = 7
LIVE = (Site.Status.LIVE, Site.Status.REVIEW_DUE)


@dataclass(frozen=True)
class Cover:
    administrators_now: int
    moderators_now: int
    administrators_week: int  # available on every day of the coming week
    moderators_week: int

    @property
    def short_now(self) -> bool:
        return min(self.administrators_now, self.moderators_now) < MINIMUM

    @property
    def short_soon(self) -> bool:
        return min(self.administrators_week, self.moderators_week) < MINIMUM

    def describe(self) -> str:
        return (
            f"{self.administrators_now} administrators and {self.moderators_now} moderators "
            f"available today; {self.administrators_week} and {self.moderators_week} across "
            f"the next {LOOKAHEAD_DAYS} days"
        )


def _available(role: SiteRole, start: date, end: date, absences: list[Absence]) -> bool:
    user = role.user
    if not role.active or not user.is_active or (user.left_on and user.left_on <= end):
        return False
    return not any(
        a.user_id == user.pk and a.starts_on <= end and a.ends_on >= start for a in absences
    )


def site_cover(*, site: Site, today: date | None = None) -> Cover:
    today = today or date.today()
    week_end = today + timedelta(days=LOOKAHEAD_DAYS)
    roles = list(site.roles.filter(active=True).select_related("user"))
    absences = list(
        Absence.objects.filter(
            user_id__in=[r.user_id for r in roles], ends_on__gte=today, starts_on__lte=week_end
        )
    )

    def count(kind: str, end: date) -> int:
        return sum(1 for r in roles if r.role == kind and _available(r, today, end, absences))

    return Cover(
        administrators_now=count(SiteRole.Role.ADMINISTRATOR, today),
        moderators_now=count(SiteRole.Role.MODERATOR, today),
        administrators_week=count(SiteRole.Role.ADMINISTRATOR, week_end),
        moderators_week=count(SiteRole.Role.MODERATOR, week_end),
    )


def site_mode(site: Site) -> str:
    """How the community app must treat contributions: normal, hold_all or read_only."""
    if site.status not in LIVE:
        return "read_only"
    return site.stricter_mode if site.is_degraded else "normal"


def _people_to_tell(site: Site) -> list[User]:
    leaders = people_with_role(
        organisation=site.organisation, roles=[Role.COMMS_MANAGER, Role.HEAD_TEACHER]
    )
    return [site.owner, *leaders]


@transaction.atomic
def site_staffing_check(*, site: Site, today: date | None = None) -> str | None:
    """Degrade or restore the site as its cover requires; returns what changed, if anything."""
    site = Site.objects.select_for_update().get(pk=site.pk)
    if site.status not in LIVE:
        return None
    cover = site_cover(site=site, today=today)
    short = cover.short_now or cover.short_soon
    if short and not site.is_degraded:
        site.degraded_since = timezone.now()
        site.save(update_fields=["degraded_since", "updated_at"])
        audit_record(
            actor=None,
            action="sites.staffing.degrade",
            target=site,
            clauses=["A.5.4", "A.1.5"],
            details={"cover": cover.describe(), "mode": site.stricter_mode},
        )
        _tell(site, cover, restored=False)
        mode = site.get_stricter_mode_display().lower()
        return f"{site.name}: short of cover ({cover.describe()}); now {mode}"
    if not short and site.is_degraded:
        site.degraded_since = None
        site.save(update_fields=["degraded_since", "updated_at"])
        audit_record(
            actor=None,
            action="sites.staffing.restore",
            target=site,
            clauses=["A.5.4"],
            details={"cover": cover.describe()},
        )
        _tell(site, cover, restored=True)
        return f"{site.name}: cover restored ({cover.describe()})"
    return None


def _tell(site: Site, cover: Cover, *, restored: bool) -> None:
    email_after_commit(
        recipients=_people_to_tell(site),
        subject=f"{site.name}: "
        + ("moderation cover restored" if restored else "not enough administrators or moderators"),
        template="sites/email/staffing.txt",
        context={"site": site, "cover": cover, "restored": restored, "minimum": MINIMUM},
        organisation_id=site.organisation_id,
        category="sites.staffing",
    )


def _live_sites_of(user: User) -> list[Site]:
    return list(Site.objects.filter(status__in=LIVE, roles__user=user).distinct())


@transaction.atomic
def absence_record(
    *, user: User, starts_on: date, ends_on: date, reason: str = "", by: User
) -> Absence:
    if ends_on < starts_on:
        raise ApplicationError("The absence must end on or after the day it starts.")
    if by.pk != user.pk and by.organisation_id != user.organisation_id:
        raise ApplicationError("You cannot record absences for another organisation.")
    absence = Absence.objects.create(
        user=user, starts_on=starts_on, ends_on=ends_on, reason=reason[:120]
    )
    audit_record(
        actor=by,
        action="sites.absence.record",
        target=user,
        clauses=["A.5.4"],
        details={"from": starts_on.isoformat(), "to": ends_on.isoformat()},
    )
    for site in _live_sites_of(user):
        site_staffing_check(site=site)
    return absence


@transaction.atomic
def absence_cancel(*, absence: Absence, by: User) -> None:
    if absence.user_id != by.pk:
        raise ApplicationError("You can only cancel your own absences.")
    user = absence.user
    audit_record(
        actor=by,
        action="sites.absence.cancel",
        target=user,
        clauses=["A.5.4"],
        details={"from": absence.starts_on.isoformat(), "to": absence.ends_on.isoformat()},
    )
    absence.delete()
    for site in _live_sites_of(user):
        site_staffing_check(site=site)


def leaver_loses_site_roles(user: User, by: User | None) -> None:
    """6.7: a leaver is removed from every site role, and each site's cover is checked again."""
    sites = _live_sites_of(user)
    roles = SiteRole.objects.filter(user=user, active=True)
    if roles.exists():
        roles.update(active=False)
        audit_record(
            actor=by, action="sites.roles.leaver_removed", target=user, clauses=["6.7", "A.5.4"]
        )
    for site in sites:
        site_staffing_check(site=site)


def sites_check_all(*, today: date | None = None) -> list[str]:
    """The periodic check: staffing and lifecycle of every live site, and lapsed approvals."""
    from socialguard.approvals.services import approval_expire_due

    lines = [
        line
        for site in Site.objects.filter(status__in=LIVE)
        if (line := site_staffing_check(site=site, today=today))
    ]
    expired = approval_expire_due(today=today)
    if expired:
        lines.append(f"{expired} approval request(s) lapsed unanswered")
    return lines
