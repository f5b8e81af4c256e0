"""Asking for one of the policy's other approvals (participation, content, logo, advert,
friend): the page the approvals inbox offers at /approvals/new/ (registered in ``apps``)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from socialguard.accounts.models import User
from socialguard.approvals.workflows import KIND_LABELS, Kind
from socialguard.core.errors import ApplicationError
from socialguard.sites.models import Site
from socialguard.sites.services import OTHER_REQUEST_KINDS, site_request_submit


def other_request_new(request: HttpRequest) -> HttpResponse:
    """Ask for one of the policy's other approvals: participation, content, logo, advert, friend."""
    assert isinstance(request.user, User)
    user = request.user
    if not user.has_perm("sites.propose") or user.organisation_id is None:
        raise Http404("Only staff members ask for approvals.")
    sites = Site.objects.filter(organisation_id=user.organisation_id).exclude(
        status__in=("draft", "closed", "rejected")
    )
    if request.method == "POST":
        try:
            site = sites.filter(pk=request.POST.get("site") or 0).first()
            approval = site_request_submit(
                kind=Kind(request.POST.get("kind", "")),
                title=request.POST.get("title", ""),
                details=request.POST.get("details", ""),
                by=user,
                site=site,
            )
            messages.success(request, "Sent for approval.")
            return redirect("approvals:detail", pk=approval.pk)
        except ValueError:
            messages.error(request, "Choose what you are asking approval for.")
        except ApplicationError as error:
            messages.error(request, error.message)
    kinds = [(kind.value, KIND_LABELS[kind]) for kind in OTHER_REQUEST_KINDS]
    return render(
        request, "sites/other_request.html", {"kinds": kinds, "sites": sites, "data": request.POST}
    )
