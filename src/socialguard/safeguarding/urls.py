from django.urls import path

from socialguard.safeguarding import views

app_name = "safeguarding"
urlpatterns = [
    path("", views.concern_list, name="list"),
    path("new/", views.concern_new, name="new"),
    path("received/<str:reference>/", views.receipt, name="receipt"),
    path("my-actions/", views.my_actions, name="my_actions"),
    path("my-actions/<int:pk>/done/", views.my_action_done, name="my_action_done"),
    path("from-review-item/<int:item_pk>/", views.from_review_item, name="from_review_item"),
    path("<int:pk>/", views.concern_detail, name="concern"),
    path("<int:pk>/act/", views.concern_act, name="act"),
    path("<int:pk>/evidence/<int:evidence_pk>/", views.evidence_file, name="evidence_file"),
]
