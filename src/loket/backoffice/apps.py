from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    name = "loket.backoffice"
    label = "backoffice"
    verbose_name = _("Kantor")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from loket.backoffice.nav import NavEntry, register_nav
        from loket.core import permissions as perms

        register_nav(NavEntry(_("Beranda kantor"), "backoffice:home", perms.BACKOFFICE_VIEW, 0))
        register_nav(NavEntry(_("Administrasi platform"), "admin:index", perms.PLATFORM_ADMIN, 900))
