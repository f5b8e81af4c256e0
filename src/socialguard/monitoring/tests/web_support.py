"""Findings made directly (as the engine would make them) for the pages' and triage tests, so
those tests do not depend on the parser; the browser test and the upload test use the engine."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from socialguard.monitoring.findings import evidence_hash
from socialguard.monitoring.models import FindingEvidence, MonitoringFinding

_count = [0]
FACEBOOK = (
    "1764578400.000 87 10.20.1.30 TCP_MISS/200 4312 GET http://www.facebook.com/ aisha "
    "HIER_DIRECT/198.51.100.7 text/html"
)
SEARCH = (
    "1764578400.000 87 10.20.4.17 TCP_MISS/200 4312 GET "
    "https://www.google.com/search?q=how+to+hurt+myself - HIER_DIRECT/198.51.100.7 text/html"
)


def finding(
    organisation: Any,
    subject: Any,
    *,
    clause: str = "6.13",
    pupil: bool = False,
    summary: str = "",
    lines: tuple[str, ...] = (FACEBOOK,),
    details: dict[str, Any] | None = None,
) -> MonitoringFinding:
    _count[0] += 1
    kind = {"6.13": "social_media_week", "6.11": "encyclopaedia_edit", "A.2.3": "pupil_search"}[
        clause
    ]
    when = timezone.now() - timedelta(days=2)
    week = date.today() - timedelta(days=date.today().weekday() + 7)
    hashes = [hashlib.sha256(line.encode()).hexdigest() for line in lines]
    found = MonitoringFinding.objects.create(
        organisation=organisation,
        reference=f"MF-TEST-{_count[0]:04d}",
        key=f"test-{_count[0]}",
        clause=clause,
        kind=kind,
        subject=subject,
        subject_is_pupil=pupil,
        school=getattr(subject, "school", None),
        occurred_at=when,
        week_starts=week if clause == "6.13" else None,
        summary=summary or f"A test finding under {clause}.",
        details=details or {},
        evidence_sha256=evidence_hash(hashes),
    )
    for n, (line, sha) in enumerate(zip(lines, hashes, strict=True), start=1):
        FindingEvidence.objects.create(
            finding=found, line_number=n, file_name="access.log", at=when, line=line, sha256=sha
        )
    return found


def staff_finding(cast: Any, **kw: Any) -> MonitoringFinding:
    return finding(
        cast.organisation,
        cast.teacher,
        summary="James Carter: 48 minutes of personal social media in contracted hours.",
        **kw,
    )


def pupil_finding(cast: Any, **kw: Any) -> MonitoringFinding:
    return finding(
        cast.organisation,
        cast.pupil,
        clause="A.2.3",
        pupil=True,
        summary="A pupil searched for something that may mean they are at risk.",
        lines=(SEARCH,),
        details={"engine": "google", "query": "how to hurt myself", "categories": ["self_harm"]},
        **kw,
    )


def aware(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))
