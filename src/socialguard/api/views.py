"""The API's documentation page: Swagger UI from our own static files (no CDN)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from socialguard.core.middleware import CONTENT_SECURITY_POLICY

# Swagger UI sets style attributes as it draws (React), which 'style-src self' refuses; only
# this page allows inline styles. Scripts stay 'self' only: no inline or evaluated script.
DOCS_CSP = CONTENT_SECURITY_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


@login_not_required
def api_docs(request: HttpRequest) -> HttpResponse:
    response = render(request, "api/docs.html", {"schema_url": reverse("api-1:openapi-json")})
    response["Content-Security-Policy"] = DOCS_CSP
    return response
