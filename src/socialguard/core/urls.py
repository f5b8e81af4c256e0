from django.urls import path

from socialguard.core import views
from socialguard.core.access import EVERYONE, PUBLIC, access

app_name = "core"
urlpatterns = [
    access(path("", views.dashboard, name="dashboard"), allow={EVERYONE}),
    access(path("healthz", views.healthz, name="healthz"), anonymous=PUBLIC, allow={EVERYONE}),
]
