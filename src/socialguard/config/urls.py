from django.contrib import admin
from django.urls import include, path

from socialguard.core.access import access_rule, admin_access

admin.site.site_header = "socialguard administration"
admin.site.site_title = "socialguard"

# admin.site.urls builds new patterns on every read: take them once, so the declarations stick.
ADMIN_URLS = admin.site.urls

urlpatterns = [
    path("", include("socialguard.core.urls")),
    path("accounts/", include("socialguard.accounts.urls")),
    path("policy/", include("socialguard.policy.urls")),
    path("audit/", include("socialguard.audit.urls")),
    path("outbox/", include("socialguard.notifications.urls")),
    path("sites/", include("socialguard.sites.urls")),
    path("approvals/", include("socialguard.approvals.urls")),
    path("community/", include("socialguard.community.urls")),
    path("lexicon/", include("socialguard.lexicon.urls")),
    path("moderation/", include("socialguard.moderation.urls")),
    path("safeguarding/", include("socialguard.safeguarding.urls")),
    path("cases/", include("socialguard.cases.urls")),
    path("reports/", include("socialguard.reports.urls")),
    path("check-my-post/", include("socialguard.postcheck.urls")),
    path("integrations/", include("socialguard.integrations.urls")),
    path("monitoring/", include("socialguard.monitoring.urls")),
    path("api/", include(("socialguard.api.urls", "ninja"), namespace="api-1")),
    path("admin/", ADMIN_URLS),
]

handler400 = "socialguard.core.views.error_400"
# The admin's URLs are generated; one rule declares who may open each kind (core.access).
access_rule(ADMIN_URLS[0], admin_access)

handler403 = "socialguard.core.views.error_403"
handler404 = "socialguard.core.views.error_404"
