from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from socialguard.core.errors import ApplicationError
from socialguard.core.http import parse_id, signed_in_user
from socialguard.moderation import selectors, services
from socialguard.moderation.models import ReviewItem
from socialguard.moderation.outcomes import outcomes
from socialguard.moderation.permissions import ACTION_LABELS, BULK_ACTIONS, reviewer_for
from socialguard.moderation.services import REJECTION_CLAUSES
from socialguard.moderation.services.handover import SOURCE_TYPE
from socialguard.safeguarding.selectors import escalation_for_source
from socialguard.screening.categories import safeguarding_codes
from socialguard.sites.models import Site

PAGE_SIZE = 50
SIMPLE_ACTIONS = ("approve", "dismiss", "claim", "release")


def _int(value: str | None) -> int | None:
    return parse_id(value)  # 400 for "abc", "²" or a number past 64 bits


def queue(request: HttpRequest) -> HttpResponse:
    reviewer = reviewer_for(request.user)
    if not reviewer.reviews_anything:
        raise Http404("You do not moderate any site.")
    site_id = _int(request.GET.get("site"))
    type_ = request.GET.get("type", "")
    if type_ not in ReviewItem.Type.values:
        type_ = ""
    items = selectors.review_queue(reviewer=reviewer, site_id=site_id, type=type_)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [selectors.item_view(item, reviewer) for item in page]
    sites = Site.objects.filter(
        pk__in=reviewer.moderated_site_ids | reviewer.vetting_site_ids
    ).order_by("name")
    return render(
        request,
        "moderation/queue.html",
        {
            "page": page,
            "rows": rows,
            "sites": sites,
            "types": ReviewItem.Type.choices,
            "site_id": site_id,
            "type": type_,
            "labels": ACTION_LABELS,
            "bulk_actions": BULK_ACTIONS,
            "clauses": REJECTION_CLAUSES,
            "bulk_rules": list(enumerate(outcomes().house_rules(site_id=site_id), start=1))
            if site_id and sites.filter(pk=site_id).exists()
            else [],
        },
    )


def item(request: HttpRequest, pk: int) -> HttpResponse:
    reviewer = reviewer_for(request.user)
    found = selectors.access_item(reviewer=reviewer, pk=pk)
    if found is None:
        raise Http404("No such item, or it is not yours to review.")
    if found.status == ReviewItem.Status.SAFEGUARDING:
        escalation = escalation_for_source(source_type=SOURCE_TYPE, source_id=found.pk)
        if escalation is None:
            raise Http404("No such item.")
        return redirect("moderation:safeguarding_item", pk=escalation.pk)
    view = selectors.item_view(found, reviewer)
    context = {**view, "view": view}
    context.update(
        labels=ACTION_LABELS,
        buttons=[(a, ACTION_LABELS[a]) for a in view["actions"] if a in SIMPLE_ACTIONS],
        rules=outcomes().house_rules(site_id=found.site_id),
        clauses=REJECTION_CLAUSES,
        categories=safeguarding_codes(),
        signals=found.signals.select_related("actor"),
        history=found.history.select_related("actor"),
    )
    return render(request, "moderation/item.html", context)


@require_POST
def act(request: HttpRequest, pk: int) -> HttpResponse:
    action = request.POST.get("action", "")
    version = _int(request.POST.get("version")) or 0
    by = signed_in_user(request)
    try:
        if action in ("claim", "release"):
            services.review_claim(item_id=pk, by=by, version=version, release=action == "release")
        else:
            services.review_perform(
                item_id=pk,
                by=by,
                action=action,
                version=version,
                reason=request.POST.get("reason", ""),
                basis=request.POST.get("basis", ""),
                body=request.POST.get("body", ""),
                category=request.POST.get("category", ""),
            )
        messages.success(request, f"Done: {ACTION_LABELS.get(action, action).lower()}.")
    except ApplicationError as error:
        messages.error(request, error.message)
    if action == "raise_safeguarding":
        messages.info(request, "The item is hidden and the safeguarding leads have been told.")
    if action == "claim" or (request.POST.get("next") == "item" and action != "raise_safeguarding"):
        return redirect("moderation:item", pk=pk)
    return redirect(_back(request))


def _back(request: HttpRequest) -> str:
    back = request.POST.get("back", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return back
    return reverse("moderation:queue")


@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    chosen: dict[int, int] = {}
    for value in request.POST.getlist("items"):
        item_id, _, version = value.partition(":")
        found, seen = parse_id(item_id), parse_id(version)
        if found is not None and seen is not None:
            chosen[found] = seen
    if not chosen:
        messages.error(request, "Tick the items first.")
        return redirect("moderation:queue")
    try:
        result = services.review_bulk(
            items=chosen,
            by=signed_in_user(request),
            action=request.POST.get("action", ""),
            reason=request.POST.get("reason", ""),
            basis=request.POST.get("basis", ""),
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("moderation:queue")
    if result.done:
        messages.success(request, f"{len(result.done)} item(s) done.")
    for failed_id, why in result.failed.items():
        messages.error(request, f"Item {failed_id}: {why}")
    return redirect(_back(request))
