from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "loket.documents"
    label = "documents"
    verbose_name = _("Dokumen terbitan")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from loket.core.files import register_file_policy
        from loket.documents.access import DOCUMENT_PURPOSE, document_file_policy

        register_file_policy(DOCUMENT_PURPOSE, document_file_policy)
