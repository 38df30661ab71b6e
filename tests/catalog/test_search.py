"""The Indonesian normaliser and stemmer, and search over the stored stems."""

from __future__ import annotations

import pytest

from loket.catalog.models import Channel, Theme
from loket.catalog.search import build_search_text, normalize, stem, stems
from loket.catalog.selectors import CatalogFilters, published_services
from tests import factories as f
from tests.catalog.conftest import make_service

STEMS = [
    # The words named in the issue.
    ("perizinan", "izin"),
    ("pendaftaran", "daftar"),
    ("keterangan", "terang"),
    ("kependudukan", "duduk"),
    # Prefixes with their sound changes.
    ("pelayanan", "layan"),
    ("dilayani", "layan"),
    ("layanan", "layan"),
    ("penerbitan", "terbit"),
    ("menerbitkan", "terbit"),
    ("diterbitkan", "terbit"),
    ("pengurusan", "urus"),
    ("pengiriman", "kirim"),
    ("penyusunan", "susun"),
    ("menyusun", "susun"),
    ("pembayaran", "bayar"),
    ("pemohon", "mohon"),
    ("permohonan", "mohon"),
    ("pengajuan", "aju"),
    ("pemeriksaan", "periksa"),
    ("pengesahan", "sah"),
    ("penilaian", "nilai"),
    ("pemakaman", "makam"),
    ("perpanjangan", "panjang"),
    ("memperpanjang", "panjang"),
    ("pertanian", "tani"),
    ("berusaha", "usaha"),
    ("pengusaha", "usaha"),
    ("terdaftar", "daftar"),
    ("pengaduan", "adu"),
    ("pengantar", "antar"),
    # Confixes ke-…-an and suffixes.
    ("kesehatan", "sehat"),
    ("kelahiran", "lahir"),
    ("kematian", "mati"),
    ("kepindahan", "pindah"),
    ("kecamatan", "camat"),
    ("kelurahan", "lurah"),
    ("kesejahteraan", "sejahtera"),
    ("keselamatan", "selamat"),
    ("pendidikan", "didik"),
    ("perhubungan", "hubung"),
    ("bantuan", "bantu"),
    ("tagihan", "tagih"),
    ("rumahnya", "rumah"),
    ("kependudukannya", "duduk"),
    # Known irregular cases.
    ("perawat", "rawat"),
    ("perawatan", "rawat"),
    ("belajar", "ajar"),
    ("bekerja", "kerja"),
    ("penduduk", "duduk"),
    # Roots and loanwords that must stay whole.
    ("keluarga", "keluarga"),
    ("domisili", "domisili"),
    ("rekomendasi", "rekomendasi"),
    ("informasi", "informasi"),
    ("legalisir", "legalisir"),
    ("sekolah", "sekolah"),
    ("pertama", "pertama"),
    ("berkas", "berkas"),
    ("dinas", "dinas"),
    ("bidan", "bidan"),
    ("jalan", "jalan"),
    ("pajak", "pajak"),
    ("reklame", "reklame"),
    ("praktik", "praktik"),
    ("izin", "izin"),
    ("ktp", "ktp"),
    ("2024", "2024"),
]


@pytest.mark.parametrize(("word", "expected"), STEMS)
def test_stemmer_table(word, expected):
    assert stem(word) == expected


def test_normalize_drops_case_accents_and_punctuation():
    assert normalize("  KTP-el (Baru), Akta—Kelahiran!  ") == "ktp el baru akta kelahiran"
    assert normalize("Café") == "cafe"


def test_stems_skip_stopwords_and_duplicates():
    assert stems("Pendaftaran dan daftar ulang untuk penduduk") == ["daftar", "ulang", "duduk"]
    assert stems("dan atau yang") == []


def test_search_text_is_padded_stems():
    assert build_search_text(["Surat Keterangan", "pindah"]) == " surat terang pindah "
    assert build_search_text([""]) == ""


@pytest.fixture
def catalogue(db):
    gov = f.government()
    other_gov = f.government("18.03")
    capil = f.agency(gov)
    dpm = f.agency(gov)
    other = f.agency(other_gov)
    permits = Theme.objects.get(slug="perizinan")
    return {
        "gov": gov,
        "other_gov": other_gov,
        "capil": capil,
        "dpm": dpm,
        "ktp": _service(
            capil,
            "Penerbitan KTP-el",
            channel=Channel.BOTH,
            theme=Theme.objects.get(slug="dokumen-kependudukan"),
        ),
        "domisili": _service(capil, "Surat Keterangan Domisili", channel=Channel.COUNTER),
        "reklame": _service(
            dpm,
            "Izin penyelenggaraan reklame",
            theme=permits,
            channel=Channel.ONLINE,
            fee=150000,
            fee_legal_basis="Perda PDRD",
        ),
        "other_domisili": _service(other, "Surat keterangan domisili", channel=Channel.COUNTER),
        "draft": _service(capil, "Keterangan draf", published=False),
    }


def _service(agency, name, **kwargs):
    return make_service(agency, name=name, output=name, summary="", **kwargs)


def _names(**filters):
    return sorted(s.name for s in published_services(filters=CatalogFilters(**filters)))


def test_search_ignores_case_and_punctuation(catalogue):
    assert _names(query="ktp-el") == ["Penerbitan KTP-el"]
    assert _names(query="KTP EL") == ["Penerbitan KTP-el"]
    assert _names(query="  ktp!!! ") == ["Penerbitan KTP-el"]


def test_search_matches_word_stems(catalogue):
    # "perizinan" and "izin" share a stem; "keterangan" finds "keterangan" via "terang".
    assert _names(query="perizinan") == ["Izin penyelenggaraan reklame"]
    assert _names(query="menerbitkan ktp") == ["Penerbitan KTP-el"]
    assert len(_names(query="keterangan")) == 2  # the draft stays hidden


def test_search_requires_every_stem(catalogue):
    assert _names(query="surat domisili") == [
        "Surat Keterangan Domisili",
        "Surat keterangan domisili",
    ]
    assert _names(query="surat reklame") == []


def test_search_matches_word_prefixes(catalogue):
    assert _names(query="rekla") == ["Izin penyelenggaraan reklame"]
    # A stem must start a word: "lame" is inside "reklame" but starts nothing.
    assert _names(query="lame") == []


def test_filters(catalogue):
    c = catalogue
    assert _names(government_slug=c["other_gov"].slug) == ["Surat keterangan domisili"]
    assert _names(agency_id=c["dpm"].pk) == ["Izin penyelenggaraan reklame"]
    assert _names(theme_slug="perizinan") == ["Izin penyelenggaraan reklame"]
    # "online" includes services offered both ways; "counter" likewise.
    assert _names(channel=Channel.ONLINE) == ["Izin penyelenggaraan reklame", "Penerbitan KTP-el"]
    assert _names(channel=Channel.COUNTER) == [
        "Penerbitan KTP-el",
        "Surat Keterangan Domisili",
        "Surat keterangan domisili",
    ]
    assert _names(channel=Channel.BOTH) == ["Penerbitan KTP-el"]
    assert _names(query="domisili", government_slug=c["gov"].slug) == ["Surat Keterangan Domisili"]


def test_search_covers_agency_and_keywords(catalogue):
    from loket.organizations.models import Agency

    capil = Agency.objects.create(
        government=catalogue["gov"], slug="capil", name="Dinas Kependudukan dan Pencatatan Sipil"
    )
    _service(
        capil,
        "Penerbitan akta kelahiran",
        keywords="akte bayi",
        theme=Theme.objects.get(slug="dokumen-kependudukan"),
    )
    assert _names(query="kependudukan akta") == ["Penerbitan akta kelahiran"]
    assert _names(query="akte") == ["Penerbitan akta kelahiran"]
    assert _names(query="Kelahiran bayi") == ["Penerbitan akta kelahiran"]


def test_inactive_agency_is_hidden(catalogue):
    c = catalogue
    c["dpm"].is_active = False
    c["dpm"].save()
    assert "Izin penyelenggaraan reklame" not in _names()
