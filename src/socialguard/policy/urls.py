from django.urls import path

from socialguard.policy import views

app_name = "policy"
urlpatterns = [
    path("", views.policy_current, name="current"),
    path("acknowledge/", views.policy_acknowledge, name="acknowledge"),
    path("acknowledgements/", views.policy_acknowledgements, name="acknowledgements"),
    path("o/<slug:slug>/", views.policy_current, name="for_organisation"),
]
