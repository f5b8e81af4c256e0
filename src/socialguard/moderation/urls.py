from django.urls import path

from socialguard.moderation import views

app_name = "moderation"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("bulk/", views.bulk, name="bulk"),
    path("<int:pk>/", views.item, name="item"),
    path("<int:pk>/act/", views.act, name="act"),
    path("safeguarding/", views.safeguarding, name="safeguarding"),
    path("safeguarding/<int:pk>/", views.safeguarding_item, name="safeguarding_item"),
]
