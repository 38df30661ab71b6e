"""Admin for platform administrators: themes are edited here; services and versions are only
shown, because every edit must go through the versioned, audited back-office editor."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from loket.catalog.models import AgencyPledge, Service, ServiceVersion, Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "slug", "order")
    prepopulated_fields = {"slug": ("name",)}


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Service)
class ServiceAdmin(ReadOnlyAdmin):
    list_display = ("name", "government", "agency", "theme", "channel", "is_published")
    list_filter = ("is_published", "channel", "theme", "government")
    search_fields = ("name", "slug")
    list_select_related = ("government", "agency", "theme")


@admin.register(ServiceVersion)
class ServiceVersionAdmin(ReadOnlyAdmin):
    list_display = ("service", "number", "edited_by", "created_at")
    list_select_related = ("service", "edited_by")


@admin.register(AgencyPledge)
class AgencyPledgeAdmin(ReadOnlyAdmin):
    list_display = ("agency", "updated_at")
    list_select_related = ("agency",)
