"""Nothing sits unseen (ANCHORS §4.3): stale items escalate, they never expire.

- A content or membership item waiting longer than its site's target (default 4 hours of school
  time) reminds the site's available moderators; at twice the target it goes to the site's
  owner and the head teacher as well.
- An item handed to the safeguarding leads has left the queue; its ladder (15 minutes: the
  cover DSL, 30: the head teacher) is safeguarding's (``safeguarding.checks``).

Each level is sent once (``reminder_level``), so the check is safe to run often and from
several workers."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from socialguard.accounts.models import Role, User
from socialguard.accounts.selectors import people_with_role
from socialguard.audit.services import audit_record
from socialguard.core.schooltime import school_minutes_between
from socialguard.moderation.models import ReviewItem
from socialguard.moderation.outcomes import outcomes
from socialguard.notifications.services import email_after_commit
from socialguard.sites.models import Absence, Site

DEFAULT_TARGET = 240


def available_moderators(site: Site, today: date) -> list[User]:
    roles = site.roles.filter(active=True).select_related("user")
    away = set(
        Absence.objects.filter(
            user_id__in=[r.user_id for r in roles], starts_on__lte=today, ends_on__gte=today
        ).values_list("user_id", flat=True)
    )
    return [
        r.user for r in roles if r.user.is_active and not r.user.left_on and r.user_id not in away
    ]


def _remind_sites(now: datetime) -> list[str]:
    lines: list[str] = []
    pending = (
        ReviewItem.objects.filter(status=ReviewItem.Status.PENDING, reminder_level__lt=2)
        .select_related("site", "site__organisation", "site__owner")
        .order_by("site_id", "created_at")
    )
    targets = outcomes().review_targets()
    due: dict[tuple[int, int], list[ReviewItem]] = defaultdict(list)
    for item in pending:
        target = targets.get(item.site_id, DEFAULT_TARGET)
        waited = school_minutes_between(item.created_at, now)
        level = 2 if waited >= 2 * target else 1 if waited >= target else 0
        if level > item.reminder_level:
            due[(item.site_id, level)].append(item)
    for (_, level), items in sorted(due.items()):
        site = items[0].site
        with transaction.atomic():
            moderators = available_moderators(site, now.date())
            people = list(moderators)
            if level == 2:
                people += [
                    site.owner,
                    *people_with_role(
                        organisation=site.organisation,
                        roles=[Role.HEAD_TEACHER],
                        school=site.school,
                    ),
                ]
            ReviewItem.objects.filter(pk__in=[i.pk for i in items]).update(reminder_level=level)
            email_after_commit(
                recipients=people,
                subject=f"{len(items)} item(s) waiting on {site.name}"
                + (" (escalated)" if level == 2 else ""),
                template="moderation/email/reminder.txt",
                context={
                    "site": site,
                    "count": len(items),
                    "level": level,
                    "link": reverse("moderation:queue") + f"?site={site.pk}",
                },
                organisation_id=site.organisation_id,
                category="moderation.reminder",
            )
            audit_record(
                actor=None,
                action="moderation.queue.remind" if level == 1 else "moderation.queue.escalate",
                target=site,
                clauses=["A.5.3", "A.5.4"],
                organisation_id=site.organisation_id,
                details={"items": [i.pk for i in items], "told": sorted(p.pk for p in people)},
            )
        lines.append(
            f"{site.name}: {len(items)} item(s) over the target; "
            + ("escalated to the owner and head teacher" if level == 2 else "moderators reminded")
        )
    return lines


def moderation_check_all(*, now: datetime | None = None) -> list[str]:
    now = now or timezone.now()
    return _remind_sites(now)
