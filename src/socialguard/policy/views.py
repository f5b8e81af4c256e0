from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from socialguard.accounts.models import Organisation
from socialguard.accounts.selectors import organisation_for_public_page
from socialguard.core.errors import ApplicationError
from socialguard.policy import selectors, services


@login_not_required
def policy_current(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """The policy is public, as schools publish theirs; each clause is linkable by its number."""
    organisation = organisation_for_public_page(request.user, slug)
    if organisation is None:
        return render(request, "policy/choose.html", {"organisations": Organisation.objects.all()})
    version = selectors.policy_current(organisation=organisation)
    if version is None:
        return render(request, "policy/none.html", {"organisation": organisation})
    context = {
        "organisation": organisation,
        "version": version,
        "sections": selectors.policy_sections_with_clauses(version=version),
        "review_overdue": selectors.policy_review_overdue(version=version),
        "acknowledgement": selectors.policy_acknowledged_by(person=request.user, version=version),
        "can_acknowledge": request.user.has_perm("policy.acknowledge")
        and request.user.organisation_id == organisation.pk,  # type: ignore[union-attr]
    }
    return render(request, "policy/policy.html", context)


@require_POST
def policy_acknowledge(request: HttpRequest) -> HttpResponse:
    organisation = request.user.organisation  # type: ignore[union-attr]
    version = selectors.policy_current(organisation=organisation) if organisation else None
    if version is None or str(version.pk) != request.POST.get("version"):
        messages.error(request, "The policy has changed since you opened it. Please read it again.")
        return redirect("policy:current")
    try:
        services.policy_acknowledge(person=request.user, version=version)  # type: ignore[arg-type]
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("policy:current")
    messages.success(request, f"Thank you. You have acknowledged version {version.version}.")
    return redirect("core:dashboard")


@permission_required("policy.view_acknowledgements", raise_exception=True)
def policy_acknowledgements(request: HttpRequest) -> HttpResponse:
    organisation = request.user.organisation  # type: ignore[union-attr]
    if organisation is None:
        raise Http404("Deployment administrators have no organisation; sign in as its head.")
    version = selectors.policy_current(organisation=organisation)
    groups = (
        selectors.policy_acknowledgement_status(organisation=organisation, version=version)
        if version
        else []
    )
    return render(
        request,
        "policy/acknowledgements.html",
        {"organisation": organisation, "version": version, "groups": groups},
    )
