from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def loket(request: HttpRequest) -> dict[str, Any]:
    return {
        "LOKET_VERSION": __import__("loket").__version__,
        "LOKET_PRODUCTION": settings.PRODUCTION,
        "MAP_TILE_URL": settings.LOKET_MAP_TILE_URL,
    }
