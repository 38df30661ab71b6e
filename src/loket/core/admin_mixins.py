"""Admin helpers: every change made in the Django admin is written to the audit chain."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.forms import ModelForm
from django.http import HttpRequest

from loket.core.audit import log_action


def _government_id(obj: models.Model) -> int | None:
    for attr in ("government_id", "agency__government_id"):
        value = getattr(obj, attr, None)
        if isinstance(value, int):
            return value
    agency = getattr(obj, "agency", None)
    return getattr(agency, "government_id", None) if agency is not None else None


class AuditedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Writes ``admin.<model>.created|changed|deleted`` with the changed field names."""

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:  # type: ignore[type-arg]
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            log_action(
                f"admin.{obj._meta.model_name}.{'changed' if change else 'created'}",
                actor=request.user,
                actor_role="platform_admin",
                obj=obj,
                government_id=_government_id(obj),
                payload={"fields": sorted(form.changed_data)},
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            log_action(
                f"admin.{obj._meta.model_name}.deleted",
                actor=request.user,
                actor_role="platform_admin",
                obj=obj,
                government_id=_government_id(obj),
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """For records that only the system writes (audit, deliveries, files)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
