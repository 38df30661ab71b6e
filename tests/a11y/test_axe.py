"""axe-core (vendored in tests/assets/axe/) on every public and back-office page at 360×640:
no serious or critical violation. Screenshots of each page go to a temporary artefact folder
whose path is printed."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.a11y.pages import PAGES

AXE = Path(__file__).resolve().parents[1] / "assets" / "axe" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}


def _session_cookie(user, live_server_url: str) -> dict:
    """The session cookie of ``user``, signed in as Django's test client does it."""
    client = Client()
    client.force_login(user)
    name = django_settings.SESSION_COOKIE_NAME
    return {"name": name, "value": client.cookies[name].value, "url": live_server_url}


@pytest.fixture(scope="session")
def artefacts(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("a11y-screenshots")
    print(f"\naxe screenshots: {folder}")
    return folder


def _audit(page, url: str, shot: Path) -> list[str]:
    response = page.goto(url)
    assert response is not None and response.status < 400, f"{url}: {response and response.status}"
    page.screenshot(path=str(shot), full_page=True)
    return _audit_current(page)


def _audit_current(page) -> list[str]:
    # Evaluated through the DevTools protocol: the site's CSP (no inline scripts) does not apply.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} → "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in result["violations"]
        if v.get("impact") in BLOCKING
    ]


@pytest.mark.parametrize("audience", ["public", "citizen", "officer"])
def test_no_serious_or_critical_axe_violations(world, make_page, live_server, artefacts, audience):
    page = make_page(width=360, height=640)
    user = {"public": None, "citizen": world.citizen, "officer": world.officer}[audience]
    if user is not None:
        page.context.add_cookies([_session_cookie(user, live_server.url)])
    problems = []
    for label, who, build in PAGES:
        if who != audience:
            continue
        url = build(world)
        for violation in _audit(page, url, artefacts / f"{audience}-{label}.png"):
            problems.append(f"{label} {url}: {violation}")
    assert not problems, "axe serious/critical violations:\n" + "\n".join(problems)
    # The harness itself can fail: an image without a text alternative is a critical finding.
    page.evaluate("() => document.body.append(Object.assign(new Image(), {src: '/x.png'}))")
    found = _audit_current(page)
    assert any(v.startswith("image-alt ") for v in found), found
