from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from socialguard.core.dashboard import dashboard_cards_for, role_labels_for
from socialguard.core.http import InvalidInput


def dashboard(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/dashboard.html",
        {
            "cards": dashboard_cards_for(request.user),  # type: ignore[arg-type]
            "role_labels": role_labels_for(request.user),  # type: ignore[arg-type]
        },
    )


@login_not_required
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: the process is up and the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Only our own messages are shown: a SuspiciousOperation's text may describe internals.
    message = str(exception) if isinstance(exception, InvalidInput) else ""
    return render(request, "400.html", {"message": message}, status=400)
