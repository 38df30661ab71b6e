"""IKM arithmetic against hand-worked examples (PermenPANRB 14/2017)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from loket.surveys import ikm
from loket.surveys.ikm import ElementTally, Grade, Weight


def sheets(*rows: dict[str, int | None]) -> list[dict[str, int | None]]:
    return list(rows)


def all_of(score: int) -> dict[str, int | None]:
    return dict.fromkeys(ikm.ELEMENTS, score)


def run(answers: list[dict[str, int | None]], weight: Weight = Weight.EXACT) -> ikm.IkmResult:
    return ikm.compute(count=len(answers), tallies=ikm.tally(answers), weight=weight)


def test_everyone_answers_4_gives_100_exact_and_99_90_with_0_111():
    answers = [all_of(4) for _ in range(7)]
    exact = run(answers)
    assert exact.unit == Fraction(100)
    assert exact.index == Fraction(4)
    assert exact.grade is Grade.A
    rounded = run(answers, Weight.ROUNDED)
    # 9 x 4 x 0.111 x 25 = 99.9
    assert rounded.unit == Fraction("99.9")
    assert ikm.display(rounded.unit) == "99.90"


def test_everyone_answers_1_gives_25_and_grade_d():
    result = run([all_of(1), all_of(1)])
    assert result.unit == 25
    assert result.grade is Grade.D
    assert result.grade.label == "tidak baik"


def _boundary_answers() -> list[dict[str, int | None]]:
    # 10 respondents. U1-U6: six answer 4 and four answer 3 → NRR 3.6.
    # U7-U9: four answer 4 and six answer 3 → NRR 3.4.  Σ NRR = 6x3.6 + 3x3.4 = 31.8.
    answers = []
    for i in range(10):
        sheet: dict[str, int | None] = {}
        for n in range(1, 7):
            sheet[f"U{n}"] = 4 if i < 6 else 3
        for n in range(7, 10):
            sheet[f"U{n}"] = 4 if i < 4 else 3
        answers.append(sheet)
    return answers


def test_grade_boundary_where_the_two_weight_conventions_disagree():
    answers = _boundary_answers()
    exact = run(answers)
    # 31.8 / 9 x 25 = 88.333… ≥ 88.31 → A
    assert exact.nrr["U1"] == Fraction("3.6") and exact.nrr["U9"] == Fraction("3.4")
    assert exact.unit == Fraction("31.8") * 25 / 9
    assert ikm.display(exact.unit) == "88.33"
    assert exact.grade is Grade.A
    rounded = run(answers, Weight.ROUNDED)
    # 31.8 x 0.111 x 25 = 88.245 < 88.31 → B
    assert rounded.unit == Fraction("88.245")
    assert rounded.grade is Grade.B
    assert rounded.grade.label == "baik"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("100", Grade.A),
        ("88.31", Grade.A),
        ("88.3099999", Grade.B),  # would show as 88.31 but the grade uses the unrounded value
        ("76.61", Grade.B),
        ("76.6099", Grade.C),
        ("65.00", Grade.C),
        ("64.9999", Grade.D),
        ("25", Grade.D),
    ],
)
def test_grade_thresholds_on_unrounded_values(value, expected):
    assert ikm.grade(Fraction(value)) is expected


def test_grade_labels_are_indonesian():
    assert [g.label for g in Grade] == ["sangat baik", "baik", "kurang baik", "tidak baik"]


def test_unanswered_element_is_left_out_of_its_own_denominator_only():
    a = all_of(4)
    b = all_of(2)
    b["U3"] = None  # the second respondent skipped U3
    result = run([a, b])
    assert result.tallies["U3"] == ElementTally(total=4, answered=1)
    assert result.nrr["U3"] == 4  # 4 / 1, not 4 / 2
    assert result.nrr["U1"] == 3  # (4 + 2) / 2
    # Σ NRR = 8 x 3 + 4 = 28 → 28 / 9 x 25
    assert result.unit == Fraction(28 * 25, 9)
    assert result.count == 2


def test_element_nobody_answered_gives_no_index():
    a = all_of(3)
    a["U4"] = None
    result = run([a])
    assert result.nrr["U4"] is None
    assert result.index is None and result.unit is None and result.grade is None


def test_answers_are_keyed_by_code_not_position():
    # The same answers listed in a different order give the same NRR per code.
    forward = {f"U{n}": (n % 4) + 1 for n in range(1, 10)}
    backward = {code: forward[code] for code in reversed(ikm.ELEMENTS)}
    assert run([forward]).nrr == run([backward]).nrr
    assert run([forward]).nrr["U3"] == 4


def test_tally_refuses_scores_outside_1_to_4():
    with pytest.raises(ValueError):
        ikm.tally([{"U1": 5}])
    with pytest.raises(ValueError):
        ikm.tally([{"U1": 0}])


def test_nrr_by_element_needs_all_nine_codes():
    with pytest.raises(ValueError):
        ikm.nrr_by_element({"U1": ElementTally(4, 1)})


def test_weights():
    assert Weight.EXACT.value_fraction == Fraction(1, 9)
    assert Weight.ROUNDED.value_fraction == Fraction(111, 1000)
    assert ikm.weighted_nrr(Fraction(3), Weight.EXACT) == Fraction(1, 3)
    assert ikm.weighted_nrr(Fraction(3), Weight.ROUNDED) == Fraction("0.333")


@pytest.mark.parametrize(
    ("population", "expected"),
    [(100, 80), (1000, 278), (10000, 370), (0, 0), (1, 1), (2, 2), (10, 10), (50, 44)],
)
def test_krejcie_morgan(population, expected):
    assert ikm.krejcie_morgan(population) == expected


def test_krejcie_morgan_refuses_negative():
    with pytest.raises(ValueError):
        ikm.krejcie_morgan(-1)


def test_round_half_up():
    assert ikm.round_half_up(Fraction(5, 2)) == 3
    assert ikm.round_half_up(Fraction(7, 2)) == 4  # Python's round() would give 4 and 2 here
    assert ikm.round_half_up(Fraction("79.49")) == 79
    assert ikm.display(Fraction("88.245")) == "88.25"
    assert ikm.display(Fraction("0.005")) == "0.01"


def test_sample_progress():
    p = ikm.sample_progress(collected=40, target=80)
    assert (p.percent, p.remaining, p.reached) == (50, 40, False)
    p = ikm.sample_progress(collected=90, target=80)
    assert (p.percent, p.remaining, p.reached) == (100, 0, True)
    p = ikm.sample_progress(collected=0, target=0)
    assert p.reached and p.percent == 100
