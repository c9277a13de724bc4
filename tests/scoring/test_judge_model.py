"""The judge artefact: JSON round trip, bad files named in one line, contributions by sign."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from abstain_data.errors import UserError
from abstain_data.scoring.judge_model import JudgeModel

MODEL = JudgeModel(version="t", features=("a", "b"), classes=("x", "y"),
                   weights=np.array([[1.0, -2.0], [-1.0, 2.0]]), intercepts=np.array([0.0, 0.5]),
                   trained_on=({"file": "f.csv", "sha256": "0" * 64, "rows": 2},))


def test_round_trip(tmp_path: Path) -> None:
    loaded = JudgeModel.load(MODEL.save(tmp_path / "m.json"))
    assert loaded.to_dict() == MODEL.to_dict()


def test_probabilities_and_contributions() -> None:
    x = np.array([1.0, 0.0])
    probabilities = MODEL.probabilities(x[None, :])[0]
    assert probabilities.sum() == pytest.approx(1.0)
    assert probabilities[0] > probabilities[1]   # logits 1.0 vs -0.5
    assert MODEL.contributions(x, "x") == [("a", 1.0)]   # inactive feature b is not listed
    assert MODEL.contributions(np.array([1.0, 1.0]), "y") == [("b", 2.0), ("a", -1.0)]


def test_bad_artefacts_are_named(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(UserError, match=r"broken.json: not a judge model artefact"):
        JudgeModel.load(broken)
    shape = tmp_path / "shape.json"
    data = MODEL.to_dict() | {"weights": [[1.0, 2.0, 3.0]]}
    shape.write_text(__import__("json").dumps(data))
    with pytest.raises(UserError, match=r"shape.json: weights: expected 2 x 2"):
        JudgeModel.load(shape)
