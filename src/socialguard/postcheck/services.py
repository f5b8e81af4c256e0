"""Checking a draft post, and counting that it happened.

Private by design (the staff member's own words, before they decide to publish them): the
draft and its image are screened in memory and returned to the person who sent them, and
nothing about them is written, logged, audited or sent. The one thing kept is how many checks
an organisation ran each day, for the governors' report, without who or when within the day.
That count is the only write, and it has no audit event on purpose: an event would record who
checked a post and when, which is exactly what must not be kept."""

from __future__ import annotations

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from socialguard.accounts.models import Organisation, User
from socialguard.accounts.roster import roster_cache_key, roster_for
from socialguard.accounts.selectors import is_staff_member
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.postcheck.checks import MAX_TEXT, DraftCheck, draft_check
from socialguard.postcheck.models import PostCheckDay
from socialguard.screening.base import Roster

ROSTER_SECONDS = 60


def _roster(organisation: Organisation) -> Roster:
    # The same cache entry community's screening reads, cleared when the roster changes.
    key = roster_cache_key(organisation.pk)
    roster = cache.get(key)
    if not isinstance(roster, Roster):
        roster = Roster.from_dict(roster_for(organisation=organisation))
        cache.set(key, roster, ROSTER_SECONDS)
    return roster


def post_check(*, by: User, text: str, image: bytes | None = None) -> DraftCheck:
    """Check a draft for ``by``'s own social media (6.1, 6.8, 6.9, 6.10, 6.12, 6.15)."""
    if not is_staff_member(by) or by.organisation is None:
        raise ApplicationError(
            "Checking a post is for the school's staff members.", code=ErrorCode.FORBIDDEN
        )
    text = text.strip()
    if not text and not image:
        raise ApplicationError("Paste the post you want to check, or choose a photo.")
    if len(text) > MAX_TEXT:
        raise ApplicationError(
            f"The post is {len(text):,} characters long: check it in parts of up to "
            f"{MAX_TEXT:,} characters."
        )
    result = draft_check(text=text, image=image, roster=_roster(by.organisation))
    post_check_count(organisation=by.organisation)
    return result


def post_check_count(*, organisation: Organisation) -> None:
    """One more check today for ``organisation`` (local date), safe with many at once."""
    today = timezone.localdate()
    rows = PostCheckDay.objects.filter(organisation=organisation, day=today)
    if rows.update(checks=F("checks") + 1):
        return
    try:
        with transaction.atomic():
            PostCheckDay.objects.create(organisation=organisation, day=today, checks=1)
    except IntegrityError:  # another check created today's row first
        rows.update(checks=F("checks") + 1)
