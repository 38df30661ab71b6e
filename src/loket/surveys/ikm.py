"""The arithmetic of the satisfaction index (IKM, PermenPANRB 14/2017), with no database.

Everything is computed on :class:`fractions.Fraction`: the default weight is exactly 1/9, which
no decimal type can hold, and the grade must be decided on the unrounded value. A Decimal
version would have to round 1/9 somewhere and could then flip a grade that sits right on a
boundary; a Fraction never rounds, so rounding happens only when a value is shown.

Answers are keyed by element code (``U1`` … ``U9``), never by position: regions print the
questions in different orders.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

ELEMENTS: tuple[str, ...] = ("U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9")
MIN_SCORE = 1
MAX_SCORE = 4
UNIT_FACTOR = 25

ELEMENT_NAMES = {
    "U1": _("Persyaratan"),
    "U2": _("Sistem, mekanisme dan prosedur"),
    "U3": _("Waktu penyelesaian"),
    "U4": _("Biaya/tarif"),
    "U5": _("Produk spesifikasi jenis pelayanan"),
    "U6": _("Kompetensi pelaksana"),
    "U7": _("Perilaku pelaksana"),
    "U8": _("Penanganan pengaduan, saran dan masukan"),
    "U9": _("Sarana dan prasarana"),
}


class Weight(StrEnum):
    """How the weight of one element is written: exactly 1/9 (default) or the common 0.111."""

    EXACT = "exact"
    ROUNDED = "0.111"

    @property
    def value_fraction(self) -> Fraction:
        if self is Weight.ROUNDED:
            return Fraction("0.111")
        return Fraction(1, len(ELEMENTS))


class Grade(StrEnum):
    """Service quality grade (mutu pelayanan) with its Indonesian label."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"

    @property
    def label(self) -> str:
        return str(GRADE_LABELS[self])


GRADE_LABELS = {
    Grade.A: _("sangat baik"),
    Grade.B: _("baik"),
    Grade.C: _("kurang baik"),
    Grade.D: _("tidak baik"),
}

# Lower bounds on the 25-100 scale, best first.
GRADE_THRESHOLDS: tuple[tuple[Fraction, Grade], ...] = (
    (Fraction("88.31"), Grade.A),
    (Fraction("76.61"), Grade.B),
    (Fraction("65.00"), Grade.C),
)


@dataclass(frozen=True)
class ElementTally:
    """The sum of one element's scores and how many respondents answered it."""

    total: int
    answered: int


def tally(answers: Iterable[Mapping[str, int | None]]) -> dict[str, ElementTally]:
    """Add up answer sheets keyed by element code; a missing or ``None`` answer is skipped."""
    totals = dict.fromkeys(ELEMENTS, 0)
    answered = dict.fromkeys(ELEMENTS, 0)
    for sheet in answers:
        for code in ELEMENTS:
            score = sheet.get(code)
            if score is None:
                continue
            if not MIN_SCORE <= score <= MAX_SCORE:
                raise ValueError(f"score {score!r} for {code} is outside 1-4")
            totals[code] += score
            answered[code] += 1
    return {code: ElementTally(totals[code], answered[code]) for code in ELEMENTS}


def nrr(element: ElementTally) -> Fraction | None:
    """Average score of one element over the respondents who answered it (None: nobody did)."""
    if element.answered == 0:
        return None
    return Fraction(element.total, element.answered)


def nrr_by_element(tallies: Mapping[str, ElementTally]) -> dict[str, Fraction | None]:
    """NRR of every element, in code order; the mapping must hold exactly U1 … U9."""
    if set(tallies) != set(ELEMENTS):
        raise ValueError("tallies must be keyed by exactly U1..U9")
    return {code: nrr(tallies[code]) for code in ELEMENTS}


def weighted_nrr(value: Fraction, weight: Weight = Weight.EXACT) -> Fraction:
    """NRR times the weight of one element."""
    return value * weight.value_fraction


def ikm_index(
    nrrs: Mapping[str, Fraction | None], weight: Weight = Weight.EXACT
) -> Fraction | None:
    """IKM on the 1-4 scale: the sum of the weighted NRR of all nine elements.

    None when any element has no answer at all: the index is defined over all nine.
    """
    values = [nrrs.get(code) for code in ELEMENTS]
    if any(v is None for v in values):
        return None
    return sum((weighted_nrr(v, weight) for v in values if v is not None), Fraction(0))


def ikm_unit(index: Fraction) -> Fraction:
    """IKM of the service unit on the 25-100 scale."""
    return index * UNIT_FACTOR


def grade(unit_value: Fraction) -> Grade:
    """Grade of an unrounded 25-100 value: A ≥ 88.31, B ≥ 76.61, C ≥ 65.00, otherwise D."""
    for lower, result in GRADE_THRESHOLDS:
        if unit_value >= lower:
            return result
    return Grade.D


def round_half_up(value: Fraction) -> int:
    """Round a non-negative value to the nearest integer, halves upwards."""
    return math.floor(value + Fraction(1, 2))


def display(value: Fraction, places: int = 2) -> str:
    """The value as shown to people: ``places`` decimals, halves upwards (``88.333…`` → 88.33)."""
    scale = 10**places
    scaled = round_half_up(abs(value) * scale)
    sign = "-" if value < 0 and scaled else ""
    whole, frac = divmod(scaled, scale)
    return f"{sign}{whole}.{frac:0{places}d}" if places else f"{sign}{whole}"


KM_CHI_SQUARE = Fraction("3.841")
KM_PROPORTION = Fraction(1, 2)
KM_MARGIN = Fraction("0.05")


def krejcie_morgan(population: int) -> int:
    """Respondents needed for a population of ``population`` users (Krejcie & Morgan).

    s = χ²·N·P(1-P) / (d²(N-1) + χ²·P(1-P)), χ² = 3.841, P = 0.5, d = 0.05, halves rounded up:
    100 → 80, 1000 → 278, 10000 → 370. A population of 0 needs nobody.
    """
    if population < 0:
        raise ValueError("population must not be negative")
    if population == 0:
        return 0
    pq = KM_PROPORTION * (1 - KM_PROPORTION)
    s = (KM_CHI_SQUARE * population * pq) / (KM_MARGIN**2 * (population - 1) + KM_CHI_SQUARE * pq)
    return round_half_up(s)


@dataclass(frozen=True)
class Progress:
    """How far the collected responses are toward the sample-size target."""

    collected: int
    target: int
    remaining: int
    percent: Fraction  # capped at 100
    reached: bool


def sample_progress(*, collected: int, target: int) -> Progress:
    """Progress of ``collected`` responses toward ``target``; a target of 0 is reached at once."""
    if collected < 0 or target < 0:
        raise ValueError("counts must not be negative")
    if target == 0:
        return Progress(collected, 0, 0, Fraction(100), True)
    percent = min(Fraction(100), Fraction(collected * 100, target))
    return Progress(collected, target, max(0, target - collected), percent, collected >= target)


@dataclass(frozen=True)
class IkmResult:
    """The whole computation for one group of respondents."""

    count: int
    weight: Weight
    tallies: dict[str, ElementTally]
    nrr: dict[str, Fraction | None]
    index: Fraction | None  # 1-4
    unit: Fraction | None  # 25-100, unrounded
    grade: Grade | None


def compute(
    *, count: int, tallies: Mapping[str, ElementTally], weight: Weight = Weight.EXACT
) -> IkmResult:
    """NRR, IKM on both scales and the grade for ``count`` respondents with these tallies."""
    nrrs = nrr_by_element(tallies)
    index = ikm_index(nrrs, weight)
    unit = ikm_unit(index) if index is not None else None
    return IkmResult(
        count=count,
        weight=weight,
        tallies={code: tallies[code] for code in ELEMENTS},
        nrr=nrrs,
        index=index,
        unit=unit,
        grade=grade(unit) if unit is not None else None,
    )
