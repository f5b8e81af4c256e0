"""The REST API (OpenAPI at /api/openapi.json) over the same services and permissions as the
pages. A person's API token (``Authorization: Bearer sg_…``, made at /integrations/api-tokens/)
or a session (with CSRF on writes) authenticates it; a read-only token is refused every write.
Errors share one shape: ``{"code", "message", "detail"}``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Path, Query, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, django_auth

from socialguard.accounts.selectors import staff_members_of
from socialguard.approvals import selectors as approval_selectors
from socialguard.approvals.services import approval_decide
from socialguard.community.rendering import highlighted
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.core.http import MAX_ID, signed_in_user
from socialguard.moderation import selectors as moderation_selectors
from socialguard.moderation.models import ReviewItem
from socialguard.moderation.permissions import actions_for, can_see, reviewer_for
from socialguard.moderation.services import review_perform
from socialguard.sites import selectors as site_selectors
from socialguard.sites import services as site_services
from socialguard.sites.models import Audience, Site, SiteRole

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenAuth(HttpBearer):
    """A person's API token: the request acts as that person, with their permissions."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from socialguard.integrations.models import ApiToken
        from socialguard.integrations.tokens import api_token_user

        found = api_token_user(token=token)
        if found is None:
            return None
        user, row = found
        if request.method not in SAFE_METHODS and row.scope != ApiToken.Scope.WRITE:
            raise ApplicationError(
                "This token may only read: make a read and write token to change anything.",
                code=ErrorCode.FORBIDDEN,
            )
        request.user = user
        return user


api = NinjaAPI(title="socialguard", version="1", auth=[TokenAuth(), django_auth], docs_url=None)
STATUS = {
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.CONFLICT: 409,
    ErrorCode.ALREADY_DONE: 409,
}


@api.exception_handler(ApplicationError)
def application_error(request: HttpRequest, error: ApplicationError) -> HttpResponse:
    return api.create_response(request, error.as_dict(), status=STATUS.get(error.code, 400))


@api.exception_handler(Http404)
def not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    body = {"code": "not_found", "message": str(error) or "Not found.", "detail": None}
    return api.create_response(request, body, status=404)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
    """Input that does not match the schema: 422, in the one error shape, every problem listed."""
    first = error.errors[0] if error.errors else {}
    where = ".".join(str(part) for part in first.get("loc", ()) if part not in ("body", "payload"))
    message = f"Check {where or 'the request'}: {first.get('msg', 'it is not valid')}."
    body = {"code": "invalid", "message": message, "detail": error.errors}
    return api.create_response(request, body, status=422)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    body = {
        "code": "unauthenticated",
        "message": "Sign in first, or send a valid API token (Authorization: Bearer …).",
        "detail": None,
    }
    return api.create_response(request, body, status=401)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    body = {"code": "invalid", "message": str(error), "detail": None}
    return api.create_response(request, body, status=error.status_code)


class ErrorOut(Schema):
    """The one error shape of the whole API."""

    code: str
    message: str
    detail: Any = None


# Every operation documents every error it can answer with, in the one shape.
ERRORS: dict[int, type[Schema]] = {code: ErrorOut for code in (400, 401, 403, 404, 409, 422)}
# Ids are 64-bit on every database we run on: a larger number names nothing (and SQLite raises).
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]


class SiteOut(Schema):
    id: int
    name: str
    status: str
    status_label: str
    host: str
    host_name: str
    owner: str
    administrators: list[str]
    moderators: list[str]
    go_live_on: date | None
    closure_on: date | None
    review_on: date | None
    terms_of_use_version: int | None
    house_rules_version: int | None
    short_of_cover: bool


class ProposalIn(Schema):
    name: str = Field(min_length=1, max_length=160)
    department: str = Field("", max_length=120)
    purpose: str = ""
    aims: str = ""
    proposed_content: str = ""
    audience: list[Audience] = []
    contributors: list[Audience] = []
    host: Site.Host = Site.Host.SCHOOL
    host_name: str = Field("", max_length=120)
    host_min_age: int | None = Field(None, ge=0, le=120)
    go_live_on: date | None = None
    closure_on: date | None = None
    consent_plan: str = ""
    security_measures: str = ""
    home_office_checklist_reviewed: bool = False
    administrator_ids: list[Id] = []
    moderator_ids: list[Id] = []


class ApprovalOut(Schema):
    id: int
    kind: str
    title: str
    status: str
    submitted_by: str
    current_step: str | None


class DecisionIn(Schema):
    decision: str = Field(max_length=40)
    comment: str = ""
    signature_method: str = Field("typed_name", max_length=40)
    signature: str = Field(max_length=200)


def _site_out(site: Site) -> dict[str, Any]:
    documents = site_selectors.current_documents(site)
    return {
        "id": site.pk,
        "name": site.name,
        "status": site.status,
        "status_label": site.get_status_display(),
        "host": site.host,
        "host_name": site.host_name,
        "owner": str(site.owner),
        "administrators": [
            str(p) for p in site_selectors.people(site, SiteRole.Role.ADMINISTRATOR)
        ],
        "moderators": [str(p) for p in site_selectors.people(site, SiteRole.Role.MODERATOR)],
        "go_live_on": site.go_live_on,
        "closure_on": site.closure_on,
        "review_on": site.review_on,
        "terms_of_use_version": documents["terms"].version if "terms" in documents else None,
        "house_rules_version": documents["house_rules"].version
        if "house_rules" in documents
        else None,
        "short_of_cover": site.is_degraded,
    }


def _approval_out(request: Any) -> dict[str, Any]:
    step = request.current_step()
    return {
        "id": request.pk,
        "kind": request.kind,
        "title": request.title,
        "status": request.status,
        "submitted_by": str(request.submitted_by),
        "current_step": step.name if step else None,
    }


def require_perm(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise ApplicationError("You do not have access to this.", code=ErrorCode.FORBIDDEN)


_require = require_perm


def page_of(rows: Any, *, limit: int, offset: int, response: HttpResponse) -> Any:
    """One page of a list (a queryset or a list), the total in ``X-Total-Count``."""
    total = rows.count() if isinstance(rows, QuerySet) else len(rows)
    response["X-Total-Count"] = str(total)
    return rows[offset : offset + limit]


@api.get(
    "/sites", response={200: list[SiteOut], **ERRORS}, summary="The register of official sites"
)
def sites_register(
    request: HttpRequest,
    response: HttpResponse,
    status: str = "",
    host: str = "",
    limit: Annotated[int, Query(ge=1, le=200)] = 200,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> list[dict[str, Any]]:
    _require(request, "sites.view_register")
    sites = site_selectors.site_register(user=request.user, status=status, host=host)
    return [_site_out(s) for s in page_of(sites, limit=limit, offset=offset, response=response)]


@api.get("/sites/{site_id}", response={200: SiteOut, **ERRORS})
def site_get(request: HttpRequest, site_id: PathId) -> dict[str, Any]:
    site = site_selectors.access_site(user=request.user, pk=site_id)
    if site is None:
        raise Http404("No such site.")
    return _site_out(site)


@api.post(
    "/sites", response={201: SiteOut, **ERRORS}, summary="Save an Appendix B proposal as a draft"
)
def site_propose(request: HttpRequest, payload: ProposalIn) -> tuple[int, dict[str, Any]]:
    _require(request, "sites.propose")
    user = signed_in_user(request)
    data = payload.dict(exclude={"administrator_ids", "moderator_ids"})
    if user.organisation is None:
        raise ApplicationError(
            "Only members of an organisation propose sites.", code=ErrorCode.FORBIDDEN
        )
    staff = staff_members_of(organisation=user.organisation)
    site = site_services.site_proposal_save(
        site=None,
        by=user,
        data=data,
        administrators=list(staff.filter(pk__in=payload.administrator_ids)),
        moderators=list(staff.filter(pk__in=payload.moderator_ids)),
    )
    return 201, _site_out(site)


@api.post(
    "/sites/{site_id}/submit",
    response={200: ApprovalOut, **ERRORS},
    summary="Submit for the three sign-offs",
)
def site_submit(request: HttpRequest, site_id: PathId) -> dict[str, Any]:
    site = site_selectors.access_site(user=request.user, pk=site_id)
    if site is None:
        raise Http404("No such site.")
    return _approval_out(site_services.site_proposal_submit(site=site, by=signed_in_user(request)))


@api.get(
    "/approvals/waiting",
    response={200: list[ApprovalOut], **ERRORS},
    summary="Requests waiting for my sign-off",
)
def approvals_waiting(
    request: HttpRequest,
    response: HttpResponse,
    limit: Annotated[int, Query(ge=1, le=200)] = 200,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> list[dict[str, Any]]:
    waiting = approval_selectors.approval_requests_awaiting(request.user)
    return [
        _approval_out(r) for r in page_of(waiting, limit=limit, offset=offset, response=response)
    ]


@api.post("/approvals/{request_id}/decide", response={200: ApprovalOut, **ERRORS})
def approval_decide_endpoint(
    request: HttpRequest, request_id: PathId, payload: DecisionIn
) -> dict[str, Any]:
    approval = approval_selectors.access_approval_request(user=request.user, pk=request_id)
    if approval is None:
        raise Http404("No such request, or it is not your turn to see it yet.")
    approval_decide(
        request=approval,
        approver=signed_in_user(request),
        decision=payload.decision,
        comment=payload.comment,
        signature_method=payload.signature_method,
        signature=payload.signature,
    )
    approval.refresh_from_db()
    return _approval_out(approval)


# --- The review queue (issue 5) ----------------------------------------------------------


class FindingOut(Schema):
    category: str
    clauses: list[str]
    severity: str


class ReviewItemOut(Schema):
    id: int
    type: str
    site_id: int
    site: str
    status: str
    priority: int
    version: int
    created_at: datetime
    author: str
    text: str
    findings: list[FindingOut]
    faces: int
    blocked_by_engine: bool
    actions: list[str]


class ReviewActionIn(Schema):
    action: str = Field(max_length=40)
    version: int = Field(ge=0, le=MAX_ID)
    reason: str = ""
    basis: str = ""
    body: str = ""
    category: str = ""


def _masked_text(item: ReviewItem) -> str:
    """What the page shows a moderator: the text with personal data masked."""
    contribution = item.contribution
    if contribution is None:
        return ""
    segments = highlighted(contribution.body, item.payload.get("findings", []))
    return "".join(segment.text for segment in segments)


def _item_out(item: ReviewItem, actions: list[str]) -> dict[str, Any]:
    contribution = item.contribution
    membership = item.membership
    author = (
        contribution.author_label
        if contribution is not None
        else (membership.display_name if membership is not None else "")
    )
    findings = [
        {
            "category": f.get("category", ""),
            "clauses": list(f.get("clauses", [])),
            "severity": f.get("severity", ""),
        }
        for f in item.payload.get("findings", [])
        if not f.get("redact")
    ]
    return {
        "id": item.pk,
        "type": item.type,
        "site_id": item.site_id,
        "site": item.site.name,
        "status": item.status,
        "priority": item.priority,
        "version": item.version,
        "created_at": item.created_at,
        "author": author,
        "text": _masked_text(item),
        "findings": findings,
        "faces": item.faces,
        "blocked_by_engine": item.blocked_by_engine,
        "actions": actions,
    }


@api.get(
    "/review-items",
    response={200: list[ReviewItemOut], **ERRORS},
    summary="The review queue: open items of the sites I moderate or vet, most urgent first",
)
def review_items(
    request: HttpRequest,
    response: HttpResponse,
    site_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    type: str = "",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> list[dict[str, Any]]:
    reviewer = reviewer_for(request.user)
    items = moderation_selectors.review_queue(reviewer=reviewer, site_id=site_id, type=type)
    page = page_of(items, limit=limit, offset=offset, response=response)
    return [_item_out(item, actions_for(item, reviewer)) for item in page]


@api.post(
    "/review-items/{item_id}/actions",
    response={200: ReviewItemOut, **ERRORS},
    summary="Decide an item (send the version you read: a stale one gets 409)",
)
def review_item_act(
    request: HttpRequest, item_id: PathId, payload: ReviewActionIn
) -> dict[str, Any]:
    reviewer = reviewer_for(request.user)
    found = ReviewItem.objects.select_related("membership").filter(pk=item_id).first()
    if found is None or not can_see(found, reviewer):
        raise Http404("No such review item.")
    item = review_perform(
        item_id=item_id,
        by=signed_in_user(request),
        action=payload.action,
        version=payload.version,
        reason=payload.reason,
        basis=payload.basis,
        body=payload.body,
        category=payload.category,
    )
    out = _item_out(item, actions_for(item, reviewer))
    if not can_see(item, reviewer):
        # Raised as a safeguarding concern: it has left this person's view, content included.
        out.update(text="", findings=[])
    return out
