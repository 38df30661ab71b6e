"""Back-office pages of applications, mounted at ``kantor/permohonan/``."""

from loket.applications.office_views import app_name, urlpatterns

__all__ = ["app_name", "urlpatterns"]
