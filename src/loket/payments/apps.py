from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "loket.payments"
    label = "payments"
    verbose_name = _("Pembayaran retribusi")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from loket.backoffice.nav import NavEntry, register_nav
        from loket.core import permissions as perms

        register_nav(
            NavEntry(_("Pembayaran di loket"), "payments:cashier_list", perms.PAYMENT_CONFIRM, 40)
        )
