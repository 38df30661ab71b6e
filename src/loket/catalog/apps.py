from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "loket.catalog"
    label = "catalog"
    verbose_name = _("Katalog layanan")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from loket.backoffice.nav import NavEntry, register_nav
        from loket.core import permissions as perms

        register_nav(NavEntry(_("Katalog layanan"), "catalog_office:list", perms.CATALOG_EDIT, 20))
