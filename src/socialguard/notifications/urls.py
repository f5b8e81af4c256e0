from django.urls import path

from socialguard.accounts.models import Role
from socialguard.core.access import access
from socialguard.notifications import views

app_name = "notifications"
urlpatterns = [
    access(path("", views.outbox, name="outbox"), allow={Role.ADMINISTRATOR}),
    access(
        path("<int:pk>/", views.outbox_message, name="message"),
        objects="outbox_message",
        allow={Role.ADMINISTRATOR},
    ),
]
