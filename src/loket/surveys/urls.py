"""Public survey pages, mounted at ``survei/``."""

from django.urls import path

from loket.surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.home, name="home"),
    path("isi/<str:token>/", views.respond, name="respond"),
    path("kiosk/<slug:government_slug>/<slug:agency_slug>/", views.kiosk, name="kiosk"),
]
