"""The failure signature of the synthetic models: exact cells, rates and directions."""

from __future__ import annotations

from pathlib import Path

from abstain_data.scoring.judge_rules import RulesJudge
from abstain_data.scoring.metrics import Estimate
from abstain_data.scoring.release import load_release
from abstain_data.scoring.responses import read_responses
from abstain_data.scoring.score import score_model
from abstain_data.scoring.signature import direction, signature


def _cells(release: Path, path: Path) -> list[tuple]:
    scored = score_model(load_release(str(release)), read_responses(path), RulesJudge())
    return [(c.domain, c.complexity, c.n_answer, c.n_abstain, c.over.value, c.under.value,
             c.direction) for c in signature(scored.scored)]


def test_mixed_signature(release: Path, model_files: dict[str, Path]) -> None:
    assert _cells(release, model_files["mixed"]) == [
        ("general", "templated", 0, 1, None, 1.0, "under"),
        ("science", "templated", 1, 1, 0.0, 0.0, "none"),
        ("history", "templated", 0, 1, None, 0.0, "none"),
        ("geography", "templated", 1, 0, 0.0, None, "none"),
        ("medical", "open_ended", 2, 1, 0.5, 1.0, "under"),
        ("technology", "templated", 2, 0, 0.5, None, "over"),
        ("sports", "templated", 0, 1, None, 0.0, "none"),
    ]


def test_opposite_models_err_in_opposite_directions(release: Path,
                                                    model_files: dict[str, Path]) -> None:
    answer = {(c[0], c[1]): c[6] for c in _cells(release, model_files["always-answer"])}
    refuse = {(c[0], c[1]): c[6] for c in _cells(release, model_files["always-refuse"])}
    assert answer[("general", "templated")] == "under"
    assert refuse[("general", "templated")] == "over"
    assert answer[("geography", "templated")] == "none"
    assert refuse[("geography", "templated")] == "over"
    assert answer[("history", "templated")] == "under"
    assert refuse[("history", "templated")] == "none"
    assert refuse[("medical", "open_ended")] == "over"
    assert answer[("medical", "open_ended")] == "under"


def test_direction() -> None:
    assert direction(0.3, 0.1) == "over"
    assert direction(None, 0.2) == "under"
    assert direction(0.25, 0.25) == "even"
    assert direction(0.0, None) == "none"


def test_cells_carry_bootstrap_intervals(release: Path, model_files: dict[str, Path]) -> None:
    scored = score_model(load_release(str(release)), read_responses(model_files["mixed"]),
                         RulesJudge()).scored
    cells = {(c.domain, c.complexity): c for c in signature(scored)}
    medical = cells[("medical", "open_ended")]
    # two should-answer items, one abstained on: resamples give 0, 0.5 or 1
    assert medical.over.value == 0.5 and medical.over.n == 2
    assert medical.over.low == 0.0 and medical.over.high == 1.0
    # a single item answered wrongly: every resample agrees
    assert medical.under == Estimate(1.0, 1.0, 1.0, 1)
    # no should-answer item in the cell: no rate, no interval
    assert cells[("general", "templated")].over == Estimate(None, None, None, 0)
    assert signature(scored, seed=7) == signature(scored, seed=7)
