"""The manifest and the service worker are served from the site root with the types and headers
browsers require, and every page links them."""

from __future__ import annotations

import json

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client
from PIL import Image

from loket.portal.pwa import cache_version

pytestmark = pytest.mark.django_db


def test_manifest_is_installable(client: Client) -> None:
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["name"] and data["short_name"] == "Loket"
    assert data["display"] == "standalone"
    assert data["start_url"].startswith("/")
    sizes = {icon["sizes"] for icon in data["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in data["icons"]:
        assert icon["type"] == "image/png"
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, icon["src"]
        with Image.open(path) as image:
            assert f"{image.width}x{image.height}" == icon["sizes"]


def test_service_worker_served_from_root(client: Client) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] == "text/javascript"
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    assert f'"cache": "loket-{cache_version()}"' in body
    assert '"/static/loket/loket.css"' in body  # the app shell
    assert '"/luring/"' in body  # the offline page
    assert '"/pengaduan/lapor/"' in body  # the report form, kept for offline use
    assert 'addEventListener("fetch"' in body


def test_service_worker_with_hashed_static_files(client: Client, settings, tmp_path) -> None:
    """As in production: collected, hashed (manifest) static files, DEBUG off."""
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    response = client.get("/sw.js")
    assert response.status_code == 200
    config = json.loads(response.content.decode().split("const CONFIG = ", 1)[1].split(";\n")[0])
    assert config["static"] == "/static/"
    css = next(url for url in config["shell"] if "/loket/loket." in url)
    assert css.startswith("/static/loket/loket.") and css != "/static/loket/loket.css"  # hashed


def test_offline_page_and_pages_link_the_app(client: Client) -> None:
    offline = client.get("/luring/")
    assert offline.status_code == 200
    assert "Tidak ada koneksi" in offline.content.decode()
    home = client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in home
    assert 'data-sw="/sw.js"' in home
    assert 'name="theme-color"' in home


def test_service_worker_only_for_get(client: Client) -> None:
    assert client.post("/sw.js").status_code == 405
    assert client.post("/manifest.webmanifest").status_code == 405
