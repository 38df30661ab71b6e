from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "loket.surveys"
    label = "surveys"
    verbose_name = _("Survei kepuasan masyarakat")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from loket.backoffice.nav import NavEntry, register_nav
        from loket.core import permissions as perms
        from loket.surveys import subjects  # noqa: F401  (registers the application subject)

        register_nav(
            NavEntry(_("Survei kepuasan (IKM)"), "surveys_office:report", perms.DASHBOARD_VIEW, 40)
        )
