"""CSRF on every form and every POST endpoint, session rotation on login, and the security
headers of portal, back office and API (HSTS checked under production settings)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from tests.security.url_policy import POLICY, Access, rule_for
from tests.security.urlwalk import all_patterns, missing_kwargs

# POST endpoints that do not use the CSRF cookie, and why.
CSRF_EXEMPT: dict[str, str] = {
    "payments:callback": "provider callback authenticated by an HMAC signature of the body",
    "set_language": "Django's language switch; harmless, keeps working for cached pages",
    "healthz": "GET-only liveness probe for load balancers (POST answers 405)",
    "readyz": "GET-only readiness probe for load balancers (POST answers 405)",
    # Open311 takes no session (no cookie, so nothing to forge): POST authenticates with the
    # api_key parameter, the reads are public. tests/open311/test_post.py
    "open311:discovery": "Open311 read, no session auth; POST answers 405",
    "open311:services": "Open311 read, no session auth; POST answers 405",
    "open311:service": "Open311 read, no session auth; POST answers 405",
    "open311:requests": "Open311 POST authenticated by the api_key parameter, never a session",
    "open311:request": "Open311 read, no session auth; POST answers 405",
}
# API views authenticate by token and are csrf-exempt for that; with a *session* DRF still
# demands the token (checked below for the session case).

PATTERNS = [p for p in all_patterns() if not p.route.startswith("admin/")]
FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.S | re.I)
POST_FORM = re.compile(r"""method\s*=\s*["']?post""", re.I)


def _user_for(world, rule):
    if rule.access in (Access.CITIZEN, Access.API_USER):
        return world.citizen
    if rule.access == Access.OFFICER:
        return world.admin  # holds every capability
    return None


def _url(world, pattern, rule) -> str:
    if not pattern.params:
        return reverse(pattern.name)
    kwargs = world.kwargs(rule.obj) if rule.obj else missing_kwargs(pattern)
    return reverse(pattern.name, kwargs=kwargs)


def test_every_post_form_carries_a_csrf_token(world):
    checked, problems = 0, []
    for pattern in PATTERNS:
        rule = rule_for(pattern.key, pattern.route)
        if rule is None or rule.access not in (Access.PUBLIC, Access.CITIZEN, Access.OFFICER):
            continue
        client = Client()
        if (user := _user_for(world, rule)) is not None:
            client.force_login(user)
        response = client.get(_url(world, pattern, rule))
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for form in FORM.findall(response.content.decode()):
            if POST_FORM.search(form.split(">", 1)[0]):
                checked += 1
                if 'name="csrfmiddlewaretoken"' not in form:
                    problems.append(f"{pattern.key}: {form[:120]!r}")
    assert checked >= 10, f"only {checked} POST forms found: the probe lost its pages"
    assert not problems, "POST forms without csrfmiddlewaretoken:\n" + "\n".join(problems)


def test_post_without_token_is_refused_everywhere(world):
    problems = []
    for pattern in PATTERNS:
        rule = rule_for(pattern.key, pattern.route)
        if rule is None or pattern.key in CSRF_EXEMPT:
            continue
        if rule.access == Access.EXEMPT and not pattern.name:
            continue
        client = Client(enforce_csrf_checks=True)
        user = _user_for(world, rule) or world.citizen
        client.force_login(user)
        if pattern.params:
            kwargs = world.kwargs(rule.obj) if rule.obj else missing_kwargs(pattern)
            url = reverse(pattern.name, kwargs=kwargs)
        else:
            url = reverse(pattern.name)
        response = client.post(url, {"x": "1"})
        if response.status_code != 403:
            problems.append(f"{pattern.key} {url}: {response.status_code}")
    assert not problems, "POST without CSRF token was not refused:\n" + "\n".join(problems)


def test_exempt_endpoints_stay_few_and_documented():
    assert set(CSRF_EXEMPT) <= set(POLICY)
    assert all(reason for reason in CSRF_EXEMPT.values())


def test_session_rotates_on_a_real_login_with_csrf(world):
    client = Client(enforce_csrf_checks=True)
    session = client.session
    session["probe"] = 1
    session.save()
    before = session.session_key
    page = client.get(reverse("account_login"))
    token = (
        re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content).group(1).decode()
    )
    response = client.post(
        reverse("account_login"),
        {"login": world.citizen.email, "password": "sandi-warga-123", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(world.citizen.pk)
    assert client.session.session_key != before
    # Lockout after repeated failures: tests/accounts/test_login.py
    # (test_lockout_after_repeated_failures_is_keyed_and_logged).


def _assert_security_headers(response, where: str) -> None:
    csp = response.get("Content-Security-Policy", "")
    assert csp, f"{where}: no CSP"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, f"{where}: {csp}"
    assert "frame-ancestors 'none'" in csp, f"{where}: {csp}"
    assert "default-src" in csp and "object-src 'none'" in csp, f"{where}: {csp}"
    assert response.get("X-Content-Type-Options") == "nosniff", where
    assert response.get("Referrer-Policy") in ("same-origin", "strict-origin-when-cross-origin")
    assert response.get("X-Frame-Options") == "DENY", where


def test_security_headers_on_portal_backoffice_and_api(world):
    officer = Client()
    officer.force_login(world.officer)
    citizen = Client()
    citizen.force_login(world.citizen)
    for where, client, url in [
        ("portal", Client(), reverse("portal:home")),
        ("catalogue", Client(), reverse("catalog:home")),
        ("account", citizen, reverse("accounts:profile")),
        ("back office", officer, reverse("backoffice:home")),
        ("api", Client(), reverse("api-regions")),
        ("api error", Client(), "/api/v1/tidak-ada/"),
        ("not found", Client(), "/tidak-ada/"),
    ]:
        response = client.get(url)
        assert response.status_code < 500, where
        _assert_security_headers(response, where)


ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_production_settings_turn_on_hsts_and_secure_cookies():
    env = {
        **os.environ,
        "LOKET_TESTING": "",
        "LOKET_PRODUCTION": "1",
        "LOKET_SECRET_KEY": "k" * 60,
        "LOKET_DATA_KEY": "d" * 44,
        "LOKET_ALLOWED_HOSTS": "loket.example.go.id",
        "LOKET_SMTP_HOST": "smtp.example.go.id",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
        "DJANGO_SETTINGS_MODULE": "loket.settings",
    }
    code = (
        "import json; from django.conf import settings as s; print(json.dumps({k: getattr(s, k)"
        " for k in ['SECURE_HSTS_SECONDS','SECURE_HSTS_INCLUDE_SUBDOMAINS','SECURE_SSL_REDIRECT',"
        "'SESSION_COOKIE_SECURE','CSRF_COOKIE_SECURE','DEBUG','SECURE_CONTENT_TYPE_NOSNIFF']}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    values = json.loads(out.stdout.strip().splitlines()[-1])
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["DEBUG"] is False and values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
