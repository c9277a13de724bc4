"""The signature PNG: one panel per model, so its width grows with the number of models."""

from __future__ import annotations

import struct
from pathlib import Path

from abstain_data.scoring.metrics import Estimate
from abstain_data.scoring.plot import plot_signatures
from abstain_data.scoring.signature import Cell

CELLS = [
    Cell("medical", "templated", 4, 4, Estimate(0.5, 0.0, 1.0, 4), Estimate(0.25, 0.0, 0.75, 4),
         "over"),
    Cell("medical", "open_ended", 4, 4, Estimate(0.75, 0.25, 1.0, 4), Estimate(0.0, 0.0, 0.0, 4),
         "over"),
    Cell("history", "templated", 0, 3, Estimate(None, None, None, 0), Estimate(1.0, 1.0, 1.0, 3),
         "under"),
]


def _size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_one_panel_per_model(tmp_path: Path) -> None:
    one = _size(plot_signatures({"a": CELLS}, tmp_path / "one.png"))
    two = _size(plot_signatures({"a": CELLS, "b": CELLS[:1]}, tmp_path / "two.png"))
    assert two[1] == one[1]
    assert 1.8 < two[0] / one[0] < 2.2
