"""Every payload of the XSS corpus, through every renderer, comes out escaped."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError

from tests.security.xss import EVALUATED, PAYLOADS, RAW_MARKERS, RENDERERS


@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_user_text_is_escaped_everywhere_it_is_shown(world, name):
    problems = []
    for label, payload in PAYLOADS.items():
        try:
            pages = RENDERERS[name](world, payload)
        except ValidationError:
            continue  # refused on input: nothing to render
        for page in pages:
            response = page.client.get(page.url)
            if response.status_code >= 500:
                problems.append(f"{label} {page.url}: {response.status_code}")
                continue
            body = response.content.decode()
            if page.kind == "json":
                json.loads(body)  # JSON is JSON, whatever the text inside
                assert response["Content-Type"].startswith("application/json")
                continue
            found = [marker for marker in RAW_MARKERS if marker in body]
            found += EVALUATED.findall(body)
            if found:
                problems.append(f"{label} {page.url}: raw {found}")
    assert not problems, "\n".join(problems)
