"""NIK validation, parsing, encryption, blind index and masking."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from loket.accounts import nik
from loket.accounts.models import User
from loket.accounts.selectors import find_user_by_nik
from loket.accounts.services import reveal_nik, set_nik
from loket.core.models import AuditEvent

pytestmark = pytest.mark.django_db

MALE = "1871011508900003"  # 15 Aug 1990, serial 0003
FEMALE = "1871015508900002"  # 55 → 15 Aug 1990, woman


def _code(raw: str) -> str:
    with pytest.raises(ValidationError) as info:
        nik.parse(raw)
    return info.value.code or ""


def test_valid_male(regions):
    parsed = nik.parse(MALE)
    assert parsed.sex == "M"
    assert parsed.birth_date == dt.date(1990, 8, 15)
    assert (parsed.province, parsed.regency, parsed.district) == ("18", "1871", "187101")
    assert parsed.district_code == "18.71.01"
    assert parsed.serial == "0003"


def test_valid_female_day_plus_40(regions):
    parsed = nik.parse(FEMALE)
    assert parsed.sex == "F"
    assert parsed.birth_date == dt.date(1990, 8, 15)


def test_spaces_and_dots_are_ignored(regions):
    assert nik.validate("18.71.01 150890 0003") == MALE


def test_recent_two_digit_year_is_this_century(regions):
    assert nik.parse("1871010101100001").birth_date == dt.date(2010, 1, 1)


@pytest.mark.parametrize(
    "value",
    [
        "1871013208900003",  # day 32
        "1871017208900003",  # day 72 (woman, 32)
        "1871010013900003",  # month 13
        "1871013102900003",  # 31 February
        "1871010008900003",  # day 0
    ],
)
def test_impossible_birth_dates(regions, value):
    assert _code(value) == "nik_birth_date"


def test_unknown_region(regions):
    assert _code("1871991508900003") == "nik_region"


def test_region_must_be_a_kecamatan(regions):
    # 18.71 exists but as a city; "187100" is no kecamatan.
    assert _code("1871001508900003") == "nik_region"


@pytest.mark.parametrize("value", ["187101150890000", "18710115089000031", ""])
def test_wrong_length(regions, value):
    assert _code(value) in {"nik_length"}


def test_letters_refused(regions):
    assert _code("18710115089O0003") == "nik_digits"


def test_serial_0000(regions):
    assert _code("1871011508900000") == "nik_serial"


def test_error_message_never_echoes_the_number(regions):
    for bad in ["1871991508900003", "1871013208900003", "1871011508900000", "187101150890000"]:
        with pytest.raises(ValidationError) as info:
            nik.parse(bad)
        assert bad not in " ".join(info.value.messages)
        assert bad[:6] not in " ".join(info.value.messages)


def test_encryption_round_trip_and_ciphertext_hides_value():
    token = nik.encrypt(MALE)
    assert MALE not in token
    assert nik.decrypt(token) == MALE
    # Fernet is randomised: the same NIK never gives the same ciphertext twice.
    assert nik.encrypt(MALE) != token


def test_blind_index_is_stable_keyed_and_distinct(settings):
    first = nik.blind_index(MALE)
    assert first == nik.blind_index("1871 0115 0890 0003")
    assert first != nik.blind_index(FEMALE)
    assert len(first) == 64 and MALE not in first
    settings.DATA_KEY = "another-data-key-for-this-test-only-0123456789"
    assert nik.blind_index(MALE) != first


def test_mask():
    assert nik.mask("1871011508900002") == "1871**********02"


def test_set_nik_stores_only_ciphertext_index_and_mask(regions):
    user = User.objects.create_user("a@example.com", "x-password-123")
    set_nik(user=user, nik=MALE)
    user.refresh_from_db()
    assert user.nik_masked == "1871**********03"
    assert user.nik_index == nik.blind_index(MALE)
    assert MALE not in user.nik_ciphertext
    assert find_user_by_nik(MALE) == user
    assert find_user_by_nik(FEMALE) is None
    assert find_user_by_nik("not a nik") is None
    event = AuditEvent.objects.get(action="account.nik_set")
    assert MALE not in str(event.payload)


def test_same_nik_cannot_be_on_two_accounts(regions):
    first = User.objects.create_user("a@example.com", "x-password-123")
    second = User.objects.create_user("b@example.com", "x-password-123")
    set_nik(user=first, nik=MALE)
    with pytest.raises(ValidationError) as info:
        set_nik(user=second, nik=MALE)
    assert info.value.code == "nik_taken"
    second.refresh_from_db()
    assert second.nik_index == ""


def test_reveal_nik_is_audited_and_limited(regions):
    owner = User.objects.create_user("a@example.com", "x-password-123")
    officer = User.objects.create_user("o@example.com", "x-password-123", kind="officer")
    stranger = User.objects.create_user("s@example.com", "x-password-123")
    set_nik(user=owner, nik=FEMALE)
    assert reveal_nik(user=owner, viewer=officer, reason="verifikasi permohonan") == FEMALE
    event = AuditEvent.objects.filter(action="nik.viewed").get()
    assert event.actor_id == officer.pk
    assert event.object_id == str(owner.pk)
    assert event.payload == {"reason": "verifikasi permohonan"}
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        reveal_nik(user=owner, viewer=stranger, reason="ingin tahu")
    assert AuditEvent.objects.filter(action="nik.viewed").count() == 1
