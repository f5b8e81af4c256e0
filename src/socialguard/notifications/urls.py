from django.urls import path

from socialguard.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.outbox, name="outbox"),
    path("<int:pk>/", views.outbox_message, name="message"),
]
