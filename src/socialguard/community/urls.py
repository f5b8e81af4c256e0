from django.urls import path

from socialguard.community import views

app_name = "community"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.site_home, name="site"),
    path("<int:pk>/contribute/", views.contribute, name="contribute"),
    path("<int:pk>/join/", views.join, name="join"),
    path("<int:pk>/mine/", views.mine, name="mine"),
    path("<int:pk>/report/<int:contribution_pk>/", views.report, name="report"),
    path("<int:pk>/<str:kind>/", views.document, name="document"),
    path("images/<int:pk>/", views.image, name="image"),
    path("logos/<int:pk>.svg", views.logo, name="logo"),
]
