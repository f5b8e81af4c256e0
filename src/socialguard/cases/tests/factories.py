"""Building breach reports, cases and media enquiries for tests, through the services."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from socialguard.cases import media, services
from socialguard.cases.models import BreachCase, BreachReport, MediaEnquiry

WHAT = "Saw photos of the Year 2 trip on a personal Instagram account."


def report(cast: Any, **kwargs: Any) -> BreachReport:
    fields: dict[str, Any] = {
        "organisation": cast.organisation,
        "reporter_name": "Dave Mills",
        "reporter_email": "dave@contractor.example",
        "reporter_relationship": "contractor",
        "what_happened": WHAT,
        **kwargs,
    }
    return services.breach_report_submit(**fields)


def case(
    cast: Any, *, about: Any = None, by: Any = None, clauses: tuple[str, ...] = ("6.9",)
) -> BreachCase:
    return services.breach_report_triage(
        report=report(cast),
        by=by or cast.head,
        staff_member=about or cast.teacher,
        clauses=list(clauses),
        summary="Pupils' photos on a personal account.",
    )


def decided(cast: Any, *, outcome: str = "warning", by: Any = None) -> BreachCase:
    """A case through a hearing to an outcome decided by ``by`` (the head by default)."""
    by = by or cast.head
    found = case(cast, by=by)
    services.case_stage_move(case=found, by=by, to="hearing")
    return services.case_outcome_record(case=found, by=by, outcome=outcome, reason="Proven.")


def named(cast: Any, person: Any) -> Any:
    return services.case_access_grant(user=person, by=cast.head)


def enquiry(cast: Any, *, by: Any = None, hours: float = 5, **kwargs: Any) -> MediaEnquiry:
    fields: dict[str, Any] = {
        "by": by or cast.teacher,
        "enquirer_name": "Sam Porter",
        "outlet": "Eastbourne Herald",
        "contact": "01632 960999",
        "about": "The volcano photos on the class blog.",
        "deadline": timezone.now() + timedelta(hours=hours),
        **kwargs,
    }
    return media.media_enquiry_log(**fields)
