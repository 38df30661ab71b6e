"""Serializers of API v1. Read-only shapes; writes go through services."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from loket.accounts.models import User
from loket.api.models import ApiKey
from loket.organizations.models import Agency, Government, Region


class ErrorDetailSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="Machine-readable code, e.g. validation_error.")
    message = serializers.CharField(help_text="Human message in the request's language.")
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Only for validation_error: field name (dotted when nested) → messages.",
    )
    request_id = serializers.CharField(help_text="Same as the X-Request-ID response header.")


class ErrorSerializer(serializers.Serializer[Any]):
    """Every error answer of the API has this shape."""

    error = ErrorDetailSerializer()


class MeSerializer(serializers.ModelSerializer[User]):
    class Meta:
        model = User
        fields = ["id", "kind", "full_name", "language"]
        read_only_fields = fields


class RegionSerializer(serializers.ModelSerializer[Region]):
    parent = serializers.CharField(  # type: ignore[assignment]
        source="parent_id", allow_null=True, read_only=True
    )

    class Meta:
        model = Region
        fields = ["code", "name", "level", "kind", "parent"]
        read_only_fields = fields


class GovernmentSerializer(serializers.ModelSerializer[Government]):
    region = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Government
        fields = ["slug", "name", "region", "region_name", "time_zone"]
        read_only_fields = fields


class AgencySerializer(serializers.ModelSerializer[Agency]):
    class Meta:
        model = Agency
        fields = ["slug", "name", "short_name"]
        read_only_fields = fields


class TokenSerializer(serializers.ModelSerializer[ApiKey]):
    class Meta:
        model = ApiKey
        fields = ["prefix", "name", "created_at", "last_used_at"]
        read_only_fields = fields


class TokenCreateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=100, label=_("nama"))


class TokenCreatedSerializer(TokenSerializer):
    token = serializers.CharField(
        read_only=True, help_text="The full token. Shown only in this answer; store it now."
    )

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "token"]
        read_only_fields = fields


class RegionQuerySerializer(serializers.Serializer[Any]):
    parent = serializers.RegexField(  # type: ignore[assignment]
        r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$",
        required=False,
        help_text="Dotted Kemendagri code of the parent region, e.g. 18.71. Omit for provinces.",
        error_messages={"invalid": _("Kode wilayah harus berbentuk seperti 18.71.01.1001.")},
    )
