from django.urls import path

from socialguard.audit import views
from socialguard.core.access import access

app_name = "audit"
# accounts' role names (audit imports no app); the access matrix checks them against the pages.
READERS = {"head_teacher", "dsl", "administrator"}
urlpatterns = [
    access(
        path("", views.audit_events, name="events"),
        allow=READERS,
    ),
    access(
        path("export/", views.audit_export, name="export"),
        allow=READERS,
    ),
]
