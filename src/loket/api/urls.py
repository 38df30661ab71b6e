from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from loket.api import views

urlpatterns = [
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/me/", views.MeView.as_view(), name="api-me"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
]
