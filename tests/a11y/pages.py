"""The pages axe checks, in one place. Each entry: (label, audience, url builder).

Audience: "public" (no session), "citizen" (world.citizen signed in), "officer" (world.officer,
a supervisor, signed in). Add complaint and application pages here as they land.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse

PageBuilder = Callable[[Any], str]


def _service(world) -> Any:
    if "a11y_service" not in world.cache:
        world.cache["a11y_service"] = {"obj": world.service(published=True)}
    return world.cache["a11y_service"]["obj"]


def _complaint_handling_service(world) -> Any:
    """A published service marked as its agency's complaint-handling service."""
    if "a11y_complaint_service" not in world.cache:
        from loket.catalog.services import service_set_handles_complaints

        service = world.service(published=True)
        service_set_handles_complaints(actor=None, service=service)
        world.cache["a11y_complaint_service"] = {"obj": service}
    return world.cache["a11y_complaint_service"]["obj"]


def _bill(world) -> Any:
    if "a11y_bill" not in world.cache:
        world.cache["a11y_bill"] = {"obj": world.bill()}
    return world.cache["a11y_bill"]["obj"]


def _office_complaint(world) -> Any:
    from tests.complaints_office.world import cached_complaint

    return cached_complaint(world)


def _cmp_queue() -> str:
    return reverse("complaints_office:queue") + "?antrean=all"


def _cmp_report() -> str:
    return reverse("complaints:report")


PAGES: list[tuple[str, str, PageBuilder]] = [
    ("home", "public", lambda w: reverse("portal:home")),
    ("catalog", "public", lambda w: reverse("catalog:home")),
    (
        "catalog-detail",
        "public",
        lambda w: reverse("catalog:detail", args=[w.government.slug, _service(w).slug]),
    ),
    ("signup", "public", lambda w: reverse("accounts:signup")),
    ("login", "public", lambda w: reverse("account_login")),
    ("password-reset", "public", lambda w: reverse("account_reset_password")),
    (
        "verify-document",
        "public",
        lambda w: reverse("documents:verify", args=[w.document().public_id]),
    ),
    ("api-docs", "public", lambda w: reverse("api-docs")),
    ("complaints-home", "public", lambda w: _office_complaint(w) and reverse("complaints:home")),
    ("complaints-map", "public", lambda w: reverse("complaints:map")),
    ("complaints-report-guest", "public", lambda w: _office_complaint(w) and _cmp_report()),
    ("complaints-track-form", "public", lambda w: reverse("complaints:track_form")),
    (
        "complaints-track",
        "public",
        lambda w: reverse("complaints:track", args=[_office_complaint(w).tracking_number]),
    ),
    (
        "complaints-detail",
        "public",
        lambda w: reverse("complaints:detail", args=[_office_complaint(w).tracking_number]),
    ),
    ("complaints-report", "citizen", lambda w: _office_complaint(w) and _cmp_report()),
    ("complaints-mine", "citizen", lambda w: _office_complaint(w) and reverse("complaints:mine")),
    (
        "complaints-mine-detail",
        "citizen",
        lambda w: reverse("complaints:mine_detail", args=[_office_complaint(w).tracking_number]),
    ),
    ("profile", "citizen", lambda w: reverse("accounts:profile")),
    ("data-export", "citizen", lambda w: reverse("accounts:export")),
    ("delete-account", "citizen", lambda w: reverse("accounts:delete")),
    ("inbox", "citizen", lambda w: w.notification() and reverse("notifications:inbox")),
    ("bill", "citizen", lambda w: reverse("payments:bill", args=[_bill(w).code])),
    ("bill-simulator", "citizen", lambda w: reverse("payments:simulate", args=[_bill(w).code])),
    ("backoffice-home", "officer", lambda w: reverse("backoffice:home")),
    ("catalog-office-list", "officer", lambda w: reverse("catalog_office:list")),
    ("catalog-office-create", "officer", lambda w: reverse("catalog_office:create")),
    (
        "catalog-office-edit",
        "officer",
        lambda w: reverse("catalog_office:edit", args=[_service(w).pk]),
    ),
    (
        "catalog-office-edit-complaint-handling",
        "officer",
        lambda w: reverse("catalog_office:edit", args=[_complaint_handling_service(w).pk]),
    ),
    (
        "catalog-office-history",
        "officer",
        lambda w: reverse("catalog_office:history", args=[_service(w).pk]),
    ),
    (
        "catalog-office-pledge",
        "officer",
        lambda w: reverse("catalog_office:pledge", args=[w.agency.pk]),
    ),
    ("complaints-office-queue", "officer", lambda w: _office_complaint(w) and _cmp_queue()),
    (
        "complaints-office-detail",
        "officer",
        lambda w: reverse("complaints_office:detail", args=[_office_complaint(w).pk]),
    ),
    ("cashier-list", "officer", lambda w: reverse("payments:cashier_list")),
    (
        "cashier-confirm",
        "officer",
        lambda w: reverse("payments:cashier_confirm", args=[_bill(w).code]),
    ),
]
