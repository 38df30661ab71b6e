"""Loket's URLs plus the two floor views under ``/_floor/``."""

from django.urls import include, path

from bench.floorapp import views

urlpatterns = [
    path("_floor/write/", views.floor_write, name="floor-write"),
    path("_floor/read/", views.floor_read, name="floor-read"),
    path("", include("loket.urls")),
]
