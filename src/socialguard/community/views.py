from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from socialguard.accounts.models import School
from socialguard.community import selectors, services
from socialguard.community.images import MAX_BYTES
from socialguard.community.models import Contribution, Image, Membership
from socialguard.core.errors import ApplicationError
from socialguard.core.http import choice, form_id, signed_in_user
from socialguard.core.unavailable import unsaved_message
from socialguard.sites.models import Site, SiteDocument
from socialguard.sites.staffing import site_mode

PAGE_SIZE = 20


def _hosted_site(request: HttpRequest, pk: int) -> Site:
    organisation_id = getattr(request.user, "organisation_id", None) or 0
    site = (
        selectors.hosted_sites()
        .filter(pk=pk, organisation_id=organisation_id)
        .select_related("school", "owner")
        .first()
    )
    if site is None:
        raise Http404("No such site.")
    return site


def _site_context(request: HttpRequest, site: Site) -> dict:
    membership = selectors.membership_of(site, request.user)
    return {
        "site": site,
        "membership": membership,
        "settings": selectors.community_settings(site),
        "mode": site_mode(site),
        "is_team": request.user.pk in selectors.site_team_ids(site),
    }


def index(request: HttpRequest) -> HttpResponse:
    rows = selectors.community_sites_for(request.user)
    return render(request, "community/index.html", {"rows": rows})


def site_home(request: HttpRequest, pk: int) -> HttpResponse:
    site = _hosted_site(request, pk)
    context = _site_context(request, site)
    if not selectors.can_view(site, request.user, context["membership"]):
        return render(
            request, "community/join.html", {**context, "kinds": Membership.Kind}, status=200
        )
    page = Paginator(selectors.stream(site), PAGE_SIZE).get_page(request.GET.get("page"))
    user = request.user
    membership = context["membership"]
    mode = context["mode"]
    context.update(
        page=page,
        can_post=not selectors.contribution_refusal(
            site, user, Contribution.Kind.POST, membership, mode
        ),
        can_image=not selectors.contribution_refusal(
            site, user, Contribution.Kind.IMAGE, membership, mode
        ),
        can_comment=not selectors.contribution_refusal(
            site, user, Contribution.Kind.COMMENT, membership, mode
        ),
        max_mb=MAX_BYTES // 1048576,
        # A post that was refused comes back in the box, so nothing typed is lost.
        draft=request.session.pop(_draft_key(site), ""),
    )
    return render(request, "community/site.html", context)


def _draft_key(site: Site) -> str:
    return f"community:draft:{site.pk}"


@require_POST
@unsaved_message("Your post was not saved, please try again.")
def contribute(request: HttpRequest, pk: int) -> HttpResponse:
    site = _hosted_site(request, pk)
    kind = choice(
        request.POST.get("kind", Contribution.Kind.POST), Contribution.Kind.values, label="kind"
    )
    upload = request.FILES.get("image")
    if upload is not None and upload.size and upload.size > MAX_BYTES:
        messages.error(request, f"The image is larger than {MAX_BYTES // 1048576} MB.")
        return redirect("community:site", pk=pk)
    parent = None
    if kind == Contribution.Kind.COMMENT:
        parent_id = form_id(request.POST, "parent", label="post being answered")
        parent = Contribution.objects.filter(pk=parent_id or 0, site=site).first()
    try:
        contribution = services.contribution_submit(
            site=site,
            by=signed_in_user(request),
            kind=Contribution.Kind.IMAGE if upload is not None else kind,
            body=request.POST.get("body", ""),
            image=upload.read() if upload is not None else None,
            parent=parent,
        )
        if contribution.status == Contribution.Status.WITHHELD:
            # With the safeguarding leads: a kind word, and nothing to say it was flagged.
            messages.success(request, services.SUPPORT_MESSAGE)
        else:
            messages.success(
                request,
                "Thank you. A moderator checks everything before it appears on the site; "
                "you can follow it under 'My contributions'.",
            )
    except ApplicationError as error:
        messages.error(request, error.message)
        if kind == Contribution.Kind.POST and upload is None:
            request.session[_draft_key(site)] = request.POST.get("body", "")[:5000]
    return redirect("community:site", pk=pk)


@require_POST
def join(request: HttpRequest, pk: int) -> HttpResponse:
    site = _hosted_site(request, pk)
    try:
        services.membership_request(
            site=site,
            by=signed_in_user(request),
            kind=request.POST.get("kind", Membership.Kind.MEMBER),
            note=request.POST.get("note", ""),
            external_organisation=request.POST.get("external_organisation", ""),
        )
        messages.success(request, "Asked. You will hear when the site's vetter has decided.")
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("community:site", pk=pk)


@require_POST
def report(request: HttpRequest, pk: int, contribution_pk: int) -> HttpResponse:
    site = _hosted_site(request, pk)
    contribution = get_object_or_404(Contribution, pk=contribution_pk, site=site)
    try:
        services.contribution_report(
            contribution=contribution,
            by=signed_in_user(request),
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, "Reported. The site's moderators will look at it.")
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("community:site", pk=pk)


def mine(request: HttpRequest, pk: int) -> HttpResponse:
    """What the member posted, its status and, when it was not published, why."""
    site = _hosted_site(request, pk)
    context = _site_context(request, site)
    page = Paginator(selectors.contributions_of(site, request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "community/mine.html", {**context, "page": page})


def document(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    site = _hosted_site(request, pk)
    if kind not in SiteDocument.Kind.values:
        raise Http404("No such document.")
    context = _site_context(request, site)
    doc = selectors.current_document(site, kind)
    return render(
        request,
        "community/document.html",
        {**context, "document": doc, "rules": selectors.house_rules(site)},
    )


def image(request: HttpRequest, pk: int) -> FileResponse:
    """Images are served only to those who may see them: members for published images, the
    author and the site's team for images still held."""
    stored = get_object_or_404(Image.objects.select_related("site"), pk=pk)
    site = stored.site
    user = request.user
    allowed = False
    contribution = Contribution.objects.filter(image=stored).first()
    if contribution is not None and contribution.status == Contribution.Status.WITHHELD:
        # With the safeguarding leads, the image follows the item: they see their own frozen
        # copy on its page; here it is served to nobody (A.2.3).
        raise Http404("No such image.")
    if user.organisation_id == site.organisation_id:  # type: ignore[union-attr]
        team = user.pk in selectors.site_team_ids(site)
        if contribution is not None and contribution.visible_to_members:
            allowed = selectors.can_view(site, user)
        elif contribution is not None:
            allowed = team or contribution.author_id == user.pk
    if not allowed:
        raise Http404("No such image.")
    response = FileResponse(stored.file.open("rb"), content_type=stored.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


def logo(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    """The school's logo (A.4.7); a crest with the school's initials until one is uploaded.
    Only for the viewer's own organisation, like the site pages that show it: another
    organisation's crest is not found."""
    organisation_id = getattr(request.user, "organisation_id", None) or 0
    school = get_object_or_404(School, pk=pk, organisation_id=organisation_id)
    if school.logo:
        return FileResponse(school.logo.open("rb"))
    initials = "".join(word[0] for word in school.name.split() if word[:1].isupper())[:3]
    response = render(
        request, "community/crest.svg", {"initials": initials}, content_type="image/svg+xml"
    )
    response["Cache-Control"] = "private, max-age=86400"
    return response
