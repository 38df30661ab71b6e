"""Django admin for users. NIK is never shown whole here; password forms validate the officer
policy because the account kind is known before the password is checked."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from loket.accounts.models import SignupRequest, User


class LoketUserCreationForm(AdminUserCreationForm[User]):
    class Meta:
        model = User
        fields = ("email", "phone", "full_name", "kind", "is_staff")


class LoketUserChangeForm(UserChangeForm):  # type: ignore[type-arg]
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    form = LoketUserChangeForm
    add_form = LoketUserCreationForm
    ordering = ("-date_joined",)
    list_display = ("id", "__str__", "kind", "is_active", "is_staff", "date_joined")
    list_filter = ("kind", "is_active", "is_staff")
    search_fields = ("full_name", "email", "phone")
    readonly_fields = ("nik_masked", "date_joined", "last_login", "anonymized_at")
    fieldsets = (
        (None, {"fields": ("email", "phone", "phone_verified", "password")}),
        (_("Profil"), {"fields": ("full_name", "kind", "language", "nik_masked")}),
        (
            _("Kabar"),
            {"fields": ("notify_email", "notify_sms", "notify_whatsapp")},
        ),
        (
            _("Hak akses"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Waktu"), {"fields": ("date_joined", "last_login", "anonymized_at")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "phone",
                    "full_name",
                    "kind",
                    "is_staff",
                    "password1",
                    "password2",
                ),
            },
        ),
    )


@admin.register(SignupRequest)
class SignupRequestAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("id", "channel", "created_at", "send_count", "attempts", "completed_at")
    list_filter = ("channel",)
    exclude = ("destination", "password_hash", "code_hash")
    readonly_fields = (
        "channel",
        "destination_ref",
        "full_name",
        "language",
        "code_expires_at",
        "attempts",
        "send_count",
        "last_sent_at",
        "completed_at",
        "user",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
