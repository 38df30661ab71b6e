"""Forms of the catalogue: the public search and filters, the service editor, the pledge."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from loket.catalog.models import Channel, Theme
from loket.catalog.selectors import CatalogFilters
from loket.catalog.services import MAX_FEE, MAX_TIME_LIMIT_DAYS, ServiceInput
from loket.organizations.models import Agency, Government


class CatalogFilterForm(forms.Form):
    """The GET form above the public list. Choices come from the caller (already loaded)."""

    q = forms.CharField(label=_("Cari layanan"), required=False, max_length=200)
    pemda = forms.ChoiceField(label=_("Pemerintah daerah"), required=False)
    opd = forms.TypedChoiceField(
        label=_("Perangkat daerah"), required=False, coerce=int, empty_value=None
    )
    kanal = forms.ChoiceField(label=_("Kanal"), required=False)
    tema = forms.ChoiceField(label=_("Tema"), required=False)

    def __init__(
        self,
        data: Any,
        *,
        governments: Iterable[Government],
        agencies: Iterable[Agency],
        themes: Iterable[Theme],
    ) -> None:
        super().__init__(data)
        every = ("", _("Semua"))
        self.fields["q"].widget.attrs.update({"autocomplete": "off"})
        self.fields["q"].widget.input_type = "search"
        cast(forms.ChoiceField, self.fields["pemda"]).choices = [every] + [
            (g.slug, g.name) for g in governments
        ]
        cast(forms.ChoiceField, self.fields["opd"]).choices = [every] + [
            (a.pk, f"{a.government.name} — {a.name}") for a in agencies
        ]
        cast(forms.ChoiceField, self.fields["kanal"]).choices = [
            every,
            (Channel.ONLINE, _("Bisa daring")),
            (Channel.COUNTER, _("Bisa di loket")),
            (Channel.BOTH, _("Daring dan di loket")),
        ]
        cast(forms.ChoiceField, self.fields["tema"]).choices = [every] + [
            (t.slug, t.name) for t in themes
        ]

    def filters(self) -> CatalogFilters:
        """The valid part of the submitted filters (invalid ones are ignored)."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        return CatalogFilters(
            query=data.get("q") or "",
            government_slug=data.get("pemda") or "",
            agency_id=data.get("opd"),
            channel=data.get("kanal") or "",
            theme_slug=data.get("tema") or "",
        )


_TEXTAREA = forms.Textarea(attrs={"rows": 3})
_LIST_TEXTAREA = forms.Textarea(attrs={"rows": 5})


class ServiceForm(forms.Form):
    """Every editable field of a service. ``agencies`` is given on creation only."""

    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), label=_("Perangkat daerah"))
    name = forms.CharField(label=_("Nama layanan"), max_length=200)
    summary = forms.CharField(label=_("Ringkasan"), required=False, widget=_TEXTAREA)
    theme = forms.ModelChoiceField(queryset=Theme.objects.all(), label=_("Tema"))
    channel = forms.ChoiceField(label=_("Kanal"), choices=Channel.choices)
    fee = forms.IntegerField(
        label=_("Biaya (Rupiah)"),
        min_value=0,
        max_value=MAX_FEE,
        initial=0,
        help_text=_("Isi 0 bila gratis."),
    )
    fee_legal_basis = forms.CharField(
        label=_("Dasar hukum biaya"),
        required=False,
        widget=_TEXTAREA,
        help_text=_("Wajib bila layanan berbayar, misalnya Perda tentang retribusi."),
    )
    time_limit_days = forms.IntegerField(
        label=_("Jangka waktu (hari kerja)"), min_value=1, max_value=MAX_TIME_LIMIT_DAYS
    )
    output = forms.CharField(label=_("Produk layanan"), max_length=200)
    external_url = forms.URLField(
        label=_("Tautan layanan eksternal"),
        required=False,
        assume_scheme="https",
        help_text=_("Misalnya sistem OSS untuk perizinan berusaha."),
    )
    uses_queue = forms.BooleanField(label=_("Pendaftaran melalui antrean"), required=False)
    keywords = forms.CharField(
        label=_("Kata kunci"),
        required=False,
        max_length=300,
        help_text=_("Kata lain yang mungkin dicari warga, dipisah spasi."),
    )
    legal_basis = forms.CharField(label=_("Dasar hukum"), widget=_LIST_TEXTAREA)
    requirements = forms.CharField(
        label=_("Persyaratan"), widget=_LIST_TEXTAREA, help_text=_("Satu persyaratan per baris.")
    )
    procedure = forms.CharField(
        label=_("Sistem, mekanisme dan prosedur"),
        widget=_LIST_TEXTAREA,
        help_text=_("Satu langkah per baris."),
    )
    time_limit_note = forms.CharField(
        label=_("Keterangan jangka waktu"), required=False, widget=_TEXTAREA
    )
    fee_note = forms.CharField(label=_("Keterangan biaya/tarif"), required=False, widget=_TEXTAREA)
    output_note = forms.CharField(
        label=_("Keterangan produk pelayanan"), required=False, widget=_TEXTAREA
    )
    facilities = forms.CharField(
        label=_("Sarana, prasarana dan/atau fasilitas"), required=False, widget=_TEXTAREA
    )
    staff_competence = forms.CharField(
        label=_("Kompetensi pelaksana"), required=False, widget=_TEXTAREA
    )
    internal_supervision = forms.CharField(
        label=_("Pengawasan internal"), required=False, widget=_TEXTAREA
    )
    complaint_handling = forms.CharField(
        label=_("Penanganan pengaduan, saran dan masukan"), required=False, widget=_TEXTAREA
    )
    staff_count = forms.CharField(label=_("Jumlah pelaksana"), required=False, widget=_TEXTAREA)
    service_guarantee = forms.CharField(
        label=_("Jaminan pelayanan"), required=False, widget=_TEXTAREA
    )
    safety_guarantee = forms.CharField(
        label=_("Jaminan keamanan dan keselamatan pelayanan"), required=False, widget=_TEXTAREA
    )
    performance_evaluation = forms.CharField(
        label=_("Evaluasi kinerja pelaksana"), required=False, widget=_TEXTAREA
    )
    change_note = forms.CharField(
        label=_("Catatan perubahan"),
        required=False,
        max_length=300,
        help_text=_("Apa yang berubah dan mengapa; tampil di riwayat."),
    )

    def __init__(self, *args: Any, agencies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if agencies is None:
            del self.fields["agency"]
        else:
            cast(forms.ModelChoiceField, self.fields["agency"]).queryset = agencies  # type: ignore[type-arg]
            self.fields["agency"].label_from_instance = (  # type: ignore[attr-defined]
                lambda a: f"{a.government.name} — {a.name}"
            )
        self.fields["name"].error_messages["required"] = _("Nama layanan wajib diisi.")
        self.fields["fee"].error_messages["min_value"] = _("Biaya tidak boleh negatif.")
        self.fields["time_limit_days"].error_messages["min_value"] = _(
            "Jangka waktu paling sedikit 1 hari kerja."
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        fee = cleaned.get("fee")
        if fee and not (cleaned.get("fee_legal_basis") or "").strip():
            self.add_error(
                "fee_legal_basis",
                _("Layanan berbayar wajib mencantumkan dasar hukum biayanya."),
            )
        return cleaned

    def to_input(self) -> ServiceInput:
        """The validated values as the service layer takes them."""
        data = dict(self.cleaned_data)
        data.pop("agency", None)
        data.pop("change_note", None)
        data["fee"] = data.get("fee") or 0
        return ServiceInput(**data)


class PledgeForm(forms.Form):
    text = forms.CharField(
        label=_("Maklumat pelayanan"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Janji perangkat daerah untuk melayani sesuai standar pelayanan."),
        error_messages={"required": _("Maklumat pelayanan wajib diisi.")},
    )
