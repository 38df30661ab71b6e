"""The home page and the web shell: content, security headers, no outside URLs, weight, labels."""

from __future__ import annotations

import gzip
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db

MODULE_NAMES = [
    "Pengaduan",
    "Layanan &amp; permohonan",
    "Informasi publik (PPID)",
    "Survei kepuasan",
    "Antrean",
    "Harga pasar",
    "Cek pajak kendaraan",
    "Data &amp; kinerja",
]
# Budget for the home page as transferred on a first visit: HTML plus every stylesheet and
# script it references, each gzip-compressed. Measured 2026-11: 21,092 bytes.
HOME_BUDGET_BYTES = 40 * 1024


class Page(HTMLParser):
    """Collects the tags the tests look at."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.label_stack: list[dict[str, str]] = []
        self.wrapped_controls: set[int] = set()

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        self.tags.append((tag, attributes))
        if tag == "label":
            self.label_stack.append(attributes)
        elif tag in ("input", "select", "textarea") and self.label_stack:
            self.wrapped_controls.add(len(self.tags) - 1)

    def handle_endtag(self, tag):
        if tag == "label" and self.label_stack:
            self.label_stack.pop()

    def all(self, tag):
        return [attrs for name, attrs in self.tags if name == tag]


@pytest.fixture
def home(client):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    page = Page()
    page.feed(response.content.decode())
    return response, page


def test_home_lists_every_module_and_the_language_switch(home):
    response, page = home
    html = response.content.decode()
    for name in MODULE_NAMES:
        assert name in html
    # Modules not built yet say so and have no link that leads nowhere.
    assert "Segera hadir" in html
    for card in re.findall(r'<li class="card module is-soon".*?</li>', html, flags=re.S):
        assert "<a " not in card
    forms = [f for f in page.all("form") if f.get("action") == reverse("set_language")]
    assert len(forms) == 1
    languages = {o.get("value") for o in page.all("option")}
    assert {"id", "en"} <= languages
    assert '<html lang="id">' in html


def test_language_switch_changes_the_language(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert '<html lang="en">' in client.get("/").content.decode()


def test_csp_header_is_strict_and_every_script_carries_the_nonce(home):
    response, page = home
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    directives = dict(
        [*part.strip().split(" ", 1), ""][:2] for part in policy.split(";") if part.strip()
    )
    assert "'self'" in directives["style-src"] and "'nonce-" not in directives["style-src"]
    nonce = re.search(r"'nonce-([^']+)'", directives["script-src"]).group(1)
    scripts = page.all("script")
    assert scripts
    assert all(script.get("nonce") == nonce for script in scripts)
    # No inline styles or event handlers that the policy would block anyway.
    for _tag, attrs in page.tags:
        assert "style" not in attrs
        assert not any(name.startswith("on") for name in attrs)
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_outside_urls_in_scripts_or_links(home):
    _response, page = home
    for tag, attribute in (("script", "src"), ("link", "href")):
        for attrs in page.all(tag):
            assert not re.match(r"^(https?:)?//", attrs.get(attribute, "")), attrs
    # Leaflet loads only on pages with a map.
    assert not any("leaflet" in attrs.get("src", "") for attrs in page.all("script"))


def _static_path(url: str) -> Path:
    assert url.startswith(settings.STATIC_URL), url
    found = finders.find(url.removeprefix(settings.STATIC_URL).split("?")[0])
    assert found, url
    return Path(found)


def test_home_page_stays_within_its_weight_budget(home):
    response, page = home
    assets = [a["src"] for a in page.all("script") if a.get("src")]
    assets += [a["href"] for a in page.all("link") if a.get("rel") == "stylesheet"]
    sizes = {"html": len(gzip.compress(response.content, 9))}
    for url in assets:
        sizes[url] = len(gzip.compress(_static_path(url).read_bytes(), 9))
    total = sum(sizes.values())
    print(f"home page gzip sizes: {sizes} total={total}")
    assert len(sizes) >= 4  # html, stylesheet, htmx, loket.js
    assert total <= HOME_BUDGET_BYTES, sizes


def test_every_form_control_has_a_label(home):
    _response, page = home
    label_targets = {attrs.get("for") for attrs in page.all("label")}
    controls = 0
    for index, (tag, attrs) in enumerate(page.tags):
        if tag not in ("input", "select", "textarea"):
            continue
        if attrs.get("type") in ("hidden", "submit", "button", "reset", "image"):
            continue
        controls += 1
        assert (
            attrs.get("id") in label_targets
            or attrs.get("aria-label")
            or attrs.get("aria-labelledby")
            or index in page.wrapped_controls
        ), (tag, attrs)
    assert controls >= 1  # the language select


def test_vendored_libraries_carry_their_licences():
    for folder, files in {
        "htmx": ["htmx.min.js", "LICENSE"],
        "leaflet": ["leaflet.js", "leaflet.css", "LICENSE", "images/marker-icon.png"],
        "chartjs": ["chart.umd.min.js", "LICENSE.md"],
    }.items():
        for name in files:
            path = finders.find(f"vendor/{folder}/{name}")
            assert path and Path(path).stat().st_size > 0, (folder, name)
    assert "placeholder" not in Path(finders.find("vendor/htmx/htmx.min.js")).read_text()[:200]


def test_map_assets_include_uses_the_nonce_and_local_files(rf):
    from django.template.loader import render_to_string

    request = rf.get("/")
    request._csp_nonce = "abc123"
    html = render_to_string("includes/map_assets.html", {"csp_nonce": "abc123"}, request)
    assert "/static/vendor/leaflet/leaflet.css" in html
    assert html.count('nonce="abc123"') == 2
    assert "http" not in html
