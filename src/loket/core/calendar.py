"""The working-day calendar and the SLA clock: the only place where SLA arithmetic lives.

Rules (docs: DOMAIN_RULES "Working days"):

* A working day is Monday to Friday that is neither a national holiday, nor a cuti bersama
  day (both from the ``holidays`` package for Indonesia, categories ``public`` and
  ``government``), nor a regional holiday the government has configured (RegionalHoliday).
* The day something is received is **day 0**, whatever kind of day it is.
* A deadline of N working days ends at the **end** of the N-th working day after day 0
  (23:59:59.999999), in the government's own time zone (WIB ``Asia/Jakarta``, WITA
  ``Asia/Makassar`` or WIT ``Asia/Jayapura``). A clock is breached only once ``now`` is
  *after* that instant.

How to use it::

    cal = calendar_for_government(government)          # national + regional holidays, tz
    due = cal.add_working_days(received_at, 5)          # aware datetime, end of local day
    cal.working_days_between(received_at, now)          # working days that have begun since

    clock = SlaClock(started_at=received_at, budget_working_days=5, calendar=cal)
    clock = clock.pause(at=asked_citizen_at)            # waiting for the citizen
    clock = clock.resume(at=citizen_answered_at)        # deadline moves by the days paused
    clock.deadline()                                    # None while paused
    clock.remaining_working_days(now)                   # frozen while paused; < 0 when late
    clock.is_breached(now), clock.at_risk(now, threshold=1)

A pause from ``p`` to ``r`` moves the deadline by ``working_days_between(p, r)``: the working
days after the day of the pause up to and including the day of the resumption. The day the
clock resumes is treated like a new day 0 for what was left, so pausing on Tuesday and
resuming on Thursday gives back Wednesday and Thursday. ``SlaClock`` is an immutable value:
modules store ``started_at``, the budget and the pauses (``to_json``/``from_json``) on their
own rows and rebuild the clock with the government's calendar when they need it.
"""

from __future__ import annotations

import functools
import time as time_module
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import holidays as holidays_lib
from django.core.cache import cache

if TYPE_CHECKING:
    from loket.organizations.models import Government

DEFAULT_TIME_ZONE = "Asia/Jakarta"
CALENDAR_CACHE_SECONDS = 300
_SATURDAY = 5


@functools.cache
def _national_holidays(year: int) -> frozenset[date]:
    found = holidays_lib.country_holidays(
        "ID", years=year, categories=(holidays_lib.PUBLIC, holidays_lib.GOVERNMENT)
    )
    return frozenset(found.keys())


def national_holidays(year: int) -> dict[date, str]:
    """National holidays and cuti bersama of one year with their Indonesian names."""
    found = holidays_lib.country_holidays(
        "ID", years=year, categories=(holidays_lib.PUBLIC, holidays_lib.GOVERNMENT)
    )
    return dict(sorted(found.items()))


@dataclass(frozen=True)
class WorkingCalendar:
    """Working days of one government: weekdays minus national and extra (regional) holidays."""

    time_zone: str = DEFAULT_TIME_ZONE
    extra_holidays: frozenset[date] = field(default_factory=frozenset)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    # --- days -------------------------------------------------------------------------------
    def is_holiday(self, day: date) -> bool:
        return day in self.extra_holidays or day in _national_holidays(day.year)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < _SATURDAY and not self.is_holiday(day)

    def local_date(self, moment: datetime | date) -> date:
        """The calendar date of ``moment`` in this government's time zone."""
        if isinstance(moment, datetime):
            if moment.tzinfo is None:
                raise ValueError("an aware datetime is required")
            return moment.astimezone(self.tz).date()
        return moment

    def end_of_day(self, day: date) -> datetime:
        """The last representable instant of ``day`` in local time (23:59:59.999999)."""
        return datetime.combine(day, time.max, tzinfo=self.tz)

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days_to_date(self, day: date, n: int) -> date:
        """The date of the n-th working day after ``day`` (``day`` itself is day 0)."""
        if n < 0:
            raise ValueError("n must not be negative")
        for _ in range(n):
            day = self.next_working_day(day)
        return day

    # --- deadlines --------------------------------------------------------------------------
    def add_working_days(self, start: datetime | date, n: int) -> datetime:
        """Deadline of ``n`` working days for something received at ``start``: the end of the
        n-th working day after the local day of ``start``. ``n == 0`` ends with day 0."""
        return self.end_of_day(self.add_working_days_to_date(self.local_date(start), n))

    def working_days_between(self, a: datetime | date, b: datetime | date) -> int:
        """Working days ``d`` with ``day(a) < d <= day(b)``; negative when ``b`` is earlier.

        ``working_days_between(start, add_working_days(start, n)) == n`` always holds.
        """
        first, last = self.local_date(a), self.local_date(b)
        sign = 1
        if last < first:
            first, last, sign = last, first, -1
        count = 0
        day = first
        while day < last:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return sign * count

    def working_days_in(self, first: date, last: date) -> list[date]:
        """Every working day from ``first`` to ``last``, both included."""
        days: list[date] = []
        day = first
        while day <= last:
            if self.is_working_day(day):
                days.append(day)
            day += timedelta(days=1)
        return days


def national_calendar(time_zone: str = DEFAULT_TIME_ZONE) -> WorkingCalendar:
    """National holidays only, in the given time zone."""
    return WorkingCalendar(time_zone=time_zone)


# Module-level shortcuts for code that has no government at hand (national calendar, WIB).
def is_working_day(day: date, *, calendar: WorkingCalendar | None = None) -> bool:
    return (calendar or national_calendar()).is_working_day(day)


def add_working_days(
    start: datetime | date, n: int, *, calendar: WorkingCalendar | None = None
) -> datetime:
    return (calendar or national_calendar()).add_working_days(start, n)


def working_days_between(
    a: datetime | date, b: datetime | date, *, calendar: WorkingCalendar | None = None
) -> int:
    return (calendar or national_calendar()).working_days_between(a, b)


# --- the government's calendar --------------------------------------------------------------
def _cache_key(government_id: int) -> str:
    return f"loket:calendar:{government_id}"


# A filing or a transition asks for its government's calendar several times (the number's
# year, each clock): the process keeps the holidays it read for a moment, so the shared cache
# is asked once. Another process sees a change at most this much later.
LOCAL_CALENDAR_SECONDS = 2.0
_local_holidays: dict[int, tuple[float, frozenset[date]]] = {}


def calendar_for_government(government: Government) -> WorkingCalendar:
    """The working calendar of one government: its time zone, national holidays and its
    RegionalHoliday rows. Cached for a few minutes (and in the process for
    ``LOCAL_CALENDAR_SECONDS``); saving or deleting a RegionalHoliday drops the cached copy
    (see :func:`forget_government_calendar`)."""
    from loket.organizations.models import RegionalHoliday

    now = time_module.monotonic()
    local = _local_holidays.get(government.pk)
    if local is not None and local[0] > now:
        extra = local[1]
    else:
        key = _cache_key(government.pk)
        cached = cache.get(key)
        if cached is None:
            days = RegionalHoliday.objects.filter(government_id=government.pk).values_list(
                "date", flat=True
            )
            cached = sorted(day.isoformat() for day in days)
            cache.set(key, cached, CALENDAR_CACHE_SECONDS)
        extra = frozenset(date.fromisoformat(day) for day in cached)
        _local_holidays[government.pk] = (now + LOCAL_CALENDAR_SECONDS, extra)
    return WorkingCalendar(
        time_zone=government.time_zone or DEFAULT_TIME_ZONE, extra_holidays=extra
    )


def forget_government_calendar(government_id: int) -> None:
    """Drop the cached regional holidays of one government (after they change)."""
    _local_holidays.pop(government_id, None)
    cache.delete(_cache_key(government_id))


def forget_local_calendars() -> None:
    """Drop what this process keeps (tests start each case from an empty cache)."""
    _local_holidays.clear()


def _on_regional_holiday_change(sender: Any, instance: Any, **kwargs: Any) -> None:
    forget_government_calendar(instance.government_id)


def connect_signals() -> None:
    """Keep the cache honest when regional holidays change through the ORM."""
    from django.db.models.signals import post_delete, post_save

    from loket.organizations.models import RegionalHoliday

    for signal in (post_save, post_delete):
        signal.connect(
            _on_regional_holiday_change,
            sender=RegionalHoliday,
            dispatch_uid=f"loket-calendar-{signal is post_save}",
        )


# --- the SLA clock --------------------------------------------------------------------------
@dataclass(frozen=True)
class Pause:
    """One stop of an SLA clock; ``resumed_at`` is None while it lasts."""

    paused_at: datetime
    resumed_at: datetime | None = None


@dataclass(frozen=True)
class SlaClock:
    """A working-day budget that starts at ``started_at`` and can pause and resume.

    All methods are pure; ``pause`` and ``resume`` return a new clock.
    """

    started_at: datetime
    budget_working_days: int
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)
    pauses: tuple[Pause, ...] = ()

    def __post_init__(self) -> None:
        if self.started_at.tzinfo is None:
            raise ValueError("started_at must be an aware datetime")
        if self.budget_working_days < 0:
            raise ValueError("the budget must not be negative")
        previous_end = self.started_at
        for index, item in enumerate(self.pauses):
            if item.paused_at < previous_end:
                raise ValueError("pauses must be in order, after the start, and not overlap")
            if item.resumed_at is None:
                if index != len(self.pauses) - 1:
                    raise ValueError("only the last pause may still be open")
                break
            if item.resumed_at < item.paused_at:
                raise ValueError("a pause cannot end before it starts")
            previous_end = item.resumed_at

    # --- state changes ----------------------------------------------------------------------
    @property
    def is_paused(self) -> bool:
        return bool(self.pauses) and self.pauses[-1].resumed_at is None

    def pause(self, *, at: datetime) -> SlaClock:
        if self.is_paused:
            raise ValueError("the clock is already paused")
        return replace(self, pauses=(*self.pauses, Pause(paused_at=at)))

    def resume(self, *, at: datetime) -> SlaClock:
        if not self.is_paused:
            raise ValueError("the clock is not paused")
        last = self.pauses[-1]
        return replace(self, pauses=(*self.pauses[:-1], Pause(last.paused_at, at)))

    # --- arithmetic -------------------------------------------------------------------------
    def _shift(self, *, open_until: datetime | None) -> int:
        """Working days given back by pauses; an open pause counts up to ``open_until``."""
        total = 0
        for item in self.pauses:
            end = item.resumed_at or open_until
            if end is not None:
                total += self.calendar.working_days_between(item.paused_at, end)
        return total

    def _deadline_closed(self) -> datetime:
        """The deadline counting only pauses that have ended."""
        return self.calendar.add_working_days(
            self.started_at, self.budget_working_days + self._shift(open_until=None)
        )

    def deadline(self) -> datetime | None:
        """End of the last working day of the budget; None while the clock is paused."""
        if self.is_paused:
            return None
        return self._deadline_closed()

    def projected_deadline(self, now: datetime) -> datetime:
        """The deadline if the clock ran (or resumed) at ``now``."""
        return self.calendar.add_working_days(
            self.started_at, self.budget_working_days + self._shift(open_until=now)
        )

    def _reference(self, now: datetime) -> datetime:
        # While paused, time stands still at the moment of the pause.
        return self.pauses[-1].paused_at if self.is_paused else now

    def remaining_working_days(self, now: datetime) -> int:
        """Working days left after today (0 on the last day, negative once late); frozen
        at the moment of the pause while the clock is paused."""
        return self.calendar.working_days_between(self._reference(now), self._deadline_closed())

    def elapsed_working_days(self, now: datetime) -> int:
        """Working days that have begun since day 0, not counting paused ones."""
        reference = self._reference(now)
        spent = self.calendar.working_days_between(self.started_at, reference)
        return spent - self._shift(open_until=None)

    def is_breached(self, now: datetime) -> bool:
        """True once the deadline has passed (a clock paused after its deadline stays so)."""
        return self._reference(now) > self._deadline_closed()

    def at_risk(self, now: datetime, threshold: int = 1) -> bool:
        """Running, not yet breached, and at most ``threshold`` working days left."""
        if self.is_paused or self.is_breached(now):
            return False
        return self.remaining_working_days(now) <= threshold

    # --- storage ----------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {
            "started_at": self.started_at.isoformat(),
            "budget_working_days": self.budget_working_days,
            "pauses": [
                [p.paused_at.isoformat(), p.resumed_at.isoformat() if p.resumed_at else None]
                for p in self.pauses
            ],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], *, calendar: WorkingCalendar) -> SlaClock:
        pauses: Sequence[Sequence[str | None]] = data.get("pauses") or []
        return cls(
            started_at=datetime.fromisoformat(str(data["started_at"])),
            budget_working_days=int(data["budget_working_days"]),
            calendar=calendar,
            pauses=tuple(_pause_from_json(item) for item in pauses),
        )


def _pause_from_json(item: Iterable[str | None]) -> Pause:
    paused, resumed = list(item)
    if paused is None:
        raise ValueError("a pause needs its start")
    return Pause(
        paused_at=datetime.fromisoformat(paused),
        resumed_at=datetime.fromisoformat(resumed) if resumed else None,
    )
