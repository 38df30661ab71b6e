from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "loket.core"
    label = "core"
    verbose_name = _("Inti")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from loket.core import calendar, db, tasks

        db.install()
        calendar.connect_signals()
        tasks.discover_periodic_jobs()
