from django.urls import path

from socialguard.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.governance, name="governance"),
]
