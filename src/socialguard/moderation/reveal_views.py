"""The page a moderator gets after one click on "Show the masked words" (POST, audited)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from socialguard.core.errors import ApplicationError
from socialguard.core.http import signed_in_user
from socialguard.moderation import selectors
from socialguard.moderation.models import ReviewItem
from socialguard.moderation.permissions import reviewer_for
from socialguard.moderation.services.reveal import review_item_reveal


@require_POST
def reveal(request: HttpRequest, pk: int) -> HttpResponse:
    reviewer = reviewer_for(request.user)
    found = selectors.access_item(reviewer=reviewer, pk=pk)
    if found is None or found.status == ReviewItem.Status.SAFEGUARDING:
        raise Http404("No such item, or it is not yours to review.")
    try:
        segments = review_item_reveal(item=found, by=signed_in_user(request))
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("moderation:item", pk=pk)
    view = selectors.item_view(found, reviewer)
    row = {**view, "segments": segments}
    return render(request, "moderation/revealed.html", {"item": found, "row": row})
