"""Who may download an issued PDF: decided by the module that owns the document's subject.

The public verification page shows only the masked facts; the PDF itself (with the complete
data) is served through ``loket.core.files`` under the purpose ``"document"``, whose policy asks
the callable the subject's module registered with :func:`register_document_access`. A subject
without a registered callable gives nobody access.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from loket.core.models import StoredFile

if TYPE_CHECKING:
    from loket.documents.models import IssuedDocument

DOCUMENT_PURPOSE = "document"

DocumentAccess = Callable[[Any, "IssuedDocument"], bool]
_ACCESS: dict[str, DocumentAccess] = {}


def register_document_access(model_label: str, check: DocumentAccess) -> None:
    """Let the module owning ``model_label`` (``"app_label.modelname"``) decide who may
    download documents issued for its subjects. Call it from ``AppConfig.ready``."""
    _ACCESS[model_label.lower()] = check


def unregister_document_access(model_label: str) -> None:
    """Remove a registration (used by tests)."""
    _ACCESS.pop(model_label.lower(), None)


def can_download(user: Any, document: IssuedDocument) -> bool:
    """Whether ``user`` may download the PDF of ``document``."""
    check = _ACCESS.get(document.subject_label)
    return bool(check is not None and check(user, document))


def document_file_policy(user: Any, stored_file: StoredFile) -> bool:
    """File policy for the ``"document"`` purpose (registered in ``AppConfig.ready``)."""
    from loket.documents.models import IssuedDocument

    document = (
        IssuedDocument.objects.select_related("subject_type").filter(file_id=stored_file.pk).first()
    )
    return document is not None and can_download(user, document)
