"""The safeguarding leads' list of referral agencies (A.5.6): add a local agency, retire one
the school never uses, bring one back."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from socialguard.core.errors import ApplicationError
from socialguard.core.http import signed_in_user
from socialguard.safeguarding import agencies
from socialguard.safeguarding.forms import AgencyAddForm


@permission_required("safeguarding.view_concerns", raise_exception=True)
def agency_list(request: HttpRequest) -> HttpResponse:
    by = signed_in_user(request)
    organisation = by.organisation
    if organisation is None:
        raise PermissionDenied("The leads' agency list belongs to an organisation.")
    form = AgencyAddForm(request.POST if request.POST.get("intent") == "add" else None)
    if request.method == "POST":
        try:
            if request.POST.get("intent") == "add":
                if form.is_valid():
                    added = agencies.referral_agency_add(
                        organisation=organisation, by=by, name=form.cleaned_data["name"]
                    )
                    messages.success(request, f"{added.name} added to the list.")
                    return redirect("safeguarding:agencies")
            elif request.POST.get("intent") in ("retire", "restore"):
                changed = agencies.referral_agency_set_active(
                    organisation=organisation,
                    by=by,
                    code=request.POST.get("code", "")[:40],
                    active=request.POST["intent"] == "restore",
                )
                verb = "is offered again" if changed.active else "is no longer offered"
                messages.success(request, f"{changed.name} {verb}.")
                return redirect("safeguarding:agencies")
            else:
                messages.error(request, "Choose what to do.")
        except ApplicationError as error:
            messages.error(request, error.message)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "safeguarding/agencies.html",
        {"agencies": agencies.referral_agencies_of(organisation=organisation), "form": form},
        status=status,
    )
