from django.contrib import admin

from loket.core.admin_mixins import AuditedAdmin
from loket.organizations.models import (
    Agency,
    Government,
    Membership,
    Region,
    RegionalHoliday,
    Unit,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "kind")
    list_filter = ("level",)
    search_fields = ("code", "name")
    readonly_fields = ("code", "name", "level", "kind", "parent")

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # the list comes from `loket import-regions`

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


class AgencyInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Agency
    extra = 0
    fields = ("name", "short_name", "slug", "is_active")


@admin.register(Government)
class GovernmentAdmin(AuditedAdmin):
    list_display = ("name", "region", "tracking_prefix", "time_zone", "is_active")
    raw_id_fields = ("region",)
    inlines = (AgencyInline,)


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin):
    list_display = ("name", "short_name", "government", "is_active")
    list_filter = ("government",)
    search_fields = ("name", "short_name")


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ("name", "agency")
    list_filter = ("agency__government",)


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ("user", "agency", "role", "is_active")
    list_filter = ("role", "agency__government")
    raw_id_fields = ("user",)


@admin.register(RegionalHoliday)
class RegionalHolidayAdmin(AuditedAdmin):
    list_display = ("date", "name", "government")
    list_filter = ("government",)
