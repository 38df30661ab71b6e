"""Forms of the officers' complaint pages: the queue filters and one small form per action.

The forms only parse and check the shape of the input (choices limited to what the officer
may pick); every rule of the domain stays in :mod:`loket.complaints.services`, whose
``ValidationError`` the views show next to the same form.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from loket.complaints.models import Category
from loket.complaints.selectors import ComplaintFilters
from loket.complaints.states import COMPLAINT
from loket.organizations.models import Agency, Government

MAX_TEXT = 4000


def _text(label: Any, *, required: bool = True, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=MAX_TEXT,
        strip=True,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": _("Wajib diisi."),
            "max_length": _("Terlalu panjang (maks. %(limit_value)s karakter)."),
        },
    )


def _choices(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


def _choice_error() -> dict[str, Any]:
    return {
        "required": _("Wajib dipilih."),
        "invalid_choice": _("Pilih salah satu dari daftar."),
    }


# --- queue filters --------------------------------------------------------------------------------
STATUS_CHOICES: list[tuple[str, Any]] = [
    ("", _("Semua status")),
    ("open", _("Masih terbuka")),
    ("closed", _("Sudah selesai")),
    *COMPLAINT.choices(),
]


class QueueFilterForm(forms.Form):
    """Filters of the queue; choices come from the officer's governments."""

    q = forms.CharField(
        label=_("Cari nomor atau judul"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    category = forms.TypedChoiceField(
        label=_("Kategori"), required=False, coerce=int, empty_value=None
    )
    region = forms.ChoiceField(label=_("Kecamatan"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)
    since = forms.DateField(
        label=_("Dilaporkan sejak"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Tanggal tidak valid.")},
    )
    until = forms.DateField(
        label=_("Dilaporkan sampai"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Tanggal tidak valid.")},
    )
    agency = forms.TypedChoiceField(
        label=_("Perangkat daerah"), required=False, coerce=int, empty_value=None
    )

    def __init__(
        self,
        data: Any,
        *,
        categories: list[Category],
        regions: list[tuple[str, str]],
        agencies: list[Agency] | None,
    ) -> None:
        super().__init__(data)
        for name in ("category", "region", "status", "agency"):
            self.fields[name].error_messages.update(_choice_error())
        _choices(self, "category").choices = [("", _("Semua kategori"))] + [
            (c.pk, ("— " * (len(c.ancestor_ids()) - 1)) + c.name) for c in categories
        ]
        _choices(self, "region").choices = [("", _("Semua kecamatan")), *regions]
        if agencies is None:
            del self.fields["agency"]
        else:
            _choices(self, "agency").choices = [("", _("Semua perangkat daerah"))] + [
                (a.pk, a.name) for a in agencies
            ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("Tanggal akhir harus setelah tanggal awal."))
        return data

    def filters(self) -> ComplaintFilters:
        """The selector's filters (call after ``is_valid()``)."""
        data = self.cleaned_data
        tz = timezone.get_current_timezone()
        since = data.get("since")
        until = data.get("until")
        return ComplaintFilters(
            category_id=data.get("category"),
            region_prefix=data.get("region") or "",
            status=data.get("status") or "",
            since=datetime.combine(since, time.min, tz) if since else None,
            until=datetime.combine(until, time.max, tz) if until else None,
            search=(data.get("q") or "").strip(),
            agency_id=data.get("agency"),
        )

    def query_without_page(self) -> str:
        """The filter part of the query string, for tab and page links."""
        if not self.is_bound:
            return ""
        keep = {k: v for k, v in self.data.items() if k in self.fields and v}
        from urllib.parse import urlencode

        return urlencode(keep)


class BulkDispatchForm(forms.Form):
    """Bulk dispatch: chosen reports to one agency, or each by the routing table."""

    ids = forms.TypedMultipleChoiceField(
        label=_("Laporan"),
        coerce=int,
        error_messages={
            "required": _("Pilih minimal satu laporan."),
            "invalid_choice": _("Pilih laporan dari daftar."),
        },
    )
    agency = forms.ChoiceField(label=_("Disposisi ke"), required=False)

    ROUTING = "rute"

    def __init__(self, data: Any, *, agencies: list[Agency]) -> None:
        super().__init__(data)
        raw = data.getlist("ids") if hasattr(data, "getlist") else data.get("ids", [])
        _choices(self, "ids").choices = [(v, v) for v in raw if str(v).isdigit()]
        _choices(self, "agency").choices = [(self.ROUTING, _("Sesuai tabel disposisi"))] + [
            (str(a.pk), a.name) for a in agencies
        ]
        self.fields["agency"].error_messages.update(_choice_error())
        self._agencies = {str(a.pk): a for a in agencies}

    def target(self) -> Agency | None:
        return self._agencies.get(self.cleaned_data.get("agency") or "")


# --- actions on one report ------------------------------------------------------------------------
class ActionForm(forms.Form):
    """Base: every action form gets the report and the officer's option lists."""

    def __init__(self, data: Any = None, files: Any = None, *, options: dict[str, Any]) -> None:
        # Many action forms share a page: ids carry the form's name so they stay unique.
        super().__init__(data, files, auto_id=f"id_{type(self).__name__.lower()}_%s")
        self.options = options


class VerifyForm(ActionForm):
    note = _text(_("Catatan internal (opsional)"), required=False, rows=2)


class RejectForm(ActionForm):
    reason = _text(_("Alasan penolakan (dibaca pelapor)"))


class _AgencyForm(ActionForm):
    agency = forms.TypedChoiceField(label=_("Perangkat daerah"), coerce=int)
    note = _text(_("Catatan (opsional)"), required=False, rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "agency").choices = [("", "—")] + [
            (a.pk, a.name) for a in self.options["agencies"]
        ]
        self.fields["agency"].error_messages.update(_choice_error())

    def chosen_agency(self) -> Agency:
        agencies: dict[int, Agency] = {a.pk: a for a in self.options["agencies"]}
        return agencies[self.cleaned_data["agency"]]


class DispatchForm(_AgencyForm):
    pass


class RedirectForm(_AgencyForm):
    pass


class ForwardForm(ActionForm):
    government = forms.TypedChoiceField(label=_("Pemerintah daerah tujuan"), coerce=int)
    reason = _text(_("Alasan (dibaca pelapor)"))
    category = forms.TypedChoiceField(
        label=_("Kategori di pemerintah tujuan (opsional)"),
        coerce=int,
        required=False,
        empty_value=None,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        governments: list[Government] = self.options["governments"]
        _choices(self, "government").choices = [("", "—")] + [(g.pk, g.name) for g in governments]
        names = {g.pk: g.name for g in governments}
        _choices(self, "category").choices = [("", _("Ditentukan pemerintah tujuan"))] + [
            (c.pk, f"{names.get(c.government_id, '')}: {c.name}")
            for c in self.options["foreign_categories"]
        ]
        for name in ("government", "category"):
            self.fields[name].error_messages.update(_choice_error())

    def chosen_government(self) -> Government:
        found: dict[int, Government] = {g.pk: g for g in self.options["governments"]}
        return found[self.cleaned_data["government"]]

    def chosen_category(self) -> Category | None:
        found: dict[int, Category] = {c.pk: c for c in self.options["foreign_categories"]}
        value = self.cleaned_data.get("category")
        return found.get(value) if value is not None else None


class RecategorizeForm(ActionForm):
    category = forms.TypedChoiceField(label=_("Kategori baru"), coerce=int)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "category").choices = [("", "—")] + [
            (c.pk, ("— " * (len(c.ancestor_ids()) - 1)) + c.name)
            for c in self.options["categories"]
        ]
        self.fields["category"].error_messages.update(_choice_error())

    def chosen_category(self) -> Category:
        found: dict[int, Category] = {c.pk: c for c in self.options["categories"]}
        return found[self.cleaned_data["category"]]


class MergeForm(ActionForm):
    into = forms.CharField(
        label=_("Gabungkan ke laporan nomor"),
        max_length=24,
        error_messages={"required": _("Wajib diisi.")},
    )
    note = _text(_("Catatan (opsional)"), required=False, rows=2)


class RestrictForm(ActionForm):
    make_confidential = forms.BooleanField(
        label=_("Jadikan rahasia (tidak tampil untuk publik)"), required=False
    )
    make_anonymous = forms.BooleanField(
        label=_("Sembunyikan identitas pelapor (anonim)"), required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("make_confidential") and not data.get("make_anonymous"):
            raise forms.ValidationError(_("Pilih minimal satu perubahan."))
        return data


class DeclineForm(ActionForm):
    reason = _text(_("Alasan bukan wewenang"))


class AssignForm(ActionForm):
    handler = forms.TypedChoiceField(label=_("Petugas tindak lanjut"), coerce=int)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "handler").choices = [("", "—")] + [
            (u.pk, str(u)) for u in self.options["handlers"]
        ]
        self.fields["handler"].error_messages.update(_choice_error())

    def chosen_handler(self) -> Any:
        found = {u.pk: u for u in self.options["handlers"]}
        return found[self.cleaned_data["handler"]]


class StartWorkForm(ActionForm):
    estimate_date = forms.DateField(
        label=_("Perkiraan selesai"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Wajib diisi."), "invalid": _("Tanggal tidak valid.")},
    )
    note = _text(_("Tanggapan publik (opsional)"), required=False, rows=2)


class AskReporterForm(ActionForm):
    question = _text(_("Pertanyaan untuk pelapor"))


class ResumeForm(ActionForm):
    note = _text(_("Alasan melanjutkan tanpa jawaban"))


class ResolveForm(ActionForm):
    answer = _text(_("Jawaban publik"), rows=4)


class NoteForm(ActionForm):
    body = _text(_("Isi"))
    public = forms.BooleanField(
        label=_("Tampilkan sebagai tanggapan publik (pelapor dan publik membacanya)"),
        required=False,
    )


class MessageForm(ActionForm):
    body = _text(_("Pesan untuk pelapor"))


ACTION_FORMS: dict[str, type[ActionForm]] = {
    "verify": VerifyForm,
    "reject": RejectForm,
    "dispatch": DispatchForm,
    "redirect": RedirectForm,
    "forward": ForwardForm,
    "recategorize": RecategorizeForm,
    "merge": MergeForm,
    "restrict": RestrictForm,
    "decline": DeclineForm,
    "assign": AssignForm,
    "start_work": StartWorkForm,
    "ask_reporter": AskReporterForm,
    "resume": ResumeForm,
    "resolve": ResolveForm,
    "note": NoteForm,
    "message": MessageForm,
}
