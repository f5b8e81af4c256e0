from django.urls import path

from socialguard.sites import views

app_name = "sites"
urlpatterns = [
    path("", views.site_register, name="register"),
    path("mine/", views.site_mine, name="mine"),
    path("absences/", views.absences, name="absences"),
    path("new/", views.site_proposal_edit, name="new"),
    path("<int:pk>/", views.site_detail, name="detail"),
    path("<int:pk>/edit/", views.site_proposal_edit, name="edit"),
    path("<int:pk>/submit/", views.site_submit, name="submit"),
    path("<int:pk>/documents/", views.site_document_publish, name="publish_document"),
    path("<int:pk>/go-live/", views.site_go_live, name="go_live"),
    path("<int:pk>/form.pdf", views.site_form_pdf, name="form_pdf"),
    path("<int:pk>/evaluate/", views.site_evaluate, name="evaluate"),
    path("<int:pk>/close/", views.site_close, name="close"),
    path("<int:pk>/export.json", views.site_export, name="export"),
]
