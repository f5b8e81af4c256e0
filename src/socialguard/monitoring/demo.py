"""The demo federation's monitoring: a default source, contracted hours, the autumn term, a DHCP
lease for a pupil's classroom laptop, and a small Squid log of one school week (23 to 27 November
2026) with a 6.13 week above the threshold, a 6.11 edit, an encrypted encyclopaedia visit that is
not claimed as an edit, and a pupil's search that reaches the DSL. Every person is fictional.

``socialguard monitoring ingest src/socialguard/monitoring/data/demo-squid.log`` reads the same
lines as the loader (the shipped copy uses the demo's own user names); on the loaded demo it adds
nothing, as the source remembers what it has read."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from socialguard.accounts.models import Organisation, Role, User
from socialguard.monitoring.models import TermDate, WorkingHours
from socialguard.monitoring.services import (
    ingest_file,
    lease_import,
    settings_for,
    source_default,
)

WEEK = date(2026, 11, 23)  # a Monday in the autumn term (GMT: local time is UTC)
DEMO_LOG = Path(__file__).parent / "data" / "demo-squid.log"
PUPIL_LAPTOP = "10.20.4.17"


def _line(at: datetime, ip: str, method: str, url: str, user: str, status: int = 200) -> str:
    code = "TCP_TUNNEL" if method == "CONNECT" else "TCP_MISS"
    mime = "-" if method == "CONNECT" else "text/html"
    return (
        f"{at.timestamp():.3f} {87:6d} {ip} {code}/{status} 4312 {method} {url} {user} "
        f"HIER_DIRECT/198.51.100.7 {mime}"
    )


def demo_log(names: dict[str, str]) -> str:
    """The demo week's log; ``names`` maps demo user names to the names the proxy writes."""
    lines: list[tuple[datetime, str]] = []

    def at(day: int, hh: int, mm: int, ss: int = 0) -> datetime:
        return datetime.combine(WEEK + timedelta(days=day), time(hh, mm, ss), tzinfo=UTC)

    # Ordinary lessons: the BBC and maths practice from the teachers' laptops.
    for day in range(5):
        for minute in range(0, 300, 7):
            when = at(day, 9, 0) + timedelta(minutes=minute)
            who = "teacher" if minute % 2 else "teacher2"
            url = "http://www.bbc.co.uk/bitesize" if minute % 3 else "http://ttrockstars.com/play"
            lines.append((when, _line(when, "10.20.1.12", "GET", url, names[who])))
    # 6.13: Aisha Begum on Facebook and Instagram in lesson time, about 16 minutes a day on
    # three days: 48 minutes in the week, above the 30-minute threshold.
    for day in (0, 2, 3):
        for minute in range(16):
            when = at(day, 10, 5 + minute, 12)
            host = "www.facebook.com/" if minute % 2 else "www.instagram.com/explore"
            lines.append(
                (when, _line(when, "10.20.1.30", "GET", f"http://{host}", names["teacher2"]))
            )
    # Below the threshold: Ben Howarth, ten minutes on the Wednesday.
    for minute in range(10):
        when = at(2, 13, 20 + minute, 40)
        lines.append(
            (when, _line(when, "10.20.1.41", "GET", "http://m.facebook.com/home.php", names["ta"]))
        )
    # 6.11: James Carter opens the editor on the school's Wikipedia page and saves a change.
    page = "http://en.wikipedia.org/w/index.php?title=Stafford_Primary_School"
    when = at(1, 11, 42, 5)
    lines.append((when, _line(when, "10.20.1.12", "GET", f"{page}&action=edit", names["teacher"])))
    when = at(1, 11, 49, 31)
    lines.append(
        (when, _line(when, "10.20.1.12", "POST", f"{page}&action=submit", names["teacher"]))
    )
    # Encrypted only: the contractor reads Wikipedia; no edit can be seen, none is claimed.
    when = at(3, 14, 2, 0)
    lines.append(
        (when, _line(when, "10.20.1.50", "CONNECT", "en.wikipedia.org:443", names["contractor"]))
    )
    # A.2.3: pupils on the Year 4 laptop (no proxy user name: the DHCP lease says who).
    searches = [
        (1, 10, 15, "volcano+facts+for+kids"),
        (1, 10, 16, "how+to+hurt+myself+without+anyone+knowing"),
        (2, 9, 30, "times+tables+games"),
    ]
    for day, hh, mm, query in searches:
        when = at(day, hh, mm, 3)
        url = f"http://www.google.co.uk/search?q={query}&hl=en"
        lines.append((when, _line(when, PUPIL_LAPTOP, "GET", url, "-")))
    # Not attributed: a visitor's phone on the guest network, counted and never guessed.
    when = at(4, 12, 30, 0)
    lines.append((when, _line(when, "10.20.9.9", "GET", "http://www.youtube.com/", "-")))
    lines.sort(key=lambda item: item[0])
    text = [line for _, line in lines]
    text.insert(len(text) // 2, "this line was cut short by a proxy restart")
    return "\n".join(text) + "\n"


def _lease_csv(pupil: User) -> str:
    starts = datetime.combine(WEEK, time(8, 0), tzinfo=UTC)
    ends = starts + timedelta(days=4, hours=9)
    return (
        "ip,starts_at,ends_at,username,device\n"
        f"{PUPIL_LAPTOP},{starts.isoformat()},{ends.isoformat()},{pupil.username},STAFFORD-Y4-07\n"
    )


def load_demo_monitoring(organisation: Organisation, people: dict[str, User]) -> None:
    it_lead = people["itlead"]
    source = source_default(organisation=organisation)
    settings_for(organisation=organisation)
    TermDate.objects.get_or_create(
        organisation=organisation,
        label="Autumn term 2026",
        starts_on=date(2026, 9, 3),
        ends_on=date(2026, 12, 18),
    )
    for weekday in range(5):
        WorkingHours.objects.get_or_create(
            organisation=organisation,
            role=Role.STAFF,
            weekday=weekday,
            starts=time(8, 30),
            ends=time(16, 30),
        )
    lease_import(source=source, file=io.StringIO(_lease_csv(people["pupil"])), by=it_lead)
    names = {key: user.username for key, user in people.items()}
    log = io.BytesIO(demo_log(names).encode())
    ingest_file(source=source, path=log, by=it_lead, name="demo-squid.log")
