"""Every citizen page stays within 100 KB transferred (compressed HTML + same-origin CSS/JS;
photos and map tiles excluded). The numbers are printed (``pytest -s``) and written to
docs/page-weight.md by scripts/page_weight.py."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from loket.portal.page_weight import BUDGET_BYTES, asset_urls, measure, text_table
from tests.web.budget_pages import build_pages

pytestmark = pytest.mark.django_db


def test_citizen_pages_within_budget() -> None:
    cache.clear()
    pages = build_pages()
    weights = [measure(Client(), path, label) for label, path in pages]
    print("\n" + text_table(weights))
    # Every page has its stylesheet and scripts counted, not just its HTML.
    for weight in weights:
        assert any(a.url.endswith("/loket.css") for a in weight.assets), weight.label
        assert any(a.url.endswith("/pwa.js") for a in weight.assets), weight.label
    form = next(w for w in weights if w.label == "Formulir laporan")
    assert any(a.url.endswith("/report.js") for a in form.assets)
    over = [f"{w.label} ({w.path}): {w.total} B" for w in weights if w.total > BUDGET_BYTES]
    assert not over, f"over the {BUDGET_BYTES // 1024} KB budget: {over}"


def test_asset_urls_keep_same_origin_css_and_js_only() -> None:
    html = (
        '<link rel="stylesheet" href="/static/a.css"><link rel="manifest" href="/m.json">'
        '<link rel="preload stylesheet" href="/static/b.css">'
        '<script src="/static/a.js"></script><script src="https://cdn.example/x.js"></script>'
        '<script src="//cdn.example/y.js"></script><script>inline()</script>'
        '<img src="/berkas/foto.jpg"><script src="/static/a.js"></script>'
    )
    assert asset_urls(html) == ["/static/a.css", "/static/b.css", "/static/a.js"]


def test_missing_page_or_asset_is_an_error() -> None:
    with pytest.raises(LookupError):
        measure(Client(), "/tidak-ada-halaman-ini/")
