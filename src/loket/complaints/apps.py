from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "loket.complaints"
    label = "complaints"
    verbose_name = _("Pengaduan dan aspirasi")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from loket.complaints import survey
        from loket.complaints.escalation import register
        from loket.complaints.photos import register_photo_policy

        register()
        register_photo_policy()
        survey.register()
        from loket.complaints import office_nav

        office_nav.register()
        from loket.complaints.models import Category
        from loket.core.refcache import cache_by

        cache_by(Category, "pk", "service_code")  # read on every filing; see core.refcache
