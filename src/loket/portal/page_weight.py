"""Page weight of citizen pages: the bytes a phone downloads for a page, compressed.

A page's weight is its HTML plus every same-origin stylesheet and script the HTML references,
each gzip-compressed as the server sends it. Photos, other images and map tiles are left out
(they load lazily or on demand). Assets are read from the static files finders (or the
collected files), so no server and no browser are needed: a Django test client is enough.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage

BUDGET_BYTES = 100 * 1024
HTML_GZIP_LEVEL = 6  # what a reverse proxy or GZipMiddleware uses
ASSET_GZIP_LEVEL = 9  # WhiteNoise compresses collected files ahead of time at the maximum


class _Response(Protocol):
    status_code: int
    content: bytes


class _Client(Protocol):
    def get(self, path: str) -> _Response: ...


@dataclass(frozen=True)
class Asset:
    url: str
    raw: int
    gzipped: int


@dataclass
class PageWeight:
    label: str
    path: str
    html_raw: int
    html_gzipped: int
    assets: list[Asset] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Transferred bytes: compressed HTML and compressed same-origin CSS/JS."""
        return self.html_gzipped + sum(a.gzipped for a in self.assets)

    @property
    def within_budget(self) -> bool:
        return self.total <= BUDGET_BYTES


class _AssetLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "script" and values.get("src"):
            self.urls.append(values["src"])
        elif tag == "link" and "stylesheet" in values.get("rel", "").split() and values.get("href"):
            self.urls.append(values["href"])


def asset_urls(html: str) -> list[str]:
    """Same-origin stylesheet and script URLs of a page, in order, each once."""
    parser = _AssetLinks()
    parser.feed(html)
    seen: list[str] = []
    for url in parser.urls:
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            continue  # another origin: not ours to weigh (and CSP would refuse it anyway)
        if url not in seen:
            seen.append(url)
    return seen


def _read_static(url: str) -> bytes:
    path = urlsplit(url).path
    if not path.startswith(settings.STATIC_URL):
        raise LookupError(f"not a static file: {url}")
    name = path[len(settings.STATIC_URL) :]
    found = finders.find(name)
    if isinstance(found, str):
        return Path(found).read_bytes()
    if staticfiles_storage.exists(name):  # collected (hashed) name in production
        with staticfiles_storage.open(name) as handle:
            return bytes(handle.read())
    raise LookupError(f"static file not found: {url}")


def measure(client: _Client, path: str, label: str = "") -> PageWeight:
    """Weigh one page as ``client`` sees it. ``LookupError`` for a page that does not answer
    200 or references a static file that does not exist."""
    response = client.get(path)
    if response.status_code != 200:
        raise LookupError(f"{path} answered {response.status_code}")
    html = response.content
    weight = PageWeight(
        label=label or path,
        path=path,
        html_raw=len(html),
        html_gzipped=len(gzip.compress(html, compresslevel=HTML_GZIP_LEVEL, mtime=0)),
    )
    for url in asset_urls(html.decode("utf-8", "replace")):
        body = _read_static(url)
        weight.assets.append(
            Asset(url, len(body), len(gzip.compress(body, compresslevel=ASSET_GZIP_LEVEL, mtime=0)))
        )
    return weight


def _kb(n: int) -> str:
    return f"{n / 1024:.1f}"


def text_table(weights: list[PageWeight]) -> str:
    """One line per page, for a test's output."""
    lines = [f"{'page':<28} {'html gz':>8} {'css+js gz':>10} {'total KB':>9}  budget"]
    for w in weights:
        assets = sum(a.gzipped for a in w.assets)
        lines.append(
            f"{w.label:<28} {_kb(w.html_gzipped):>8} {_kb(assets):>10} {_kb(w.total):>9}  "
            + ("ok" if w.within_budget else "OVER")
        )
    return "\n".join(lines)


def markdown_report(weights: list[PageWeight]) -> str:
    """The page-weight table as Markdown, with the assets of each page below it."""
    out = [
        "# Page weight of citizen pages",
        "",
        f"Budget: {BUDGET_BYTES // 1024} KB transferred per page (HTML gzip level "
        f"{HTML_GZIP_LEVEL} + same-origin CSS/JS gzip level {ASSET_GZIP_LEVEL}); photos, "
        "other images and map tiles excluded. Generated by `scripts/page_weight.py`; the "
        "budget is enforced by `tests/web/test_budgets.py`.",
        "",
        "| Page | Path | HTML (raw) | HTML (gzip) | CSS+JS (gzip) | Total (KB) | Budget |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for w in weights:
        assets = sum(a.gzipped for a in w.assets)
        out.append(
            f"| {w.label} | `{w.path}` | {_kb(w.html_raw)} | {_kb(w.html_gzipped)} | "
            f"{_kb(assets)} | {_kb(w.total)} | {'ok' if w.within_budget else 'over'} |"
        )
    out += ["", "## Assets (gzip KB)", ""]
    assets_seen: dict[str, Asset] = {}
    for w in weights:
        for a in w.assets:
            assets_seen.setdefault(a.url, a)
    out += ["| Asset | Raw (KB) | Gzip (KB) |", "|---|---:|---:|"]
    for a in sorted(assets_seen.values(), key=lambda a: -a.gzipped):
        out.append(f"| `{a.url}` | {_kb(a.raw)} | {_kb(a.gzipped)} |")
    return "\n".join(out) + "\n"
