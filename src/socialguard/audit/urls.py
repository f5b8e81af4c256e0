from django.urls import path

from socialguard.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_events, name="events"),
    path("export/", views.audit_export, name="export"),
]
