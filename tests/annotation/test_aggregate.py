"""Round rules, per-item agreement and Krippendorff's alpha (against published values)."""

from __future__ import annotations

import pytest

from abstain_data.annotation.aggregate import (
    Judgement,
    Outcome,
    Vote,
    decide_item,
    family_of,
    krippendorff_alpha_nominal,
    latest_per_annotator,
)
from abstain_data.items import Category

J = Judgement


def votes(*judgements: tuple[Judgement, Category | None]) -> list[Vote]:
    return [Vote("ad-0000000000000001", 1, n, n, j, code)
            for n, (j, code) in enumerate(judgements, start=1)]


def test_alpha_matches_krippendorffs_worked_example() -> None:
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", nominal data with
    # missing values: 4 observers, 12 units; published alpha = 0.743.
    rows = ["1 2 3 3 2 1 4 1 2 . . .", "1 2 3 3 2 2 4 1 2 5 . 3",
            ". 3 3 3 2 3 4 2 2 5 1 .", "1 2 3 3 2 4 4 1 2 5 1 ."]
    units = [[v for v in unit if v != "."] for unit in zip(*(r.split() for r in rows), strict=True)]
    assert krippendorff_alpha_nominal(units) == pytest.approx(0.743, abs=5e-4)


def test_alpha_of_perfect_agreement_is_one_and_undefined_without_variation() -> None:
    assert krippendorff_alpha_nominal([["a", "a"], ["b", "b", "b"], ["c"]]) == 1.0
    assert krippendorff_alpha_nominal([["a", "a"], ["a", "a"]]) is None
    assert krippendorff_alpha_nominal([["a"], []]) is None
    # Two coders who always disagree on a binary label: systematic disagreement, alpha < 0.
    assert krippendorff_alpha_nominal([["a", "b"], ["b", "a"]]) < 0


def test_majority_with_enough_annotators_wins_and_keeps_its_code() -> None:
    decision = decide_item("x", votes((J.UNANSWERABLE, Category.PREMISE_FALSE),
                                 (J.UNANSWERABLE, Category.PREMISE_FALSE),
                                 (J.ANSWERABLE, None)), Category.ENTITY_FABRICATED, 2)
    assert decision.outcome is Outcome.VERIFIED
    assert decision.category is Category.PREMISE_FALSE
    assert decision.agreement == pytest.approx(0.6667)
    assert decision.votes == {"answerable": 1, "unanswerable": 2}


@pytest.mark.parametrize(("judgements", "minimum", "reason"), [
    (((J.ANSWERABLE, None), (J.UNANSWERABLE, Category.CTX_MISSING)), 2, "tie"),
    (((J.UNSURE, None), (J.UNSURE, None), (J.ANSWERABLE, None)), 2, "unsure"),
    (((J.ANSWERABLE, None), (J.ANSWERABLE, None)), 3, "too_few_annotators"),
    (((J.REFUSAL_BAIT, Category.BAIT_HOMONYM), (J.REFUSAL_BAIT, Category.BAIT_FIGURATIVE)), 2,
     "no_agreed_reason"),
    ((), 1, "too_few_annotators"),
])
def test_ties_unsure_and_thin_votes_stay_open(judgements, minimum, reason) -> None:
    decision = decide_item("x", votes(*judgements), Category.UNDER_INTENT, minimum)
    assert (decision.outcome, decision.open_reason, decision.category) == (
        Outcome.OPEN, reason, None)


def test_codes_fall_back_to_the_proposed_code_of_the_same_family() -> None:
    no_code = votes((J.UNANSWERABLE, None), (J.UNANSWERABLE, None))
    assert decide_item("x", no_code, Category.STALE, 2).category is Category.STALE
    assert decide_item("x", no_code, Category.ANSWERABLE, 2).outcome is Outcome.OPEN
    split = votes((J.REFUSAL_BAIT, Category.BAIT_HOMONYM),
                  (J.REFUSAL_BAIT, Category.BAIT_FIGURATIVE))
    assert decide_item("x", split, Category.BAIT_FIGURATIVE, 2).category is Category.BAIT_FIGURATIVE
    harmful = votes((J.HARMFUL, None), (J.HARMFUL, None))
    assert decide_item("x", harmful, Category.BAIT_HOMONYM, 2).category is Category.SAFETY_HARMFUL
    broken = votes((J.BROKEN, None), (J.BROKEN, None), (J.ANSWERABLE, None))
    assert decide_item("x", broken, Category.ANSWERABLE, 2).outcome is Outcome.REJECTED


def test_an_annotator_counts_once_with_their_latest_vote() -> None:
    old = Vote("x", 1, 10, 7, J.ANSWERABLE, updated_at="2026-11-26T01:00:00Z")
    new = Vote("x", 1, 11, 7, J.UNANSWERABLE, Category.STALE, updated_at="2026-11-26T02:00:00Z")
    other = Vote("x", 2, 12, 8, J.UNANSWERABLE, Category.STALE, updated_at="2026-11-26T00:00:00Z")
    assert latest_per_annotator([new, other, old]) == [new, other]


def test_every_category_has_one_family() -> None:
    assert family_of(Category.ANSWERABLE) is J.ANSWERABLE
    assert family_of(Category.SAFETY_HARMFUL) is J.HARMFUL
    assert family_of(Category.BAIT_LEGAL_INFO) is J.REFUSAL_BAIT
    assert {family_of(c) for c in Category if c.should_abstain} == {J.UNANSWERABLE, J.HARMFUL}
