"""Proposing, approving and running official sites. One transaction and one audit event each."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Field

from socialguard.accounts.models import User
from socialguard.approvals.models import ApprovalRequest, ApprovalStep
from socialguard.approvals.services import approval_request_open
from socialguard.approvals.workflows import Kind
from socialguard.audit.services import audit_record
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.sites.checks import site_proposal_problems
from socialguard.sites.models import Audience, Site, SiteDocument, SiteRole

EDITABLE = {Site.Status.DRAFT, Site.Status.CHANGES_REQUESTED}
PROPOSAL_FIELDS = (
    "name",
    "school",
    "department",
    "purpose",
    "aims",
    "proposed_content",
    "audience",
    "audience_other",
    "contributors",
    "contributors_other",
    "vetter",
    "host",
    "host_name",
    "host_min_age",
    "go_live_on",
    "closure_on",
    "review_on",
    "advertising_plan",
    "consent_plan",
    "security_measures",
    "contributors_have_learning_disabilities",
    "home_office_checklist_reviewed",
    "uses_school_logo",
    "stricter_mode",
)


def _proposal_check(data: dict[str, Any]) -> None:
    """Every caller (page form, API, import) is held to the model's own rules: choices, lengths
    and ranges, and the audience tick-boxes, so that bad data is refused, never saved."""
    problems: dict[str, list[str]] = {}
    for name in PROPOSAL_FIELDS:
        if name not in data or name in ("school", "vetter"):  # objects the caller looked up
            continue
        field = Site._meta.get_field(name)
        assert isinstance(field, Field)
        try:
            field.clean(data[name], None)
        except ValidationError as error:
            problems[name] = list(error.messages)
    for name in ("audience", "contributors"):
        chosen = data.get(name, [])
        if not isinstance(chosen, list) or not set(map(str, chosen)) <= set(Audience.values):
            problems[name] = [f"Choose from: {', '.join(Audience.values)}."]
    if problems:
        name, messages = next(iter(problems.items()))
        label = str(getattr(Site._meta.get_field(name), "verbose_name", name))
        raise ApplicationError(
            f"Check the proposal: {label}: {messages[0]}", code=ErrorCode.INVALID, detail=problems
        )


def _set_roles(site: Site, role: str, people: list[User]) -> None:
    wanted = {p.pk for p in people}
    site.roles.filter(role=role).exclude(user_id__in=wanted).delete()
    existing = set(site.roles.filter(role=role).values_list("user_id", flat=True))
    SiteRole.objects.bulk_create(
        SiteRole(site=site, user=p, role=role) for p in people if p.pk not in existing
    )


@transaction.atomic
def site_proposal_save(
    *,
    site: Site | None,
    by: User,
    data: dict[str, Any],
    administrators: list[User],
    moderators: list[User],
) -> Site:
    """Create or update a draft (A.3.6). The author's line manager comes from the reporting line."""
    if site is None:
        assert by.organisation_id is not None
        site = Site(organisation_id=by.organisation_id, owner=by)
    elif site.owner_id != by.pk:
        raise ApplicationError(
            "Only the author can change this proposal.", code=ErrorCode.FORBIDDEN
        )
    elif site.status not in EDITABLE:
        raise ApplicationError(
            f"This proposal is {site.get_status_display().lower()}; it can no longer be changed.",
            code=ErrorCode.CONFLICT,
        )
    _proposal_check(data)
    creating = site.pk is None
    for field in PROPOSAL_FIELDS:
        if field in data:
            setattr(site, field, data[field])
    site.line_manager = by.line_manager
    site.save()
    _set_roles(site, SiteRole.Role.ADMINISTRATOR, administrators)
    _set_roles(site, SiteRole.Role.MODERATOR, moderators)
    audit_record(
        actor=by,
        action="sites.proposal.create" if creating else "sites.proposal.update",
        target=site,
        clauses=["A.3.6"],
    )
    return site


_STATUS_BY_STEP = {
    1: Site.Status.AWAITING_LINE_MANAGER,
    2: Site.Status.AWAITING_COMMS,
    3: Site.Status.AWAITING_HEAD,
}


@transaction.atomic
def site_proposal_submit(*, site: Site, by: User) -> ApprovalRequest:
    """A.3.6: the completed Appendix B goes for sign-off: line manager, Comms, head (A.3.2)."""
    site = Site.objects.select_for_update().get(pk=site.pk)
    if site.owner_id != by.pk:
        raise ApplicationError(
            "Only the author can submit this proposal.", code=ErrorCode.FORBIDDEN
        )
    if site.status not in EDITABLE:
        raise ApplicationError("This proposal has already been submitted.", code=ErrorCode.CONFLICT)
    problems = site_proposal_problems(site)
    if problems:
        raise ApplicationError(
            "The proposal is not ready: " + " ".join(p.message for p in problems),
            code=ErrorCode.INVALID,
            detail=[
                {"field": p.field, "clauses": list(p.clauses), "message": p.message}
                for p in problems
            ],
        )
    request = approval_request_open(
        kind=Kind.SITE_PROPOSAL, subject=site, title=site.name, submitted_by=by
    )
    site.status = Site.Status.AWAITING_LINE_MANAGER
    site.save(update_fields=["status", "updated_at"])
    audit_record(actor=by, action="sites.proposal.submit", target=site, clauses=["A.3.6", "A.3.2"])
    return request


def site_follow_approval(request: ApprovalRequest, by: User) -> None:
    """Keep the register's status in step with the sign-offs (called by the approval engine)."""
    site = Site.objects.select_for_update().get(pk=request.subject_id)
    status = {
        ApprovalRequest.Status.APPROVED: Site.Status.APPROVED,
        ApprovalRequest.Status.REJECTED: Site.Status.REJECTED,
        ApprovalRequest.Status.CHANGES_REQUESTED: Site.Status.CHANGES_REQUESTED,
    }.get(ApprovalRequest.Status(request.status))
    if status is None:
        step = request.steps.filter(status=ApprovalStep.Status.ACTIVE).first()
        status = _STATUS_BY_STEP.get(step.ordinal if step else 0, Site.Status.AWAITING_HEAD)
    if site.status != status:
        site.status = status
        site.save(update_fields=["status", "updated_at"])


@transaction.atomic
def site_document_publish(*, site: Site, kind: str, text: str, by: User) -> SiteDocument:
    """A.4.1: a new version of the Terms of Use or House Rules; earlier versions are kept."""
    if not (
        by.pk == site.owner_id
        or site.roles.filter(user=by, role=SiteRole.Role.ADMINISTRATOR).exists()
    ):
        raise ApplicationError(
            "Only the owner or an administrator of the site can publish this.",
            code=ErrorCode.FORBIDDEN,
        )
    if len(text.strip()) < 20:
        raise ApplicationError("Write the full text (at least a couple of sentences).")
    latest = site.documents.filter(kind=kind).order_by("-version").first()
    document = SiteDocument.objects.create(
        site=site,
        kind=kind,
        version=(latest.version + 1) if latest else 1,
        text=text.strip(),
        published_by=by,
    )
    audit_record(
        actor=by,
        action=f"sites.document.{kind}",
        target=site,
        clauses=["A.4.1"],
        details={"version": document.version},
    )
    return document


def site_go_live_problems(site: Site) -> list[str]:
    problems = []
    if site.status != Site.Status.APPROVED:
        problems.append("The site needs all three sign-offs first (A.3.2).")
    kinds = set(site.documents.values_list("kind", flat=True))
    if SiteDocument.Kind.TERMS not in kinds:
        problems.append("Publish the site's Terms of Use (A.4.1).")
    if SiteDocument.Kind.HOUSE_RULES not in kinds:
        problems.append("Publish the site's House Rules (A.4.1).")
    for role, label in (
        (SiteRole.Role.ADMINISTRATOR, "administrators"),
        (SiteRole.Role.MODERATOR, "moderators"),
    ):
        if site.roles.filter(role=role, active=True).count() < 2:
            problems.append(f"The site needs at least two {label} (A.5.4).")
    return problems


@transaction.atomic
def site_go_live(*, site: Site, by: User) -> Site:
    site = Site.objects.select_for_update().get(pk=site.pk)
    if by.pk != site.owner_id:
        raise ApplicationError("Only the owner puts the site live.", code=ErrorCode.FORBIDDEN)
    problems = site_go_live_problems(site)
    if problems:
        raise ApplicationError(" ".join(problems), code=ErrorCode.INVALID, detail=problems)
    site.status = Site.Status.LIVE
    site.save(update_fields=["status", "updated_at"])
    audit_record(actor=by, action="sites.site.go_live", target=site, clauses=["A.4.1", "A.5.4"])
    return site


@transaction.atomic
def site_close(*, site: Site, by: User, reason: str = "") -> Site:
    """A.1.6: the exit plan carried out. The site is archived read-only; its record stays."""
    from socialguard.accounts.selectors import has_role

    site = Site.objects.select_for_update().get(pk=site.pk)
    if by.pk != site.owner_id and not has_role(by, "head_teacher"):
        raise ApplicationError(
            "Only the owner or the head teacher closes a site.", code=ErrorCode.FORBIDDEN
        )
    if site.status == Site.Status.CLOSED:
        raise ApplicationError("This site is already closed.", code=ErrorCode.ALREADY_DONE)
    site.status = Site.Status.CLOSED
    site.degraded_since = None
    site.save(update_fields=["status", "degraded_since", "updated_at"])
    audit_record(
        actor=by,
        action="sites.site.close",
        target=site,
        clauses=["A.1.6"],
        details={"reason": reason[:300]},
    )
    return site


# The kinds of request that are not a new site; the approval engine knows their steps.
OTHER_REQUEST_KINDS = {
    Kind.THIRD_PARTY_PARTICIPATION: False,  # value: whether a site of ours must be named
    Kind.CONTENT: True,
    Kind.LOGO_USE: False,
    Kind.ADVERT_FOR_CONTRIBUTORS: True,
    Kind.EXTERNAL_FRIEND: True,
}


@transaction.atomic
def site_request_submit(
    *, kind: Kind, title: str, details: str, by: User, site: Site | None = None
) -> ApprovalRequest:
    """A.3.3-A.3.5, A.5.8, A.5.9: ask for sign-off; the steps come from the approval workflow."""
    from socialguard.sites.models import SiteRequest

    if kind not in OTHER_REQUEST_KINDS:
        raise ApplicationError("Choose what you are asking approval for.")
    if OTHER_REQUEST_KINDS[kind] and site is None:
        raise ApplicationError("Name the official site this is for.")
    if site is not None and site.organisation_id != by.organisation_id:
        raise ApplicationError(
            "That site belongs to another organisation.", code=ErrorCode.FORBIDDEN
        )
    if not title.strip() or len(details.strip()) < 10:
        raise ApplicationError("Give a title and enough detail for the approvers to decide.")
    assert by.organisation_id is not None
    subject = SiteRequest.objects.create(
        organisation_id=by.organisation_id,
        site=site,
        kind=kind.value,
        title=title.strip()[:200],
        details=details.strip(),
        requested_by=by,
    )
    request = approval_request_open(
        kind=kind, subject=subject, title=subject.title, submitted_by=by
    )
    audit_record(
        actor=by,
        action=f"sites.request.{kind.value}",
        target=subject,
        clauses=sorted({c for s in request.steps.all() for c in s.clauses}),
    )
    return request
