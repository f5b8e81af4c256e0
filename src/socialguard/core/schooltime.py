"""School time: the minutes between two moments that fall inside the school day, Monday to
Friday (settings ``SOCIALGUARD_SCHOOL_DAY``, default 08:00 to 17:00, local time). A post sent at
9 pm on Friday has waited 0 minutes of school time by Monday at 8 am."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

MAX_DAYS = 120  # longer waits are far past any target anyway


def _day_bounds() -> tuple[time, time]:
    start, end = getattr(settings, "SOCIALGUARD_SCHOOL_DAY", ("08:00", "17:00"))
    return time.fromisoformat(start), time.fromisoformat(end)


def school_minutes_between(start: datetime, end: datetime) -> float:
    if end <= start:
        return 0.0
    zone = timezone.get_current_timezone()
    start, end = start.astimezone(zone), end.astimezone(zone)
    opens, closes = _day_bounds()
    total = 0.0
    day: date = start.date()
    last = min(end.date(), start.date() + timedelta(days=MAX_DAYS))
    while day <= last:
        if day.weekday() < 5:
            day_open = datetime.combine(day, opens, tzinfo=zone)
            day_close = datetime.combine(day, closes, tzinfo=zone)
            lo, hi = max(start, day_open), min(end, day_close)
            if hi > lo:
                total += (hi - lo).total_seconds() / 60
        day += timedelta(days=1)
    return total
