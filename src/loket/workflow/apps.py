from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "loket.workflow"
    label = "workflow"
    verbose_name = _("Alur kerja dan tenggat layanan")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Each domain declares its table in <app>/states.py; importing them all registers every
        # workflow by name, so the SLA sweep can find stages of any timer in any process.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("states")
