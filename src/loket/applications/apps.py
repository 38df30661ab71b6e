from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "loket.applications"
    label = "applications"
    verbose_name = _("Permohonan layanan")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from loket.applications import integration

        integration.connect()
