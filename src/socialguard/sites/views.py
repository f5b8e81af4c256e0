from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from socialguard.core.errors import ApplicationError
from socialguard.core.http import signed_in_user
from socialguard.sites import selectors, services
from socialguard.sites.checks import site_proposal_problems
from socialguard.sites.forms import DocumentForm, ProposalForm, RegisterFilterForm
from socialguard.sites.models import Site, SiteRole


def _site_or_404(request: HttpRequest, pk: int) -> Site:
    site = selectors.access_site(user=request.user, pk=pk)
    if site is None:
        raise Http404("No such site.")
    return site


@permission_required("sites.view_register", raise_exception=True)
def site_register(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    form = RegisterFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    sites = selectors.site_register(user=request.user, **{k: v for k, v in filters.items() if v})
    if request.GET.get("format") == "csv":
        response = StreamingHttpResponse(
            selectors.site_register_csv(sites=sites), content_type="text/csv"
        )
        response["Content-Disposition"] = 'attachment; filename="official-sites.csv"'
        return response
    rows = [
        {
            "site": site,
            "administrators": selectors.people(site, SiteRole.Role.ADMINISTRATOR),
            "moderators": selectors.people(site, SiteRole.Role.MODERATOR),
            "documents": selectors.current_documents(site),
        }
        for site in sites
    ]
    return render(request, "sites/register.html", {"rows": rows, "form": form})


@permission_required("sites.propose", raise_exception=True)
def site_mine(request: HttpRequest) -> HttpResponse:
    return render(
        request, "sites/mine.html", {"sites": selectors.sites_of_author(user=request.user)}
    )


@permission_required("sites.propose", raise_exception=True)
def site_proposal_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    site = _site_or_404(request, pk) if pk else None
    if site is not None and site.owner_id != request.user.pk:
        raise Http404("No such proposal.")
    author = signed_in_user(request)
    form = ProposalForm(request.POST or None, instance=site, author=author)
    if request.method == "POST" and form.is_valid():
        data = {
            k: v for k, v in form.cleaned_data.items() if k not in ("administrators", "moderators")
        }
        try:
            site = services.site_proposal_save(
                site=site,
                by=author,
                data=data,
                administrators=list(form.cleaned_data["administrators"]),
                moderators=list(form.cleaned_data["moderators"]),
            )
            if "submit" in request.POST:
                services.site_proposal_submit(site=site, by=author)
                messages.success(
                    request, "Submitted. Your line manager has been asked to sign it off."
                )
            else:
                messages.success(request, "Draft saved. You can come back to it at any time.")
            return redirect("sites:detail", pk=site.pk)
        except ApplicationError as error:
            if site is not None and site.pk:
                messages.error(
                    request, "Saved as a draft, but not submitted yet: fix the points below."
                )
                return redirect("sites:detail", pk=site.pk)
            messages.error(request, error.message)
    return render(
        request, "sites/proposal_form.html", {"form": form, "site": site, "author": author}
    )


def site_detail(request: HttpRequest, pk: int) -> HttpResponse:
    site = _site_or_404(request, pk)
    is_owner = site.owner_id == request.user.pk
    context = {
        "site": site,
        "is_owner": is_owner,
        "problems": site_proposal_problems(site) if site.status in services.EDITABLE else [],
        "sheets": selectors.site_approval_sheets(site=site),
        "documents": selectors.current_documents(site),
        "administrators": selectors.people(site, SiteRole.Role.ADMINISTRATOR),
        "moderators": selectors.people(site, SiteRole.Role.MODERATOR),
        "go_live_problems": services.site_go_live_problems(site)
        if site.status == Site.Status.APPROVED
        else [],
        "document_form": DocumentForm() if is_owner else None,
    }
    return render(request, "sites/detail.html", context)


@require_POST
def site_submit(request: HttpRequest, pk: int) -> HttpResponse:
    site = _site_or_404(request, pk)
    try:
        services.site_proposal_submit(site=site, by=signed_in_user(request))
        messages.success(request, "Submitted. Your line manager has been asked to sign it off.")
    except ApplicationError as error:
        messages.error(
            request,
            "Not submitted yet: fix the points listed below." if error.detail else error.message,
        )
    return redirect("sites:detail", pk=pk)


@require_POST
def site_document_publish(request: HttpRequest, pk: int) -> HttpResponse:
    site = _site_or_404(request, pk)
    form = DocumentForm(request.POST)
    if form.is_valid():
        try:
            document = services.site_document_publish(
                site=site,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                by=signed_in_user(request),
            )
            messages.success(request, f"Published {document} .")
        except ApplicationError as error:
            messages.error(request, error.message)
    return redirect("sites:detail", pk=pk)


@require_POST
def site_go_live(request: HttpRequest, pk: int) -> HttpResponse:
    site = _site_or_404(request, pk)
    try:
        services.site_go_live(site=site, by=signed_in_user(request))
        messages.success(request, f"{site.name} is live.")
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("sites:detail", pk=pk)


def site_form_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    site = _site_or_404(request, pk)
    try:
        from socialguard.sites.pdf import site_proposal_pdf
    except ImportError as error:  # pragma: no cover - the PDF module ships with the app
        raise Http404("PDF export is not available.") from error
    response = HttpResponse(site_proposal_pdf(site=site), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="appendix-b-{site.pk}.pdf"'
    return response


def site_evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    """A.1.7: the owner evaluates the site against each aim and decides what happens next."""
    from socialguard.sites.lifecycle import MET, site_evaluation_record

    site = _site_or_404(request, pk)
    if site.owner_id != request.user.pk:
        raise Http404("No such site.")
    if request.method == "POST":
        rows = [
            {
                "aim": aim,
                "met": request.POST.get(f"met_{i}", ""),
                "evidence": request.POST.get(f"evidence_{i}", ""),
            }
            for i, aim in enumerate(site.aims_list)
        ]
        try:
            site_evaluation_record(
                site=site,
                by=signed_in_user(request),
                against_aims=rows,
                decision=request.POST.get("decision", ""),
                notes=request.POST.get("notes", ""),
            )
            messages.success(request, "Evaluation recorded.")
            return redirect("sites:detail", pk=pk)
        except ApplicationError as error:
            messages.error(request, error.message)
    return render(request, "sites/evaluate.html", {"site": site, "met_choices": MET})


@require_POST
def site_close(request: HttpRequest, pk: int) -> HttpResponse:
    site = _site_or_404(request, pk)
    try:
        services.site_close(
            site=site, by=signed_in_user(request), reason=request.POST.get("reason", "")
        )
        messages.success(request, f"{site.name} is closed and archived read-only.")
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("sites:detail", pk=pk)


def site_export(request: HttpRequest, pk: int) -> HttpResponse:
    from socialguard.sites.lifecycle import site_export_json

    site = _site_or_404(request, pk)
    response = HttpResponse(site_export_json(site=site), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="site-{site.pk}-record.json"'
    return response


@permission_required("sites.propose", raise_exception=True)
def absences(request: HttpRequest) -> HttpResponse:
    """A.5.4: site administrators and moderators record leave so cover can be checked ahead."""
    from datetime import date

    from socialguard.sites.models import Absence
    from socialguard.sites.staffing import absence_cancel, absence_record

    user = signed_in_user(request)
    if request.method == "POST":
        try:
            if cancel := request.POST.get("cancel"):
                absence = Absence.objects.filter(pk=cancel, user=user).first()
                if absence is None:
                    raise Http404("No such absence.")
                absence_cancel(absence=absence, by=user)
                messages.success(request, "Absence cancelled.")
            else:
                absence_record(
                    user=user,
                    starts_on=date.fromisoformat(request.POST.get("starts_on", "")),
                    ends_on=date.fromisoformat(request.POST.get("ends_on", "")),
                    reason=request.POST.get("reason", ""),
                    by=user,
                )
                messages.success(request, "Absence recorded; your sites' cover has been checked.")
            return redirect("sites:absences")
        except ValueError:
            messages.error(request, "Give both dates, like 2026-12-01.")
        except ApplicationError as error:
            messages.error(request, error.message)
    context = {
        "absences": Absence.objects.filter(user=user, ends_on__gte=date.today()),
        "roles": SiteRole.objects.filter(user=user, active=True).select_related("site"),
    }
    return render(request, "sites/absences.html", context)
