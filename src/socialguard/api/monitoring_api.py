"""Monitoring findings (issue 14), with the same visibility as the pages: findings about staff
for the IT / monitoring lead and the head teacher; about pupils also for the safeguarding
leads; nobody else sees any. ``limit`` and ``offset``, the total in ``X-Total-Count``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema

from socialguard.api.api import ERRORS, MAX_ID, page_of
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.core.http import signed_in_user
from socialguard.monitoring import selectors
from socialguard.monitoring.models import Clause, FindingStatus

router = Router(tags=["monitoring"])
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=MAX_ID)]


class FindingOut(Schema):
    id: int
    reference: str
    clause: str
    clause_label: str
    kind: str
    summary: str
    about: str | None
    about_pupil: bool
    school: str | None
    occurred_at: datetime
    week_starts: date | None
    status: str
    status_label: str
    evidence_sha256: str
    evidence_lines: int


def _out(finding: Any) -> dict[str, Any]:
    subject = finding.subject
    return {
        "id": finding.pk,
        "reference": finding.reference,
        "clause": finding.clause,
        "clause_label": finding.get_clause_display(),
        "kind": finding.kind,
        "summary": finding.summary,
        "about": (subject.get_full_name() or subject.username) if subject else None,
        "about_pupil": finding.subject_is_pupil,
        "school": finding.school.name if finding.school else None,
        "occurred_at": finding.occurred_at,
        "week_starts": finding.week_starts,
        "status": finding.status,
        "status_label": finding.get_status_display(),
        "evidence_sha256": finding.evidence_sha256,
        "evidence_lines": finding.evidence_count,
    }


@router.get(
    "/monitoring-findings",
    response={200: list[FindingOut], **ERRORS},
    summary="Monitoring findings I may see (filter by clause and status)",
)
def monitoring_findings(
    request: HttpRequest,
    response: HttpResponse,
    clause: Annotated[str, Query(max_length=8)] = "",
    status: Annotated[str, Query(max_length=20)] = "",
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    from django.db.models import Count

    user = signed_in_user(request)
    organisation = user.organisation
    if organisation is None or not selectors.can_see_monitoring(user, organisation):
        raise ApplicationError(
            "Monitoring findings are for the IT / monitoring lead, the head teacher and the "
            "safeguarding leads.",
            code=ErrorCode.FORBIDDEN,
        )
    if clause and clause not in Clause.values:
        raise ApplicationError(
            f"clause is one of {', '.join(Clause.values)}.", code=ErrorCode.INVALID
        )
    if status and status not in FindingStatus.values:
        raise ApplicationError(
            f"status is one of {', '.join(FindingStatus.values)}.", code=ErrorCode.INVALID
        )
    rows = selectors.findings_visible_to(user=user, organisation=organisation)
    if clause:
        rows = rows.filter(clause=clause)
    if status:
        rows = rows.filter(status=status)
    rows = rows.annotate(evidence_count=Count("evidence"))
    return [_out(f) for f in page_of(rows, limit=limit, offset=offset, response=response)]
