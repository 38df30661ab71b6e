"""Forms of the survey pages: the questionnaire, the kiosk's service and ticket, and the
back office's report filter, import, weight and kiosk-device forms."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from loket.surveys import ikm
from loket.surveys.labels import QUESTIONS, answer_choices
from loket.surveys.models import Education, Occupation, Sex

MAX_UPLOAD = 10 * 1024 * 1024


class SurveyForm(forms.Form):
    """The nine elements (U1…U9), the respondent's profile and a suggestion."""

    age = forms.IntegerField(label=_("Umur (tahun)"), min_value=10, max_value=120, required=False)
    sex = forms.ChoiceField(
        label=_("Jenis kelamin"),
        choices=[("", _("Tidak diisi")), *Sex.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    education = forms.ChoiceField(
        label=_("Pendidikan terakhir"),
        choices=[("", _("Tidak diisi")), *Education.choices],
        required=False,
    )
    occupation = forms.ChoiceField(
        label=_("Pekerjaan utama"),
        choices=[("", _("Tidak diisi")), *Occupation.choices],
        required=False,
    )
    suggestion = forms.CharField(
        label=_("Saran dan masukan"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code in ikm.ELEMENTS:
            self.fields[code] = forms.TypedChoiceField(
                label=str(QUESTIONS[code]),
                choices=answer_choices(code),
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Pilih salah satu jawaban."),
                    "invalid_choice": _("Pilih jawaban 1 sampai 4."),
                },
            )

    def element_fields(self) -> list[tuple[str, str, forms.BoundField]]:
        """(code, element name, bound field) in code order, for the template."""
        return [(code, str(ikm.ELEMENT_NAMES[code]), self[code]) for code in ikm.ELEMENTS]

    def scores(self) -> dict[str, int | None]:
        return {code: self.cleaned_data[code] for code in ikm.ELEMENTS}

    def profile(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "age": data.get("age"),
            "sex": data.get("sex") or "",
            "education": data.get("education") or "",
            "occupation": data.get("occupation") or "",
            "suggestion": data.get("suggestion") or "",
        }


class KioskForm(SurveyForm):
    """The questionnaire on a counter tablet: which service, and the ticket number."""

    service = forms.TypedChoiceField(
        label=_("Layanan yang Anda terima"), coerce=int, widget=forms.RadioSelect
    )
    ticket_number = forms.CharField(
        label=_("Nomor tiket/antrean"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
        error_messages={"required": _("Nomor tiket wajib diisi.")},
    )

    def __init__(self, *args: Any, services: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["service"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = services
        field.error_messages["required"] = _("Pilih layanan yang Anda terima.")
        field.error_messages["invalid_choice"] = _("Pilih layanan dari daftar.")
        if len(services) == 1 and not self.is_bound:
            self.initial["service"] = services[0][0]


PERIODS = [
    ("month", _("Bulan")),
    ("quarter", _("Triwulan")),
    ("year", _("Tahun")),
    ("custom", _("Rentang tanggal")),
]


class ReportFilterForm(forms.Form):
    """Which agency/service and which period the report covers."""

    government = forms.IntegerField(label=_("Pemerintah daerah"), required=False, min_value=1)
    agency = forms.TypedChoiceField(
        label=_("Perangkat daerah"), coerce=int, required=False, empty_value=None
    )
    service = forms.IntegerField(label=_("Layanan"), required=False, min_value=1)
    period = forms.ChoiceField(label=_("Periode"), choices=PERIODS, required=False)
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100, required=False)
    month = forms.TypedChoiceField(
        label=_("Bulan"),
        coerce=int,
        required=False,
        choices=[(m, str(m)) for m in range(1, 13)],
    )
    quarter = forms.TypedChoiceField(
        label=_("Triwulan"),
        coerce=int,
        required=False,
        choices=[(1, "I"), (2, "II"), (3, "III"), (4, "IV")],
    )
    date_from = forms.DateField(label=_("Dari tanggal"), required=False)
    date_to = forms.DateField(label=_("Sampai tanggal"), required=False)
    population = forms.IntegerField(
        label=_("Populasi pengguna layanan"),
        required=False,
        min_value=0,
        max_value=100_000_000,
        help_text=_("Kosongkan untuk memakai jumlah permohonan selesai pada periode ini."),
    )

    def __init__(self, *args: Any, agencies: list[tuple[int | str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = agencies

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        period = data.get("period") or "month"
        year = data.get("year") or today.year
        if period == "custom":
            start, end = data.get("date_from"), data.get("date_to")
            if start is None or end is None:
                raise forms.ValidationError(_("Isi tanggal awal dan akhir."))
            if start > end:
                raise forms.ValidationError(_("Tanggal awal harus sebelum tanggal akhir."))
            if (end - start).days > 3 * 366:
                raise forms.ValidationError(_("Rentang paling panjang tiga tahun."))
        elif period == "year":
            start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        elif period == "quarter":
            quarter = data.get("quarter") or (today.month - 1) // 3 + 1
            first = 3 * (quarter - 1) + 1
            start = dt.date(year, first, 1)
            end = dt.date(year, first + 2, calendar.monthrange(year, first + 2)[1])
        else:
            month = data.get("month") or today.month
            start = dt.date(year, month, 1)
            end = dt.date(year, month, calendar.monthrange(year, month)[1])
        data["period"], data["year"] = period, year
        data["start"], data["end"] = start, end
        return data


class ImportForm(forms.Form):
    government = forms.TypedChoiceField(label=_("Pemerintah daerah"), coerce=int)
    file = forms.FileField(
        label=_("Berkas kuesioner (CSV atau XLSX)"),
        error_messages={"required": _("Pilih berkas CSV atau XLSX.")},
    )

    def __init__(self, *args: Any, governments: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["government"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = governments

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Berkas harus CSV atau XLSX."))
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("Berkas terlalu besar; paling besar 10 MB."))
        return upload


class WeightForm(forms.Form):
    government = forms.TypedChoiceField(label=_("Pemerintah daerah"), coerce=int)
    weight = forms.ChoiceField(
        label=_("Bobot unsur"),
        choices=[
            (ikm.Weight.EXACT.value, _("Tepat 1/9 (bawaan)")),
            (ikm.Weight.ROUNDED.value, _("0,111 (dibulatkan)")),
        ],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, governments: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["government"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = governments


class KioskDeviceForm(forms.Form):
    agency = forms.TypedChoiceField(label=_("Perangkat daerah"), coerce=int)
    name = forms.CharField(
        label=_("Nama perangkat"),
        max_length=80,
        help_text=_("Misalnya: Tablet loket 1."),
    )

    def __init__(self, *args: Any, agencies: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = agencies
