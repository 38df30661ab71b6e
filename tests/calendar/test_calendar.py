"""Working days with real 2026 dates: national holidays, cuti bersama, regional holidays,
time zones, the day-0 rule and SLA clocks that pause."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache

from loket.core.calendar import (
    Pause,
    SlaClock,
    WorkingCalendar,
    add_working_days,
    calendar_for_government,
    is_working_day,
    national_holidays,
    working_days_between,
)

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
WIT = ZoneInfo("Asia/Jayapura")
CAL = WorkingCalendar()


def at(day: date, hour: int = 9, minute: int = 0, tz: ZoneInfo = WIB) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=tz)


def end_of(day: date, tz: ZoneInfo = WIB) -> datetime:
    return datetime.combine(day, time(23, 59, 59, 999999), tzinfo=tz)


def test_2026_idul_fitri_and_cuti_bersama_are_not_working_days():
    names = national_holidays(2026)
    assert "Idul Fitri" in names[date(2026, 3, 21)]
    # Cuti bersama (government category) around Nyepi and Idul Fitri.
    for day in (date(2026, 3, 18), date(2026, 3, 20), date(2026, 3, 23), date(2026, 3, 24)):
        assert "Cuti Bersama" in names[day]
        assert not is_working_day(day)
    assert not is_working_day(date(2026, 3, 19))  # Nyepi
    assert is_working_day(date(2026, 3, 17))
    assert is_working_day(date(2026, 3, 25))
    assert not is_working_day(date(2026, 3, 28))  # Saturday


def test_deadline_across_idul_fitri_holidays():
    # Day 0 is Tuesday 17 March; 18-24 March are holidays, cuti bersama or a weekend.
    received = at(date(2026, 3, 17), 14, 30)
    assert add_working_days(received, 1) == end_of(date(2026, 3, 25))
    assert add_working_days(received, 3) == end_of(date(2026, 3, 27))
    assert add_working_days(received, 5) == end_of(date(2026, 3, 31))


def test_deadline_crossing_a_weekend_and_a_holiday():
    # Friday 9 January + 1 working day = Monday 12 January.
    assert add_working_days(at(date(2026, 1, 9), 16), 1) == end_of(date(2026, 1, 12))
    # Thursday 14 May (Kenaikan) and Friday 15 May (cuti bersama) are skipped.
    assert add_working_days(at(date(2026, 5, 13)), 1) == end_of(date(2026, 5, 18))
    assert add_working_days(at(date(2026, 5, 13)), 5) == end_of(date(2026, 5, 22))


def test_day_zero_is_the_day_received_whatever_kind_of_day():
    # Received on a Saturday: day 1 is the Monday.
    assert add_working_days(at(date(2026, 1, 10), 11), 1) == end_of(date(2026, 1, 12))
    # Received one second after midnight on Monday: day 1 is Tuesday, not Monday.
    just_after_midnight = datetime(2026, 1, 12, 0, 0, 1, tzinfo=WIB)
    assert add_working_days(just_after_midnight, 1) == end_of(date(2026, 1, 13))
    # Zero days ends with day 0 itself.
    assert add_working_days(just_after_midnight, 0) == end_of(date(2026, 1, 12))
    # Received on a holiday (New Year, Thursday): day 1 is Friday 2 January.
    assert add_working_days(at(date(2026, 1, 1)), 1) == end_of(date(2026, 1, 2))


def test_end_of_day_is_local_to_the_government_time_zone():
    # 23:30 WIB on Monday is already 01:30 on Tuesday in WIT.
    received = datetime(2026, 1, 5, 23, 30, tzinfo=WIB)
    wib = WorkingCalendar(time_zone="Asia/Jakarta").add_working_days(received, 1)
    wit = WorkingCalendar(time_zone="Asia/Jayapura").add_working_days(received, 1)
    wita = WorkingCalendar(time_zone="Asia/Makassar").add_working_days(received, 1)
    assert wib == end_of(date(2026, 1, 6), WIB)
    assert wit == end_of(date(2026, 1, 7), WIT)
    assert wita == end_of(date(2026, 1, 7), WITA)
    assert wib.utcoffset() == timedelta(hours=7)
    assert wit.utcoffset() == timedelta(hours=9)
    # The same local end of day is two hours earlier in absolute time in WIT than in WIB.
    assert end_of(date(2026, 1, 7), WIB) - wit == timedelta(hours=2)


def test_working_days_between_is_the_inverse_of_add():
    start = at(date(2026, 3, 10), 10)
    for n in range(0, 30):
        due = CAL.add_working_days(start, n)
        assert CAL.working_days_between(start, due) == n
        assert CAL.working_days_between(due, start) == -n
    assert working_days_between(date(2026, 3, 17), date(2026, 3, 24)) == 0


def test_extra_holidays_count_like_national_ones():
    cal = WorkingCalendar(extra_holidays=frozenset({date(2026, 3, 25)}))
    assert not cal.is_working_day(date(2026, 3, 25))
    assert cal.add_working_days(at(date(2026, 3, 17)), 1) == end_of(date(2026, 3, 26))


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        CAL.add_working_days(datetime(2026, 1, 5, 9), 1)
    with pytest.raises(ValueError):
        SlaClock(started_at=datetime(2026, 1, 5, 9), budget_working_days=3)


# --- the government's calendar --------------------------------------------------------------
@pytest.fixture
def government(db):
    from loket.organizations.models import Government, Region

    cache.clear()
    province = Region.objects.create(code="91", name="Papua Barat", level=1, kind="provinsi")
    region = Region.objects.create(
        code="91.71", name="Kota Sorong", level=2, kind="kota", parent=province
    )
    return Government.objects.create(
        region=region,
        name="Pemerintah Kota Sorong",
        slug="sorong",
        tracking_prefix="SRG",
        time_zone="Asia/Jayapura",
    )


def test_government_calendar_reads_regional_holidays_and_time_zone(government):
    from loket.organizations.models import RegionalHoliday

    received = at(date(2026, 3, 17), 10, tz=WIT)
    assert calendar_for_government(government).add_working_days(received, 1) == end_of(
        date(2026, 3, 25), WIT
    )
    RegionalHoliday.objects.create(government=government, date=date(2026, 3, 25), name="HUT")
    cal = calendar_for_government(government)
    assert cal.time_zone == "Asia/Jayapura"
    assert date(2026, 3, 25) in cal.extra_holidays
    assert cal.add_working_days(received, 1) == end_of(date(2026, 3, 26), WIT)


def test_government_calendar_is_cached_and_refreshed_on_change(
    government, django_assert_num_queries
):
    from loket.organizations.models import RegionalHoliday

    calendar_for_government(government)
    with django_assert_num_queries(0):
        calendar_for_government(government)
    holiday = RegionalHoliday.objects.create(
        government=government, date=date(2026, 4, 6), name="Hari jadi"
    )
    assert not calendar_for_government(government).is_working_day(date(2026, 4, 6))
    holiday.delete()
    assert calendar_for_government(government).is_working_day(date(2026, 4, 6))


# --- SLA clocks -----------------------------------------------------------------------------
def test_clock_without_pauses():
    clock = SlaClock(started_at=at(date(2026, 1, 5), 9), budget_working_days=3)
    assert clock.deadline() == end_of(date(2026, 1, 8))
    wednesday_noon = at(date(2026, 1, 7), 12)
    assert clock.remaining_working_days(wednesday_noon) == 1
    assert clock.elapsed_working_days(wednesday_noon) == 2
    assert clock.at_risk(wednesday_noon)
    assert not clock.at_risk(wednesday_noon, threshold=0)
    assert not clock.is_breached(wednesday_noon)
    # The last day counts in full; one microsecond later the clock is breached.
    assert not clock.is_breached(end_of(date(2026, 1, 8)))
    assert clock.remaining_working_days(end_of(date(2026, 1, 8))) == 0
    after = datetime(2026, 1, 9, 0, 0, tzinfo=WIB)
    assert clock.is_breached(after)
    assert not clock.at_risk(after)
    assert clock.remaining_working_days(after) == -1


def test_pause_freezes_the_clock_and_resume_shifts_the_deadline():
    clock = SlaClock(started_at=at(date(2026, 1, 5), 9), budget_working_days=3)
    paused = clock.pause(at=at(date(2026, 1, 7), 10))
    assert paused.is_paused
    assert paused.deadline() is None
    much_later = at(date(2026, 2, 2), 10)
    # Nothing moves while paused: not breached, not at risk, remaining frozen.
    assert paused.remaining_working_days(much_later) == 1
    assert not paused.is_breached(much_later)
    assert not paused.at_risk(much_later)
    assert paused.projected_deadline(at(date(2026, 1, 12), 8)) == end_of(date(2026, 1, 13))

    resumed = paused.resume(at=at(date(2026, 1, 12), 8))  # Thu, Fri, Mon given back
    assert not resumed.is_paused
    assert resumed.deadline() == end_of(date(2026, 1, 13))
    assert resumed.remaining_working_days(at(date(2026, 1, 12), 9)) == 1
    assert resumed.elapsed_working_days(at(date(2026, 1, 12), 9)) == 2


def test_pause_spanning_the_idul_fitri_holidays_gives_back_only_working_days():
    start = at(date(2026, 3, 16), 9)  # Monday
    clock = SlaClock(started_at=start, budget_working_days=5)
    # 17, 25, 26, 27 and 30 March.
    assert clock.deadline() == end_of(date(2026, 3, 30))
    # Paused Tuesday 17 March, resumed Wednesday 25 March: only the 25th was a working day.
    clock = clock.pause(at=at(date(2026, 3, 17), 10)).resume(at=at(date(2026, 3, 25), 10))
    assert clock.deadline() == end_of(date(2026, 3, 31))
    # A pause that begins and ends on holidays gives nothing back.
    other = SlaClock(
        started_at=start,
        budget_working_days=5,
        pauses=(Pause(at(date(2026, 3, 18)), at(date(2026, 3, 24))),),
    )
    assert other.deadline() == end_of(date(2026, 3, 30))


def test_several_pauses_add_up_and_survive_json():
    clock = SlaClock(started_at=at(date(2026, 1, 5), 9), budget_working_days=3)
    clock = clock.pause(at=at(date(2026, 1, 5), 11)).resume(at=at(date(2026, 1, 6), 11))
    clock = clock.pause(at=at(date(2026, 1, 7), 11)).resume(at=at(date(2026, 1, 8), 11))
    assert clock.deadline() == end_of(date(2026, 1, 12))
    again = SlaClock.from_json(clock.to_json(), calendar=CAL)
    assert again == clock
    open_pause = clock.pause(at=at(date(2026, 1, 9), 9))
    assert SlaClock.from_json(open_pause.to_json(), calendar=CAL).is_paused


def test_clock_refuses_inconsistent_pauses():
    clock = SlaClock(started_at=at(date(2026, 1, 5), 9), budget_working_days=3)
    with pytest.raises(ValueError):
        clock.resume(at=at(date(2026, 1, 6)))
    with pytest.raises(ValueError):
        clock.pause(at=at(date(2026, 1, 6))).pause(at=at(date(2026, 1, 7)))
    with pytest.raises(ValueError):
        clock.pause(at=at(date(2026, 1, 4)))  # before the start
    with pytest.raises(ValueError):
        SlaClock(
            started_at=at(date(2026, 1, 5), 9),
            budget_working_days=3,
            pauses=(Pause(at(date(2026, 1, 6)), at(date(2026, 1, 8))), Pause(at(date(2026, 1, 7)))),
        )


def test_a_clock_paused_after_its_deadline_stays_breached():
    clock = SlaClock(started_at=at(date(2026, 1, 5), 9), budget_working_days=1)
    paused = clock.pause(at=at(date(2026, 1, 8), 9))
    assert paused.is_breached(at(date(2026, 1, 20)))
    assert paused.remaining_working_days(at(date(2026, 1, 20))) == -2
