"""Notification texts: one plain-text template per kind and language.

``templates/notifications/<kind>.id.txt`` and ``<kind>.en.txt``: the first line is the title,
the rest the body. Both languages must exist for every kind (a test checks it). Templates are
rendered without HTML escaping (the result is plain text for SMS, email and the inbox, where
Django escapes it on display) and with the recipient's language active.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.template import Context, Engine, TemplateDoesNotExist
from django.utils import translation

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
TITLE_MAX = 200
_KIND = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")


class UnknownKind(ValueError):
    """No template exists for this kind of notification."""


@dataclass(frozen=True)
class RenderedMessage:
    title: str
    body: str


def template_name(kind: str, language: str) -> str:
    if not _KIND.match(kind):
        raise UnknownKind(f"invalid notification kind {kind!r}")
    return f"notifications/{kind}.{language}.txt"


def render_notification(*, kind: str, language: str, context: Mapping[str, Any]) -> RenderedMessage:
    """Title and body of ``kind`` in ``language`` (Indonesian when the language is unknown)."""
    language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    try:
        template = Engine.get_default().get_template(template_name(kind, language))
    except TemplateDoesNotExist as exc:
        raise UnknownKind(f"no {language} template for notification kind {kind!r}") from exc
    with translation.override(language):
        text = template.render(Context(dict(context), autoescape=False))
    lines = [line.strip() for line in text.strip().splitlines()]
    if not lines or not lines[0]:
        raise UnknownKind(f"the template of {kind!r} renders no title")
    title = lines[0][:TITLE_MAX]
    body = "\n".join(lines[1:]).strip()
    return RenderedMessage(title=title, body=body)
