"""The API's policy, acknowledgement and contribution endpoints (issue 15 point 4), over the
same selectors and services as the pages. Lists take ``limit`` and ``offset`` and send the total
in ``X-Total-Count``; each has the filters its page has."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Query, Router, Schema

from socialguard.api.api import ERRORS, MAX_ID, page_of, require_perm
from socialguard.community.models import Contribution
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.core.http import signed_in_user
from socialguard.policy import selectors as policy_selectors
from socialguard.policy.services import policy_acknowledge

router = Router()
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=MAX_ID)]


def _page(rows: QuerySet[Any] | list[Any], limit: int, offset: int, response: HttpResponse) -> Any:
    return page_of(rows, limit=limit, offset=offset, response=response)


class ClauseOut(Schema):
    number: str
    text: str
    obligation: str


class PolicyOut(Schema):
    id: int
    title: str
    version: str
    approved_on: date | None
    next_review_on: date | None
    review_overdue: bool
    acknowledged_at: datetime | None
    clauses: list[ClauseOut]


class AcknowledgementOut(Schema):
    version_id: int
    at: datetime


class StaffAcknowledgementOut(Schema):
    person_id: int
    name: str
    position: str
    school: str
    acknowledged_at: datetime | None


class ContributionOut(Schema):
    id: int
    site_id: int
    site: str
    kind: str
    status: str
    status_label: str
    reason: str
    created_at: datetime
    published_at: datetime | None


def _current(request: HttpRequest) -> Any:
    user = signed_in_user(request)
    version = (
        policy_selectors.policy_current(organisation=user.organisation)
        if user.organisation is not None
        else None
    )
    if version is None:
        raise Http404("Your organisation has no current policy.")
    return version


@router.get(
    "/policy",
    response={200: PolicyOut, **ERRORS},
    summary="The current policy, its clauses (filter by number: clause=A.5), my acknowledgement",
)
def policy_get(request: HttpRequest, clause: Annotated[str, Query(max_length=12)] = "") -> Any:
    version = _current(request)
    clauses = version.clauses.order_by("position")
    if clause:
        clauses = clauses.filter(number__startswith=clause)
    mine = policy_selectors.policy_acknowledged_by(person=request.user, version=version)
    return {
        "id": version.pk,
        "title": version.title,
        "version": version.version,
        "approved_on": version.approved_on,
        "next_review_on": version.next_review_on,
        "review_overdue": policy_selectors.policy_review_overdue(version=version),
        "acknowledged_at": mine.at if mine else None,
        "clauses": [
            {"number": c.number, "text": c.text, "obligation": c.obligation} for c in clauses
        ],
    }


@router.post(
    "/policy/acknowledge",
    response={200: AcknowledgementOut, **ERRORS},
    summary="Acknowledge the current policy (2.1: staff members)",
)
def policy_acknowledge_endpoint(request: HttpRequest) -> Any:
    ack = policy_acknowledge(person=signed_in_user(request), version=_current(request))
    return {"version_id": ack.version_id, "at": ack.at}


@router.get(
    "/policy/acknowledgements",
    response={200: list[StaffAcknowledgementOut], **ERRORS},
    summary="Who has and has not acknowledged the current policy (head teacher, administrator)",
)
def policy_acknowledgements_list(
    request: HttpRequest,
    response: HttpResponse,
    school_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    acknowledged: bool | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    require_perm(request, "policy.view_acknowledgements")
    version = _current(request)
    rows = []
    for group in policy_selectors.policy_acknowledgement_status(
        organisation=version.organisation, version=version
    ):
        if school_id is not None and (group.school is None or group.school.pk != school_id):
            continue
        pairs: list[tuple[Any, datetime | None]]
        pairs = [(p, a.at) for p, a in group.acknowledged] if acknowledged is not False else []
        pairs += [(p, None) for p in group.outstanding] if acknowledged is not True else []
        rows += [
            {
                "person_id": p.pk,
                "name": p.get_full_name() or p.username,
                "position": p.position,
                "school": group.school.name if group.school else "",
                "acknowledged_at": at,
            }
            for p, at in pairs
        ]
    rows.sort(key=lambda r: (r["school"], r["name"]))
    return _page(rows, limit, offset, response)


# A pupil's post that went to the safeguarding leads shows to its author as "received", as on
# the "My contributions" page: nothing tells them, or anyone reading over their shoulder, where.
_AS_AUTHOR_SEES: dict[str, tuple[str, str]] = {
    Contribution.Status.WITHHELD: ("received", "Received")
}


def _contribution_out(c: Contribution) -> dict[str, Any]:
    status, label = _AS_AUTHOR_SEES.get(c.status, (c.status, c.get_status_display()))
    shows_reason = c.status in (Contribution.Status.REJECTED, Contribution.Status.REMOVED)
    return {
        "id": c.pk,
        "site_id": c.site_id,
        "site": c.site.name,
        "kind": c.kind,
        "status": status,
        "status_label": label,
        "reason": c.reason if shows_reason else "",
        "created_at": c.created_at,
        "published_at": c.published_at,
    }


@router.get(
    "/contributions",
    response={200: list[ContributionOut], **ERRORS},
    summary="My contributions on school sites, newest first, with why one was not published",
)
def contributions_mine(
    request: HttpRequest,
    response: HttpResponse,
    site_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    status: Annotated[str, Query(max_length=20)] = "",
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    user = signed_in_user(request)
    rows = (
        Contribution.objects.filter(author=user)
        .select_related("site")
        .order_by("-created_at", "-pk")
    )
    if site_id is not None:
        rows = rows.filter(site_id=site_id)
    if status:
        if status == "received":
            status = Contribution.Status.WITHHELD
        elif status not in Contribution.Status.values or status == Contribution.Status.WITHHELD:
            raise ApplicationError("Choose a status the list shows.", code=ErrorCode.INVALID)
        rows = rows.filter(status=status)
    return [_contribution_out(c) for c in _page(rows, limit, offset, response)]
