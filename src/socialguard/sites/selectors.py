"""Reading sites: the register, a person's proposals, permission-checked fetches."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from socialguard.accounts.selectors import has_role, is_staff_member
from socialguard.core.csv_safe import SafeWriter
from socialguard.sites.models import Site, SiteDocument, SiteRole


def site_register(*, user: Any, status: str = "", host: str = "", q: str = "") -> QuerySet[Site]:
    """Every site of the organisation, with owner, roles and current documents in 3 queries."""
    sites = (
        Site.objects.filter(organisation_id=user.organisation_id)
        .exclude(status=Site.Status.DRAFT)
        .select_related("owner", "school")
        .prefetch_related(
            Prefetch("roles", queryset=SiteRole.objects.filter(active=True).select_related("user")),
            Prefetch("documents", queryset=SiteDocument.objects.order_by("kind", "-version")),
        )
        .order_by("name")
    )
    if status:
        sites = sites.filter(status=status)
    if host:
        sites = sites.filter(host=host)
    if q:
        sites = sites.filter(
            Q(name__icontains=q) | Q(host_name__icontains=q) | Q(owner__last_name__icontains=q)
        )
    return sites


def sites_of_author(*, user: Any) -> QuerySet[Site]:
    return Site.objects.filter(owner=user).order_by("-updated_at")


def access_site(*, user: Any, pk: int) -> Site | None:
    """Staff of the organisation see sites that have left draft; a draft only its author."""
    org_id = getattr(user, "organisation_id", None)
    site = Site.objects.filter(pk=pk, organisation_id=org_id).first() if org_id else None
    if site is None:
        return None
    if site.owner_id == user.pk:
        return site
    if site.status == Site.Status.DRAFT:
        return None
    if is_staff_member(user) or has_role(user, "administrator"):
        return site
    return None


def current_documents(site: Site) -> dict[str, SiteDocument]:
    latest: dict[str, SiteDocument] = {}
    for document in site.documents.all():
        if document.kind not in latest or document.version > latest[document.kind].version:
            latest[document.kind] = document
    return latest


def people(site: Site, role: str) -> list[Any]:
    return [r.user for r in site.roles.all() if r.role == role and r.active]


REGISTER_COLUMNS = (
    "name",
    "status",
    "host",
    "host_name",
    "owner",
    "administrators",
    "moderators",
    "go_live_on",
    "review_on",
    "closure_on",
    "terms_of_use_version",
    "house_rules_version",
)


def site_register_csv(*, sites: QuerySet[Site]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    writer.writerow(REGISTER_COLUMNS)
    for site in sites:
        docs = current_documents(site)
        writer.writerow(
            [
                site.name,
                site.get_status_display(),
                site.get_host_display(),
                site.host_name,
                site.owner.get_full_name(),
                "; ".join(str(p) for p in people(site, SiteRole.Role.ADMINISTRATOR)),
                "; ".join(str(p) for p in people(site, SiteRole.Role.MODERATOR)),
                site.go_live_on or "",
                site.review_on or "",
                site.closure_on or "",
                docs["terms"].version if "terms" in docs else "",
                docs["house_rules"].version if "house_rules" in docs else "",
            ]
        )
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def site_approval_sheets(*, site: Site) -> list[dict[str, Any]]:
    """For each sign-off request of the site (newest first): every step with its last decision,
    as the APPROVAL section of the paper Appendix B shows them."""
    from socialguard.approvals.models import ApprovalRequest

    requests = (
        ApprovalRequest.objects.filter(kind="site_proposal", subject_id=site.pk)
        .prefetch_related("steps__decisions__approver", "steps__decisions__on_behalf_of")
        .order_by("-created_at")
    )
    sheets = []
    for request in requests:
        rows = []
        for step in request.steps.all():
            decisions = list(step.decisions.all())
            rows.append({"step": step, "decision": decisions[-1] if decisions else None})
        sheets.append({"request": request, "rows": rows})
    return sheets
