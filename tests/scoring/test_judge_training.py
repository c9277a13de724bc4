"""Training the judge: written completions are validated per line; a fit is deterministic."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from abstain_data.errors import UserError
from abstain_data.scoring.judge_learned import LearnedJudge
from abstain_data.scoring.judge_training import fit, main, read_written
from abstain_data.scoring.xstest import COMPLIANCE, PARTIAL, REFUSAL, LabelledCompletion


def test_shipped_written_completions_cover_every_label() -> None:
    rows = read_written()
    assert len(rows) >= 120
    assert {r.human for r in rows} == {COMPLIANCE, REFUSAL, PARTIAL}


@pytest.mark.parametrize(("row", "message"), [
    ({"id": "w", "prompt": "p", "completion": "c", "final_label": "maybe"},
     r"w.jsonl:2: final_label: not one of"),
    ({"id": "w", "prompt": "p", "final_label": COMPLIANCE}, r"w.jsonl:2: completion: expected"),
])
def test_bad_written_rows_are_named(tmp_path: Path, row: dict, message: str) -> None:
    good = {"id": "ok", "prompt": "p", "completion": "c", "final_label": COMPLIANCE}
    path = tmp_path / "w.jsonl"
    path.write_text(json.dumps(good) + "\n" + json.dumps(row) + "\n")
    with pytest.raises(UserError, match=message):
        read_written(path)


def test_fit_is_deterministic_and_learns_the_rows() -> None:
    rows = read_written()
    first, second = fit(rows), fit(rows)
    np.testing.assert_array_equal(first.weights, second.weights)
    judge = LearnedJudge(first)
    agree = sum(judge.classify(r.completion).label == r.human for r in rows) / len(rows)
    assert agree > 0.8


def test_fit_needs_every_label() -> None:
    rows = [LabelledCompletion("1", "p", "Paris.", COMPLIANCE, "")]
    with pytest.raises(UserError, match="no example of 2_full_refusal, 3_partial_refusal"):
        fit(rows)


def test_main_writes_an_artefact(corpora: Path, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "model.json"
    main([str(corpora), "--out", str(out)])
    data = json.loads(out.read_text())
    assert [e["rows"] for e in data["trained_on"]] == [450, 450, len(read_written())]
    assert "trained on written_completions.jsonl" in capsys.readouterr().out
