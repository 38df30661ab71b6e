"""Back-office pages of complaints, mounted at ``kantor/pengaduan/``."""

from loket.complaints.office_views import app_name, urlpatterns

__all__ = ["app_name", "urlpatterns"]
