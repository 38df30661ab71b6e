"""Citizen pages of the catalogue, mounted at ``layanan/``."""

from django.urls import path

from loket.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.catalog_home, name="home"),
    path("<slug:government_slug>/<slug:slug>/", views.service_detail, name="detail"),
]
