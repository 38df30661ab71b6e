"""Turning a form definition and an application's values into what templates show: one
:class:`FieldView` per field or document, in the form's order."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from loket.applications import definitions as defs
from loket.applications.models import Application, ApplicationDocument
from loket.core.files import file_url
from loket.organizations.models import Region


@dataclass
class FieldView:
    spec: defs.FieldSpec
    value: Any = ""
    display: str = ""
    error: str = ""
    editable: bool = True
    visible: bool = True
    returned: bool = False
    document: ApplicationDocument | None = None
    document_url: str = ""
    region_levels: list[dict[str, Any]] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.spec.code

    @property
    def type(self) -> str:
        return self.spec.type

    @property
    def label(self) -> str:
        return self.spec.text()

    @property
    def help(self) -> str:
        return self.spec.help_text()

    @property
    def required(self) -> bool:
        return self.spec.required

    @property
    def choices(self) -> list[dict[str, Any]]:
        picked = self.value if isinstance(self.value, list) else [self.value]
        return [
            {"value": c.value, "label": c.text(), "checked": c.value in picked}
            for c in self.spec.choices
        ]

    @property
    def accept(self) -> str:
        kinds = []
        if "pdf" in self.spec.kinds:
            kinds.append("application/pdf")
        if "image" in self.spec.kinds:
            kinds.append("image/jpeg,image/png,image/webp")
        return ",".join(kinds)

    @property
    def kinds_text(self) -> str:
        names = {"pdf": "PDF", "image": _("gambar JPG/PNG/WebP")}
        return _("%(kinds)s, maks. %(size)s MB") % {
            "kinds": " / ".join(names[k] for k in self.spec.kinds),
            "size": self.spec.max_mb,
        }

    @property
    def show_if_field(self) -> str:
        return self.spec.show_if.field if self.spec.show_if else ""

    @property
    def show_if_value(self) -> str:
        cond = self.spec.show_if
        return cond.value if cond and cond.value is not None else ""

    @property
    def lat(self) -> str:
        return str(self.value.get("lat", "")) if isinstance(self.value, Mapping) else ""

    @property
    def lng(self) -> str:
        return str(self.value.get("lng", "")) if isinstance(self.value, Mapping) else ""


def _region_levels(spec: defs.FieldSpec, value: str) -> list[dict[str, Any]]:
    """Selects for a cascading region field: provinces, then the children of each chosen
    ancestor (three more queries at most)."""
    chosen = value.split(".") if value else []
    codes = [".".join(chosen[: i + 1]) for i in range(len(chosen))]
    levels: list[dict[str, Any]] = []
    for level in range(1, spec.level + 1):
        parent = codes[level - 2] if level > 1 and len(codes) >= level - 1 else None
        if level == 1:
            options = list(Region.objects.filter(level=1).values_list("code", "name"))
        elif parent:
            options = list(Region.objects.filter(parent_id=parent).values_list("code", "name"))
        else:
            options = []
        levels.append(
            {
                "level": level,
                "label": Region.Level(level).label,
                "options": options,
                "selected": codes[level - 1] if len(codes) >= level else "",
                "last": level == spec.level,
            }
        )
    return levels


def field_views(
    application: Application,
    *,
    posted: Mapping[str, Any] | None = None,
    errors: Mapping[str, list[str]] | None = None,
    editable: set[str] | None = None,
    documents: Mapping[str, ApplicationDocument] | None = None,
) -> list[FieldView]:
    """Views of every field and requirement. ``posted`` (the request data after a refused
    POST) wins over stored values so people do not retype; ``editable`` None: all editable."""
    spec = defs.parse_form(application.form.fields, application.form.requirements)
    values: Mapping[str, Any] = application.data
    docs = documents or {}
    visible = spec.visible(values, docs.keys())
    returned = {*application.revision_fields, *application.revision_documents}
    views: list[FieldView] = []
    for item in (*spec.fields, *spec.requirements):
        value = values.get(item.code)
        if posted is not None and not item.is_file and item.type != "nik":
            if item.type == "multichoice":
                value = posted.getlist(item.code) if hasattr(posted, "getlist") else value
            elif item.type == "location":
                value = {
                    "lat": posted.get(f"{item.code}_lat", ""),
                    "lng": posted.get(f"{item.code}_lng", ""),
                }
            elif item.type == "consent":
                value = bool(posted.get(item.code))
            elif item.code in posted:
                value = posted.get(item.code)
        view = FieldView(
            spec=item,
            value=defs.to_posted(item, value),
            display=defs.display_value(item, values.get(item.code))
            if application.state != "draft" or editable is not None
            else "",
            error=" ".join((errors or {}).get(item.code, [])),
            editable=editable is None or item.code in editable,
            visible=item.code in visible,
            returned=item.code in returned,
            document=docs.get(item.code),
        )
        if view.document is not None:
            view.document_url = file_url(view.document.file)
        if item.type == "region" and view.editable:
            view.region_levels = _region_levels(item, str(value or ""))
        views.append(view)
    return views
