from django.urls import path

from socialguard.accounts.models import Role
from socialguard.core.access import STAFF, access
from socialguard.integrations import views

ADMINISTRATORS = {Role.ADMINISTRATOR}

app_name = "integrations"
urlpatterns = [
    access(path("api-tokens/", views.api_tokens, name="api_tokens"), allow={STAFF}),
    access(path("webhook/", views.webhook, name="webhook"), allow=ADMINISTRATORS),
    access(path("roster/", views.roster, name="roster"), allow=ADMINISTRATORS),
    access(
        path("roster/columns/", views.roster_columns, name="roster_columns"),
        allow=ADMINISTRATORS,
    ),
    access(
        path("roster/<int:pk>/", views.roster_import, name="roster_import"),
        allow=ADMINISTRATORS,
        objects="roster_import",
    ),
    access(
        path("roster/<int:pk>/apply/", views.roster_import_apply, name="roster_import_apply"),
        allow=ADMINISTRATORS,
        objects="roster_import",
        action=True,
        ok=302,
    ),
]
