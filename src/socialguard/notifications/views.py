from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from socialguard.notifications.selectors import outbox_for


@permission_required("notifications.view_outbox", raise_exception=True)
def outbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(outbox_for(request.user), 50).get_page(request.GET.get("page"))
    keeps_copies = settings.EMAIL_BACKEND.endswith("DatabaseOutboxBackend")
    return render(
        request, "notifications/outbox.html", {"page": page, "keeps_copies": keeps_copies}
    )


@permission_required("notifications.view_outbox", raise_exception=True)
def outbox_message(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(outbox_for(request.user), pk=pk)
    return render(request, "notifications/message.html", {"message": message})
