"""The Kemendagri region list: code shapes, all-or-nothing import, selectors and the
cascading ``<option>`` fragment."""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from loket.core.models import AuditEvent
from loket.organizations.models import Region
from loket.organizations.regions import (
    BUNDLED_REGIONS,
    MAX_REPORTED_ERRORS,
    InvalidRegionCode,
    RegionFileError,
    describe_code,
    import_regions,
)
from loket.organizations.selectors import (
    is_known_nik_region,
    region_by_code,
    region_children,
    region_path,
)

SMALL = """code,name
18,Lampung
18.01,Kabupaten Lampung Selatan
18.01.04,Natar
18.01.04.2001,Hajimena
18.01.04.2002,Sidosari
18.71,Kota Bandar Lampung
18.71.01,Kedaton
18.71.01.1003,Kedaton
18.71.01.1004,Surabaya
18.72,Kota Metro
"""


def write(tmp_path: Path, text: str, name: str = "wilayah.csv") -> Path:
    path = tmp_path / name
    if name.endswith(".gz"):
        path.write_bytes(gzip.compress(text.encode("utf-8")))
    else:
        path.write_text(text, encoding="utf-8")
    return path


def import_error(path: Path) -> RegionFileError:
    with pytest.raises(RegionFileError) as info:
        import_regions(path=path)
    return info.value


# --- code shapes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "level", "kind", "parent"),
    [
        ("18", Region.Level.PROVINCE, Region.Kind.PROVINCE, None),
        ("18.01", Region.Level.REGENCY, Region.Kind.KABUPATEN, "18"),
        ("18.69", Region.Level.REGENCY, Region.Kind.KABUPATEN, "18"),
        ("18.71", Region.Level.REGENCY, Region.Kind.KOTA, "18"),
        ("18.99", Region.Level.REGENCY, Region.Kind.KOTA, "18"),
        ("18.71.01", Region.Level.DISTRICT, Region.Kind.KECAMATAN, "18.71"),
        ("18.71.01.1001", Region.Level.VILLAGE, Region.Kind.KELURAHAN, "18.71.01"),
        ("18.01.04.2001", Region.Level.VILLAGE, Region.Kind.DESA, "18.01.04"),
        ("91.03.01.3007", Region.Level.VILLAGE, Region.Kind.DESA, "91.03.01"),  # desa adat
    ],
)
def test_level_kind_and_parent_follow_from_the_code(code, level, kind, parent):
    info = describe_code(code)
    assert (info.level, info.kind, info.parent_code) == (level, kind, parent)


@pytest.mark.parametrize(
    "code",
    [
        "",
        "1",
        "1871",  # undotted
        "1871010001",
        "18.7",
        "18.70",  # neither kabupaten (01-69) nor kota (71-99)
        "18.00",
        "00",
        "18.71.00",
        "18.71.01.4001",
        "18.71.01.1000",
        "18.71.01.101",
        "18.71.01.10011",
        " 18",
        "18.",
        "1a",
        "18.71.01.1001.1",
        "\uff11\uff18",  # full-width digits
    ],
)
def test_malformed_codes_are_rejected(code):
    with pytest.raises(InvalidRegionCode):
        describe_code(code)


# --- import --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_import_stores_levels_kinds_and_parents(tmp_path):
    result = import_regions(path=write(tmp_path, SMALL))

    assert (result.created, result.updated, result.unchanged) == (10, 0, 0)
    assert result.counts == {"provinces": 1, "regencies": 3, "districts": 2, "villages": 4}
    kota = Region.objects.get(code="18.71")
    assert (kota.level, kota.kind, kota.parent_id) == (Region.Level.REGENCY, "kota", "18")
    assert Region.objects.get(code="18.01").kind == Region.Kind.KABUPATEN
    kelurahan = Region.objects.get(code="18.71.01.1003")
    assert (kelurahan.kind, kelurahan.parent_id) == (Region.Kind.KELURAHAN, "18.71.01")
    assert Region.objects.get(code="18.01.04.2001").kind == Region.Kind.DESA
    assert Region.objects.get(code="18").parent_id is None


@pytest.mark.django_db
def test_one_audit_event_per_import_with_counts(tmp_path):
    path = write(tmp_path, SMALL)
    import_regions(path=path)
    import_regions(path=path)

    events = list(AuditEvent.objects.filter(action="regions.imported").order_by("sequence"))
    assert len(events) == 2
    assert events[0].payload["counts"] == {
        "provinces": 1,
        "regencies": 3,
        "districts": 2,
        "villages": 4,
    }
    assert (events[0].payload["created"], events[1].payload["created"]) == (10, 0)
    assert events[1].payload["unchanged"] == 10


@pytest.mark.django_db
def test_reimport_is_idempotent_and_updates_names(tmp_path):
    import_regions(path=write(tmp_path, SMALL))
    again = import_regions(path=write(tmp_path, SMALL))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 10)
    assert Region.objects.count() == 10

    renamed = SMALL.replace("18.72,Kota Metro", "18.72,Kota Metro Baru")
    result = import_regions(path=write(tmp_path, renamed))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 9)
    assert Region.objects.get(code="18.72").name == "Kota Metro Baru"
    assert Region.objects.count() == 10


@pytest.mark.django_db
def test_parent_may_already_be_in_the_database(tmp_path):
    import_regions(path=write(tmp_path, SMALL))
    more = "code,name\n18.71.02,Sukarame\n18.71.02.1001,Sukarame\n"
    result = import_regions(path=write(tmp_path, more, "more.csv"))
    assert result.created == 2
    assert Region.objects.get(code="18.71.02.1001").parent_id == "18.71.02"


@pytest.mark.django_db
def test_parent_may_come_later_in_the_file(tmp_path):
    text = "code,name\n18.71.01,Kedaton\n18.71,Kota Bandar Lampung\n18,Lampung\n"
    assert import_regions(path=write(tmp_path, text)).created == 3


@pytest.mark.django_db
def test_gzip_file_header_with_bom_extra_columns_and_other_order(tmp_path):
    text = "\ufeffname,code,note\nLampung,18,x\nKota Bandar Lampung,18.71,\n"
    result = import_regions(path=write(tmp_path, text, "wilayah.csv.gz"))
    assert result.created == 2
    assert Region.objects.get(code="18.71").name == "Kota Bandar Lampung"


@pytest.mark.django_db
def test_names_are_trimmed_and_quoted_commas_are_kept(tmp_path):
    text = 'code,name\n18,"  Lampung ,  Sai Bumi  "\n'
    import_regions(path=write(tmp_path, text))
    assert Region.objects.get(code="18").name == "Lampung , Sai Bumi"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "bad_lines", "fragment"),
    [
        (SMALL.replace("18.71.01,Kedaton", "1871.01,Kedaton"), [8], "tidak sah"),
        (SMALL.replace("18.72,Kota Metro", "18.70,Kota Metro"), [11], "tidak sah"),
        (SMALL + "18.71.05.1001,Sawah Lama\n", [12], "induk 18.71.05"),
        (SMALL + "18.71.01.1004,Surabaya\n", [12], "ganda (sudah ada di baris 10)"),
        (SMALL.replace("18.01.04,Natar", "18.01.04,  "), [4], "kosong"),
        (SMALL.replace("18.01.04,Natar", "18.01.04"), [4], "tidak ada"),
        (SMALL.replace("code,name", "kode,nama"), [1], "'code' dan 'name'"),
        (SMALL + "18.71.01.1005,Sukamenanti\nxx,Rusak\n18.72,Metro\n", [13, 14], "Baris 14"),
    ],
    ids=[
        "bad-code",
        "kota-range",
        "missing-parent",
        "duplicate",
        "empty-name",
        "missing-column",
        "wrong-header",
        "several",
    ],
)
def test_bad_file_names_the_lines_and_imports_nothing(tmp_path, text, bad_lines, fragment):
    error = import_error(write(tmp_path, text))

    assert error.lines == bad_lines
    assert fragment in error.message
    assert error.message.startswith("Berkas wilayah tidak diimpor")
    for line in bad_lines:
        assert f"Baris {line}:" in error.message
    assert Region.objects.count() == 0
    assert not AuditEvent.objects.filter(action="regions.imported").exists()


@pytest.mark.django_db
def test_bad_file_leaves_existing_regions_untouched(tmp_path):
    import_regions(path=write(tmp_path, SMALL))
    text = "code,name\n18.72,Nama Baru\n18.73,Kota Baru\n18.74.01.1001,Yatim\n"
    error = import_error(write(tmp_path, text, "update.csv"))
    assert error.lines == [4]
    assert Region.objects.get(code="18.72").name == "Kota Metro"
    assert not Region.objects.filter(code="18.73").exists()
    assert AuditEvent.objects.filter(action="regions.imported").count() == 1


@pytest.mark.django_db
def test_many_errors_are_capped_at_twenty_lines(tmp_path):
    text = "code,name\n" + "".join(f"bad{i},Nama\n" for i in range(25))
    error = import_error(write(tmp_path, text))
    assert len(error.lines) == 25
    assert error.message.count("Baris ") == MAX_REPORTED_ERRORS
    assert "dan 5 kesalahan lainnya" in error.message


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "kosong"),
        (b"code,name\n", "tidak berisi"),
        (b"code,name\n18,Lamp\xfcng\n", "UTF-8"),
        (b"\x1f\x8b\x08\x00broken", "gzip"),
    ],
    ids=["empty", "header-only", "not-utf8", "broken-gzip"],
)
def test_unreadable_files_are_refused(tmp_path, content, fragment):
    path = tmp_path / "wilayah.csv"
    path.write_bytes(content)
    error = import_error(path)
    assert fragment in error.message
    assert Region.objects.count() == 0


# --- command -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_command_imports_a_file(tmp_path):
    out = io.StringIO()
    call_command("import_regions", str(write(tmp_path, SMALL)), stdout=out)
    assert "1 provinsi, 3 kabupaten/kota, 2 kecamatan, 4 desa/kelurahan" in out.getvalue()
    assert Region.objects.count() == 10


@pytest.mark.django_db
def test_command_exits_non_zero_naming_the_line(tmp_path):
    path = write(tmp_path, SMALL + "18.71.09.1001,Yatim\n")
    with pytest.raises(CommandError) as info:
        call_command("import_regions", str(path), stdout=io.StringIO())
    assert info.value.returncode == 1
    assert "Baris 12:" in str(info.value)
    assert Region.objects.count() == 0


@pytest.mark.django_db
def test_command_needs_a_file_or_bundled():
    with pytest.raises(CommandError):
        call_command("import_regions", stdout=io.StringIO())


def _bundled_rows() -> list[tuple[str, str]]:
    with gzip.open(BUNDLED_REGIONS, "rt", encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        assert next(reader) == ["code", "name"]
        return [(code, name) for code, name in reader]


@pytest.mark.django_db
def test_bundled_file_imports_with_the_expected_counts():
    rows = _bundled_rows()
    out = io.StringIO()
    call_command("import_regions", "--bundled", stdout=out)

    assert "38 provinsi, 514 kabupaten/kota, 7285 kecamatan" in out.getvalue()
    levels = Region.Level
    assert Region.objects.filter(level=levels.PROVINCE).count() == 38
    assert Region.objects.filter(kind=Region.Kind.KABUPATEN).count() == 416
    assert Region.objects.filter(kind=Region.Kind.KOTA).count() == 98
    assert Region.objects.filter(level=levels.DISTRICT).count() == 7285
    # the 2022 Papua provinces, with kabupaten moved out of Papua and Papua Barat
    assert region_by_code("93") is not None and region_by_code("96") is not None
    assert Region.objects.get(code="93.01").name == "Kabupaten Merauke"
    assert Region.objects.get(code="96.71").name == "Kota Sorong"
    assert not Region.objects.filter(code="91.01").exists()

    lampung = {r.code: r.name for r in Region.objects.filter(parent_id="18")}
    assert len(lampung) == 15
    assert lampung["18.03"] == "Kabupaten Lampung Utara"
    assert lampung["18.71"] == "Kota Bandar Lampung"
    assert lampung["18.72"] == "Kota Metro"
    lampung_districts = sum(1 for c, _ in rows if c.startswith("18.") and len(c) == 8)
    lampung_villages = sum(1 for c, _ in rows if c.startswith("18.") and len(c) == 13)
    assert lampung_districts == 229 and lampung_villages == 2651
    assert (
        Region.objects.filter(level=levels.DISTRICT, code__startswith="18.").count()
        == lampung_districts
    )
    assert (
        Region.objects.filter(level=levels.VILLAGE, code__startswith="18.").count()
        == lampung_villages
    )
    # villages outside Lampung are not shipped
    assert not Region.objects.filter(level=levels.VILLAGE).exclude(code__startswith="18.").exists()
    assert Region.objects.count() == len(rows)
    assert is_known_nik_region("187101")
    assert is_known_nik_region("351514")  # the example NIK's kecamatan in Sidoarjo

    again = io.StringIO()
    call_command("import_regions", "--bundled", stdout=again)
    assert f"0 baru, 0 diperbarui, {len(rows)} tetap" in again.getvalue()


# --- selectors -----------------------------------------------------------------------------


@pytest.fixture
def small_regions(tmp_path):
    import_regions(path=write(tmp_path, SMALL))


@pytest.mark.django_db
@pytest.mark.usefixtures("small_regions")
def test_region_children():
    assert [r.code for r in region_children(None)] == ["18"]
    # by name: Kabupaten Lampung Selatan, Kota Bandar Lampung, Kota Metro
    assert [r.code for r in region_children("18")] == ["18.01", "18.71", "18.72"]
    assert [r.name for r in region_children("18.71.01")] == ["Kedaton", "Surabaya"]
    assert list(region_children("18.72")) == []
    assert list(region_children("99")) == []


@pytest.mark.django_db
@pytest.mark.usefixtures("small_regions")
def test_region_path():
    path = region_path("18.71.01.1004")
    assert [r.code for r in path] == ["18", "18.71", "18.71.01", "18.71.01.1004"]
    assert [r.code for r in region_path("18")] == ["18"]
    assert region_path("18.71.01.1099") == []
    assert region_path("not-a-code") == []


@pytest.mark.django_db
@pytest.mark.usefixtures("small_regions")
@pytest.mark.parametrize(
    ("digits", "known"),
    [
        ("187101", True),
        ("180104", True),
        ("187102", False),
        ("1871", False),
        ("18710", False),
        ("1871011", False),
        ("18710a", False),
        ("\uff11\uff18\uff17\uff11\uff10\uff11", False),  # full-width digits
        ("", False),
    ],
)
def test_is_known_nik_region(digits, known):
    assert is_known_nik_region(digits) is known


# --- the <option> fragment -----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("small_regions")
def test_fragment_lists_children_as_options(client):
    response = client.get("/wilayah/18.71.01/anak/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<option value="">— Pilih desa/kelurahan —</option>' in html
    assert '<option value="18.71.01.1003">Kedaton</option>' in html
    assert '<option value="18.71.01.1004">Surabaya</option>' in html
    assert "18.01.04" not in html


@pytest.mark.django_db
@pytest.mark.usefixtures("small_regions")
def test_fragment_for_provinces_and_selected_option(client):
    html = client.get("/wilayah/anak/").content.decode()
    assert "Pilih provinsi" in html and '<option value="18">Lampung</option>' in html

    html = client.get("/wilayah/18/anak/", {"selected": "18.72"}).content.decode()
    assert "Pilih kabupaten/kota" in html
    assert '<option value="18.72" selected>Kota Metro</option>' in html
    assert '<option value="18.71">Kota Bandar Lampung</option>' in html


@pytest.mark.django_db
def test_fragment_escapes_names(client, tmp_path):
    import_regions(path=write(tmp_path, 'code,name\n18,"<b>Lampung</b>"\n18.71,A & B\n'))
    html = (
        client.get("/wilayah/18/anak/").content.decode()
        + client.get("/wilayah/anak/").content.decode()
    )
    assert "A &amp; B" in html
    assert "&lt;b&gt;Lampung&lt;/b&gt;" in html and "<b>" not in html


@pytest.mark.django_db
@pytest.mark.usefixtures("small_regions")
@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/wilayah/18.7/anak/", 400, "Kode wilayah tidak sah."),
        ("/wilayah/1871/anak/", 400, "Kode wilayah tidak sah."),
        ("/wilayah/19/anak/", 404, "Wilayah tidak ditemukan."),
        ("/wilayah/18.71.01.1003/anak/", 400, "Desa/kelurahan tidak memiliki"),
    ],
)
def test_fragment_refuses_bad_codes(client, url, status, message):
    response = client.get(url)
    assert response.status_code == status
    assert message in response.content.decode()


@pytest.mark.django_db
def test_fragment_is_get_only(client):
    assert client.post("/wilayah/18/anak/").status_code == 405
