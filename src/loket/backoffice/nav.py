"""Back-office navigation: each module registers its entries with the capability they need,
so an officer's menu follows their roles."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise

from loket.core import permissions as perms


@dataclass(frozen=True)
class NavEntry:
    label: str | Promise
    url_name: str
    capability: str
    order: int = 100


_ENTRIES: list[NavEntry] = []


def register_nav(entry: NavEntry) -> None:
    if entry not in _ENTRIES:
        _ENTRIES.append(entry)
        _ENTRIES.sort(key=lambda e: e.order)


def nav_for(scope: perms.OfficerScope) -> list[tuple[str | Promise, str]]:
    items = []
    for entry in _ENTRIES:
        if scope.has_capability(entry.capability):
            try:
                items.append((entry.label, reverse(entry.url_name)))
            except NoReverseMatch:
                continue
    return items
