"""Back-office survey pages, mounted at ``kantor/survei/``."""

from loket.surveys.office_views import app_name, urlpatterns

__all__ = ["app_name", "urlpatterns"]
