"""The portal as an installable web app: the manifest, the service worker and the page shown
when a page cannot be loaded without a connection.

Both files are served from the site root (``/manifest.webmanifest``, ``/sw.js``) so that the
service worker's scope is the whole portal. The worker is rendered with the current static URLs
(hashed in production) and a cache version derived from those URLs and the files' contents, so a
deploy that changes any cached asset starts a new cache and drops the old one.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

THEME_COLOR = "#0b5cad"
BACKGROUND_COLOR = "#ffffff"
ICON_SIZES = (192, 512)
# Static files every portal page needs; cached when the worker installs (cache-first after).
SHELL_ASSETS = (
    "loket/loket.css",
    "loket/loket.js",
    "loket/pwa.js",
    "loket/offline-drafts.js",
    "vendor/htmx/htmx.min.js",
    "complaints/report.js",
)
# Bump when the worker's own logic changes in a way the asset hash does not show.
WORKER_REVISION = "1"


@lru_cache(maxsize=1)
def _asset_digest() -> str:
    digest = hashlib.sha256(WORKER_REVISION.encode())
    for name in SHELL_ASSETS:
        found = finders.find(name)
        if isinstance(found, str):
            digest.update(Path(found).read_bytes())
    return digest.hexdigest()


def cache_version() -> str:
    """A short version for the worker's cache name: changes with any shell asset's URL or
    content."""
    urls = "|".join(static(name) for name in SHELL_ASSETS)
    return hashlib.sha256((urls + _asset_digest()).encode()).hexdigest()[:12]


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest (name, icons, start page, standalone display)."""
    data = {
        "name": _("Loket — layanan publik daerah"),
        "short_name": "Loket",
        "description": _("Laporkan masalah, ajukan permohonan dan pantau layanan publik daerah."),
        "lang": get_language() or "id",
        "start_url": reverse("portal:home") + "?sumber=pwa",
        "scope": "/",
        "display": "standalone",
        "background_color": BACKGROUND_COLOR,
        "theme_color": THEME_COLOR,
        "icons": [
            {
                "src": static(f"loket/icons/icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any maskable",
            }
            for size in ICON_SIZES
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker script, for scope ``/``; never cached by the browser's HTTP cache
    (the browser compares it byte by byte to find an update)."""
    config = {
        "cache": "loket-" + cache_version(),
        "shell": [static(name) for name in SHELL_ASSETS],
        "offline": reverse("portal:offline"),
        # The prefix of static URLs (not static(""): hashed storage has no entry for "").
        "static": urlsplit(settings.STATIC_URL).path,
        # Pages kept for opening without a connection (network first, the copy as fallback).
        "offlinePages": [reverse("complaints:report")],
        # Never answered by the worker: the back office, files, API, admin.
        "bypass": ["/kantor/", "/berkas/", "/api/", "/admin/", "/open311/"],
    }
    body = render_to_string("portal/sw.js", {"config": json.dumps(config)})
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache, max-age=0"
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """Shown by the service worker in place of a page that cannot be loaded offline."""
    return render(request, "portal/offline.html")
