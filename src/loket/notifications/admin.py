from django.contrib import admin

from loket.core.admin_mixins import ReadOnlyAdmin
from loket.notifications.models import Delivery


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ("id", "channel", "status", "attempts", "created_at", "sent_at")
    list_filter = ("channel", "status")
