"""The permission matrix: every URL pattern × role, against the table in url_policy.py."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from loket.core.permissions import ROLE_CAPABILITIES
from loket.organizations.models import Role
from tests.security.objects import BUILDERS
from tests.security.url_policy import POLICY, PREFIX_POLICY, Access, Rule, rule_for
from tests.security.urlwalk import Pattern, all_patterns, missing_kwargs

ROLES = ("anon", "citizen", "stranger", "officer_nocap", "officer_other", "officer", "admin")
PATTERNS = all_patterns()


def test_every_url_pattern_has_a_policy():
    missing = [
        f"{p.key}  (route {p.route!r})" for p in PATTERNS if rule_for(p.key, p.route) is None
    ]
    assert not missing, (
        "URL patterns without an entry in tests/security/url_policy.py POLICY — add one line "
        "each (access class, capability, object builder):\n  " + "\n  ".join(missing)
    )


def test_policy_has_no_stale_entries_and_valid_builders():
    keys = {p.key for p in PATTERNS}
    stale = sorted(k for k in POLICY if k not in keys)
    assert not stale, f"entries for URL patterns that no longer exist: {stale}"
    unknown = sorted(r.obj for r in POLICY.values() if r.obj and r.obj not in BUILDERS)
    assert not unknown, f"unknown object builders (tests/security/objects.py): {unknown}"
    for rule in POLICY.values():
        if rule.access == Access.EXEMPT:
            assert rule.reason, "every exempt entry says why"


def _expected(rule: Rule, role: str, has_object: bool) -> str:
    """ok | login | 404 | denied (API 401/403) | ok_or_404 (allowed, object missing)."""
    if role in rule.expect:
        return rule.expect[role]
    allowed = "ok" if has_object else "ok_or_404"
    access = rule.access
    if access in (Access.PUBLIC, Access.API_PUBLIC):
        return allowed
    if access == Access.API_USER:
        if role == "anon":
            return "denied"
        return allowed if role == "citizen" or not rule.obj else "404"
    if access == Access.CITIZEN:
        if role == "anon":
            return "login"
        if role == "citizen" or not rule.obj:
            return allowed
        return "404"  # someone else's object looks missing
    if access == Access.OFFICER:
        if role == "anon":
            return "login"
        if role in ("citizen", "stranger"):
            return "404"
        if role == "officer_nocap":
            caps = ROLE_CAPABILITIES[Role.PPID_OFFICER]
            return allowed if rule.capability in caps else "404"
        if role == "admin":  # a superuser: every capability everywhere
            return allowed
        # officer and officer_other are supervisors (of the object's agency / of another one).
        if rule.capability not in ROLE_CAPABILITIES[Role.SUPERVISOR]:
            return "404"
        if role == "officer_other":
            return "404" if rule.obj else allowed
        return allowed
    raise AssertionError(f"no default outcome for {access}")


def _outcome_ok(expected: str, response) -> bool:
    status = response.status_code
    location = response.get("Location", "")
    to_login = status == 302 and location.startswith(reverse(settings.LOGIN_URL))
    if expected == "login":
        return to_login
    if expected == "404":
        return status == 404
    if expected == "denied":
        return status in (401, 403)
    if expected == "403":
        return status == 403
    passed = status < 500 and status not in (401, 403, 404) and not to_login
    if expected == "ok":
        return passed
    if expected == "ok_or_404":
        return passed or status == 404
    raise AssertionError(expected)


MATRIX = [
    p
    for p in PATTERNS
    if (r := rule_for(p.key, p.route)) is not None
    and r.access
    in (Access.PUBLIC, Access.CITIZEN, Access.OFFICER, Access.API_PUBLIC, Access.API_USER)
]


def _probe(client: Client, method: str, url: str):
    if method == "POST":
        return client.post(url, {})
    if method == "DELETE":
        return client.delete(url)
    return client.get(url)


@pytest.mark.parametrize("pattern", MATRIX, ids=[p.key for p in MATRIX])
def test_access_matrix(world, pattern: Pattern):
    rule = POLICY[pattern.key]
    has_object = bool(rule.obj)
    problems = []
    for role in ROLES:
        # A fresh object per role: POST probes may change or consume it.
        world.cache.clear()
        kwargs = world.kwargs(rule.obj) if rule.obj else missing_kwargs(pattern)
        url = reverse(pattern.name, kwargs=kwargs) if pattern.params else reverse(pattern.name)
        client = Client()
        user = world.users()[role]
        if user is not None:
            client.force_login(user)
        response = _probe(client, rule.method, url)
        expected = _expected(rule, role, has_object or not pattern.params)
        if response.status_code >= 500 or not _outcome_ok(expected, response):
            problems.append(
                f"{role}: expected {expected}, got {response.status_code} "
                f"{response.get('Location', '')}".rstrip()
            )
    assert not problems, f"{rule.method} {pattern.route} ({rule.access}):\n  " + "\n  ".join(
        problems
    )


def test_prefix_classes_cover_something():
    for prefix in PREFIX_POLICY:
        assert any(p.route.startswith(prefix) for p in PATTERNS), prefix
