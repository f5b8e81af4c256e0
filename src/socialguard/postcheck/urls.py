from django.urls import path

from socialguard.core.access import STAFF, access
from socialguard.postcheck import views

app_name = "postcheck"
urlpatterns = [
    # 2.1: governors, contractors, trainees and volunteers are staff members too.
    access(path("", views.check, name="check"), allow={STAFF}),
]
