from django.contrib import admin

from loket.api.models import ApiKey
from loket.core.admin_mixins import AuditedAdmin


@admin.register(ApiKey)
class ApiKeyAdmin(AuditedAdmin):
    list_display = ("name", "prefix", "user", "government", "created_at", "revoked_at")
    list_filter = ("revoked_at",)
    fields = ("name", "prefix", "scopes", "government", "revoked_at", "last_used_at")
    readonly_fields = ("prefix", "last_used_at")

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # keys are created with `loket apikey create` so the secret is shown once
