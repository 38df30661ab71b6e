from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from loket.backoffice.nav import nav_for
from loket.core.permissions import officer_scope


def backoffice(request: HttpRequest) -> dict[str, Any]:
    if not request.path.startswith("/kantor/"):
        return {}
    return {"backoffice_nav": nav_for(officer_scope(request.user))}
