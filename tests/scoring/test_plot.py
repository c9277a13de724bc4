"""The signature PNG: one panel per model, so its width grows with the number of models."""

from __future__ import annotations

import struct
from pathlib import Path

from abstain_data.scoring.plot import plot_signatures
from abstain_data.scoring.signature import Cell

CELLS = [
    Cell("medical", "templated", 4, 4, 0.5, 0.25, "over"),
    Cell("medical", "open_ended", 4, 4, 0.75, 0.0, "over"),
    Cell("history", "templated", 0, 3, None, 1.0, "under"),
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
