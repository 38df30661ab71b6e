"""Django admin for platform administrators only (is_staff alone is not enough)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class LoketAdminSite(admin.AdminSite):
    site_header = _("Administrasi Loket")
    site_title = _("Administrasi Loket")
    index_title = _("Konfigurasi platform")

    def has_permission(self, request: HttpRequest) -> bool:
        from loket.core.permissions import PLATFORM_ADMIN, officer_scope

        user = request.user
        return bool(
            user.is_active and user.is_staff and officer_scope(user).has_capability(PLATFORM_ADMIN)
        )


class LoketAdminConfig(AdminConfig):
    default_site = "loket.core.admin_site.LoketAdminSite"
