"""Every URL pattern of the root URLconf, named or not, with its full route string."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern


@dataclass(frozen=True)
class Pattern:
    key: str  # "namespace:name", or the full route for an unnamed pattern
    name: str | None
    route: str
    params: tuple[str, ...]
    converters: dict[str, str]


def _params(pattern_obj: object) -> tuple[list[str], dict[str, str]]:
    if isinstance(pattern_obj, RoutePattern):
        found = re.findall(r"<(?:(\w+):)?(\w+)>", str(pattern_obj._route))
        return [n for _, n in found], {n: (c or "str") for c, n in found}
    if isinstance(pattern_obj, RegexPattern):
        names = list(pattern_obj.regex.groupindex)
        return names, dict.fromkeys(names, "regex")
    return [], {}


def all_patterns() -> list[Pattern]:
    out: list[Pattern] = []

    def walk(resolver: URLResolver, prefix: str, namespace: str, params: list, conv: dict):
        for entry in resolver.url_patterns:
            names, converters = _params(entry.pattern)
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                ns = namespace
                if entry.namespace:
                    ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry, route, ns, params + names, {**conv, **converters})
            elif isinstance(entry, URLPattern):
                full = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
                out.append(
                    Pattern(
                        key=full or route,
                        name=full,
                        route=route,
                        params=tuple(params + names),
                        converters={**conv, **converters},
                    )
                )

    walk(get_resolver(), "", "", [], {})
    return out


MISSING_UUID = uuid.UUID("00000000-0000-4000-8000-000000000000")


def missing_kwargs(pattern: Pattern) -> dict[str, object]:
    """URL kwargs that name nothing existing, by converter."""
    values: dict[str, object] = {}
    for name in pattern.params:
        converter = pattern.converters.get(name, "str")
        if converter == "int":
            values[name] = 999_999
        elif converter == "uuid":
            values[name] = MISSING_UUID
        elif converter == "slug":
            values[name] = "tidak-ada"
        else:
            values[name] = "TIDAKADA"
    return values
