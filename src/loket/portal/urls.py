from django.urls import path

from loket.portal import pwa, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("luring/", pwa.offline, name="offline"),
]
