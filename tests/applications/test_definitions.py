"""Form definitions as data: every field type (valid and invalid values), conditions, and the
definition errors refused when an administrator saves."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from loket.applications import definitions as defs
from loket.organizations.models import Role
from tests import factories as f
from tests.applications.conftest import VALID_NIK, posted

pytestmark = pytest.mark.django_db


def spec_of(raw: dict) -> defs.FieldSpec:
    return defs.parse_form([raw], []).fields[0]


CHOICES = [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}]

# (field definition, posted values, expected cleaned value)
VALID = [
    ({"type": "text"}, {"x": "  Toko Maju "}, "Toko Maju"),
    ({"type": "textarea"}, {"x": "baris 1\nbaris 2"}, "baris 1\nbaris 2"),
    ({"type": "number"}, {"x": "1.500.000"}, "1500000"),
    ({"type": "number", "min": 1, "max": 10}, {"x": "2,5"}, "2.5"),
    ({"type": "date"}, {"x": "2026-03-02"}, "2026-03-02"),
    ({"type": "choice", "choices": CHOICES}, {"x": "b"}, "b"),
    ({"type": "multichoice", "choices": CHOICES}, {"x": ["b", "a"]}, ["a", "b"]),
    ({"type": "phone"}, {"x": "0812-3456-7890"}, "+6281234567890"),
    ({"type": "email"}, {"x": "Budi@Contoh.ID"}, "budi@contoh.id"),
    ({"type": "region", "level": 2}, {"x": "18.71"}, "18.71"),
    ({"type": "location"}, {"x_lat": "-5.43", "x_lng": "105.26"}, {"lat": -5.43, "lng": 105.26}),
    ({"type": "consent"}, {"x": "on"}, True),
]

INVALID = [
    ({"type": "text"}, {"x": "a" * 201}, "200"),
    ({"type": "textarea"}, {"x": "a" * 4001}, "4000"),
    ({"type": "number"}, {"x": "dua"}, "angka"),
    ({"type": "number", "min": 1, "max": 10}, {"x": "11"}, "Paling besar"),
    ({"type": "date"}, {"x": "31-02-2026"}, "tanggal"),
    ({"type": "choice", "choices": CHOICES}, {"x": "c"}, "Pilih"),
    ({"type": "multichoice", "choices": CHOICES}, {"x": ["a", "z"]}, "Pilih"),
    ({"type": "nik"}, {"x": "123"}, "16"),
    ({"type": "phone"}, {"x": "12345"}, "ponsel"),
    ({"type": "email"}, {"x": "bukan-email"}, "email"),
    ({"type": "region", "level": 4}, {"x": "18.71"}, "tingkat"),
    ({"type": "region"}, {"x": "99.99.99.9999"}, "wilayah"),
    ({"type": "location"}, {"x_lat": "40.7", "x_lng": "-74.0"}, "peta"),
]


@pytest.mark.parametrize(("definition", "values", "expected"), VALID)
def test_valid_value_of_every_type(definition, values, expected):
    f.region("18.71")
    spec = spec_of({"code": "x", "label": "X", **definition})
    assert defs.clean_field(spec, posted(**values)) == expected


@pytest.mark.parametrize(("definition", "values", "fragment"), INVALID)
def test_invalid_value_of_every_type(definition, values, fragment):
    f.region("18.71")
    spec = spec_of({"code": "x", "label": "X", **definition})
    with pytest.raises(ValidationError) as err:
        defs.clean_field(spec, posted(**values))
    assert fragment.lower() in " ".join(err.value.messages).lower()


def test_nik_is_stored_encrypted_and_masked_and_errors_never_repeat_it():
    f.region("18.71.01")
    spec = spec_of({"code": "x", "label": "NIK", "type": "nik"})
    value = defs.clean_field(spec, posted(x=VALID_NIK))
    assert VALID_NIK not in str(value)
    assert value["masked"] == "1871**********02"
    assert defs.display_value(spec, value) == "1871**********02"
    bad = "1871019999900002"  # month 99
    with pytest.raises(ValidationError) as err:
        defs.clean_field(spec, posted(x=bad))
    assert bad not in " ".join(err.value.messages)


def test_file_and_consent_required_checks():
    spec = defs.parse_form(
        [
            {"code": "foto", "type": "file", "label": "Foto", "kinds": ["image"], "required": True},
            {"code": "setuju", "type": "consent", "label": "Setuju", "required": True},
        ],
        [{"code": "ktp", "label": "KTP", "kinds": ["pdf"]}],
    )
    missing = defs.missing_required(spec, {"setuju": False}, documents=[])
    assert set(missing) == {"foto", "setuju", "ktp"}
    assert defs.missing_required(spec, {"setuju": True}, documents=["foto", "ktp"]) == {}
    assert spec.get("ktp").allowed_kinds == {"pdf"}
    assert spec.get("foto").max_bytes == 2 * 1024 * 1024


def test_empty_optional_values_are_none_and_consent_unticked_is_false():
    for kind in ("text", "number", "date", "email", "phone", "nik", "region"):
        assert (
            defs.clean_field(spec_of({"code": "x", "label": "X", "type": kind}), posted()) is None
        )
    assert (
        defs.clean_field(spec_of({"code": "x", "label": "X", "type": "consent"}), posted()) is False
    )


CONDITIONAL = [
    {"code": "jenis", "type": "choice", "label": "Jenis", "choices": CHOICES},
    {
        "code": "detail_a",
        "type": "text",
        "label": "Detail A",
        "required": True,
        "show_if": {"field": "jenis", "value": "a"},
    },
    {
        "code": "lanjut",
        "type": "text",
        "label": "Lanjutan",
        "required": True,
        "show_if": {"field": "detail_a"},
    },
    {"code": "minat", "type": "multichoice", "label": "Minat", "choices": CHOICES},
    {
        "code": "minat_b",
        "type": "text",
        "label": "Tentang B",
        "show_if": {"field": "minat", "value": "b"},
    },
    {"code": "setuju", "type": "consent", "label": "Setuju"},
    {
        "code": "catatan",
        "type": "text",
        "label": "Catatan",
        "show_if": {"field": "setuju", "value": True},
    },
]


def test_conditions_show_fields_by_value_by_presence_and_in_chains():
    spec = defs.parse_form(CONDITIONAL, [])
    base = {"jenis", "minat", "setuju"}
    assert spec.visible({}) == base
    assert spec.visible({"jenis": "b"}) == base
    assert spec.visible({"jenis": "a"}) == base | {"detail_a"}
    assert spec.visible({"jenis": "a", "detail_a": "x"}) == base | {"detail_a", "lanjut"}
    # A chain breaks when its head is hidden, whatever the hidden field holds.
    assert spec.visible({"jenis": "b", "detail_a": "x"}) == base
    assert "minat_b" in spec.visible({"minat": ["a", "b"]})
    assert "catatan" in spec.visible({"setuju": True})
    # Hidden required fields are not required.
    assert defs.missing_required(spec, {"jenis": "b"}, []) == {}
    assert set(defs.missing_required(spec, {"jenis": "a"}, [])) == {"detail_a"}


BAD_DEFINITIONS = [
    ([{"code": "a", "type": "text", "label": "A", "show_if": {"field": "zz"}}], "tidak ada"),
    ([{"code": "a", "type": "text", "label": "A", "show_if": {"field": "a"}}], "dirinya sendiri"),
    (
        [
            {"code": "a", "type": "text", "label": "A", "show_if": {"field": "b"}},
            {"code": "b", "type": "text", "label": "B", "show_if": {"field": "c"}},
            {"code": "c", "type": "text", "label": "C", "show_if": {"field": "a"}},
        ],
        "lingkaran",
    ),
    (
        [
            {"code": "a", "type": "choice", "label": "A", "choices": CHOICES},
            {"code": "b", "type": "text", "label": "B", "show_if": {"field": "a", "value": "z"}},
        ],
        "bukan pilihan",
    ),
    ([{"code": "a", "type": "warna", "label": "A"}], "jenis isian tidak dikenal"),
    ([{"code": "A b", "type": "text", "label": "A"}], "kode"),
    ([{"code": "a", "type": "text", "label": ""}], "label"),
    ([{"code": "a", "type": "choice", "label": "A"}], "pilihan wajib"),
    ([{"code": "a", "type": "file", "label": "A", "kinds": ["exe"]}], "jenis berkas"),
    ([{"code": "a", "type": "file", "label": "A", "max_mb": 500}], "ukuran"),
    (
        [{"code": "a", "type": "text", "label": "A"}, {"code": "a", "type": "text", "label": "B"}],
        "lebih dari sekali",
    ),
    ([{"code": "a", "type": "number", "label": "A", "min": 5, "max": 1}], "min lebih besar"),
    ("bukan daftar", "daftar"),
    ([], "sedikitnya satu"),
]


@pytest.mark.parametrize(("fields", "fragment"), BAD_DEFINITIONS)
def test_bad_form_definitions_are_refused_with_a_clear_message(fields, fragment):
    with pytest.raises(defs.DefinitionError) as err:
        defs.parse_form(fields, [])
    assert fragment.lower() in " ".join(err.value.messages).lower()


BAD_WORKFLOWS = [
    ([], 5, "sedikitnya satu langkah"),
    ([{"name": "Periksa", "role": Role.COUNTER_STAFF, "days": 1}], 5, "peran"),
    ([{"name": "Periksa", "role": Role.HANDLER, "days": 0}], 5, "batas waktu"),
    ([{"name": "", "role": Role.HANDLER, "days": 1}], 5, "nama"),
    (
        [
            {"name": "A", "role": Role.HANDLER, "days": 4},
            {"name": "B", "role": Role.SUPERVISOR, "days": 3},
        ],
        5,
        "melebihi",
    ),
    ([{"name": "A", "role": Role.HANDLER, "days": 1}], 0, "keseluruhan"),
]


@pytest.mark.parametrize(("steps", "overall", "fragment"), BAD_WORKFLOWS)
def test_bad_workflow_definitions_are_refused(steps, overall, fragment):
    with pytest.raises(defs.DefinitionError) as err:
        defs.parse_workflow(steps, overall)
    assert fragment.lower() in " ".join(err.value.messages).lower()


def test_good_workflow_definition():
    steps = defs.parse_workflow(
        [
            {"name": "Periksa", "role": Role.HANDLER, "days": 2},
            {"name": "Setujui", "role": Role.SUPERVISOR, "days": 1},
        ],
        5,
    )
    assert [(s.role, s.days) for s in steps] == [(Role.HANDLER, 2), (Role.SUPERVISOR, 1)]
