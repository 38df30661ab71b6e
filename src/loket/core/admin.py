from django.contrib import admin

from loket.core.admin_mixins import AuditedAdmin, ReadOnlyAdmin
from loket.core.models import AuditEvent, StoredFile, TaskGiveUp


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("sequence", "occurred_at", "action", "object_type", "object_id", "actor_id")
    list_filter = ("action",)
    search_fields = ("action", "object_id", "request_id")
    date_hierarchy = "occurred_at"


@admin.register(TaskGiveUp)
class TaskGiveUpAdmin(AuditedAdmin):
    list_display = ("task_path", "attempts", "gave_up_at", "resolved_at")
    list_filter = ("task_path",)
    readonly_fields = ("task_path", "arguments", "attempts", "last_error", "gave_up_at")


@admin.register(StoredFile)
class StoredFileAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "purpose", "size", "created_at")
    list_filter = ("kind", "purpose")
    exclude = ("original_name",)
