from django.urls import path

from socialguard.approvals import views

app_name = "approvals"
urlpatterns = [
    path("", views.approval_inbox, name="inbox"),
    path("<int:pk>/", views.approval_detail, name="detail"),
    path("delegate/", views.delegation_new, name="delegate"),
    path("new/", views.approval_request_new, name="new"),
]
