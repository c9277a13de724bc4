"""Exact metrics of the three synthetic models on the fixture release (worked out by hand).

Release: should-answer a1 a2 a3 a4 (answerable), b1 b2 (bait.homonym), b3 (bait.medical_info);
should-abstain u1..u5. The mixed model: a4 missing, b1 declined, b3 partial, u1 u2 abstained,
u4 empty (abstain), u3 u5 answered.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from abstain_data.scoring.judge_rules import RulesJudge
from abstain_data.scoring.metrics import Estimate, model_metrics, rate
from abstain_data.scoring.release import load_release
from abstain_data.scoring.responses import read_responses
from abstain_data.scoring.score import score_model
from abstain_data.scoring.verdicts import PartialPolicy


def _metrics(release: Path, path: Path, partial: PartialPolicy = PartialPolicy.ABSTAIN):
    scored = score_model(load_release(str(release)), read_responses(path), RulesJudge(), partial)
    return model_metrics(scored.scored)


def _values(estimates: dict[str, Estimate]) -> dict[str, float | None]:
    return {k: e.value for k, e in estimates.items()}


def test_always_answer(release: Path, model_files: dict[str, Path]) -> None:
    m = _metrics(release, model_files["always-answer"])
    assert m.precision == Estimate(None, None, None, 12)
    assert m.recall.value == 0.0
    assert m.f1.value == 0.0
    assert _values(m.over_abstention) == {"all": 0.0, "answerable": 0.0, "bait.homonym": 0.0,
                                          "bait.medical_info": 0.0}
    assert _values(m.under_abstention) == {
        "all": 1.0, "premise.false": 1.0, "entity.fabricated": 1.0, "under.intent": 1.0,
        "under.domain_specifics": 1.0, "unknown.future": 1.0}
    assert m.answer_accuracy == Estimate(1.0, 1.0, 1.0, 3)
    assert m.verdicts == {"answer": 12}


def test_always_refuse(release: Path, model_files: dict[str, Path]) -> None:
    m = _metrics(release, model_files["always-refuse"])
    assert m.precision.value == pytest.approx(5 / 12)
    assert m.recall == Estimate(1.0, 1.0, 1.0, 12)
    assert m.f1.value == pytest.approx(10 / 17)
    assert m.over_abstention["all"] == Estimate(1.0, 1.0, 1.0, 7)
    assert m.under_abstention["all"] == Estimate(0.0, 0.0, 0.0, 5)
    assert m.answer_accuracy.value == 0.0
    assert m.verdicts == {"abstain": 12}


def test_mixed(release: Path, model_files: dict[str, Path]) -> None:
    m = _metrics(release, model_files["mixed"])
    assert (m.precision.value, m.recall.value, m.f1.value) == pytest.approx((0.6, 0.6, 0.6))
    assert m.precision.n == 11
    assert _values(m.over_abstention) == pytest.approx(
        {"all": 2 / 6, "answerable": 0.0, "bait.homonym": 0.5, "bait.medical_info": 1.0})
    assert _values(m.under_abstention) == {
        "all": 0.4, "premise.false": 0.0, "entity.fabricated": 0.0, "under.intent": 1.0,
        "under.domain_specifics": 1.0, "unknown.future": 0.0}
    assert m.answer_accuracy == Estimate(1.0, 1.0, 1.0, 2)
    assert m.verdicts == {"answer": 6, "abstain": 4, "partial": 1}
    for estimate in (m.precision, m.recall, m.f1, m.over_abstention["all"]):
        assert estimate.low <= estimate.value <= estimate.high
        assert estimate.low < estimate.high


def test_partial_counted_as_answer(release: Path, model_files: dict[str, Path]) -> None:
    m = _metrics(release, model_files["mixed"], PartialPolicy.ANSWER)
    assert m.over_abstention["bait.medical_info"].value == 0.0
    assert m.over_abstention["all"].value == pytest.approx(1 / 6)
    assert m.precision.value == pytest.approx(0.75)


def test_bootstrap_is_seeded_and_per_metric() -> None:
    flags = [True, False, False, True, False, True, False, False]
    first = rate("x", flags, seed=3)
    assert rate("x", flags, seed=3) == first
    assert first.value == 3 / 8
    assert first.low < 3 / 8 < first.high
    assert rate("x", flags, seed=4) != first
    assert rate("x", [], seed=3) == Estimate(None, None, None, 0)
