"""Citizen pages of applications, mounted at ``permohonan/``."""

from loket.applications.views import app_name, urlpatterns

__all__ = ["app_name", "urlpatterns"]
