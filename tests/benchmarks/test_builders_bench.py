"""The builders benchmark's seeds: expanded by rewording into new questions, not repeats."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "builders_bench.py"


def load_bench(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201 - the script as a module
    monkeypatch.setattr(sys, "path", [str(BENCH.parent), *sys.path])  # its own imports
    spec = importlib.util.spec_from_file_location("builders_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_expansion_makes_new_questions_past_every_opening(
        monkeypatch: pytest.MonkeyPatch) -> None:
    bench = load_bench(monkeypatch)
    rows = [{"question": "Who wrote Hamlet?"}, {"question": "Where is Lima?"}]
    rounds = len(bench.OPENINGS) * len(bench.ENDINGS)
    expanded = bench.expand(rows, len(rows) * rounds)
    questions = [row["question"] for row in expanded]
    assert len(set(questions)) == len(questions)  # no repeats before every pairing is used
    assert questions[:2] == ["Who wrote Hamlet?", "Where is Lima?"]
    assert questions[2 * len(bench.OPENINGS)] == "Who wrote Hamlet? " + bench.ENDINGS[1].strip()
    assert [row["id"] for row in expanded] == [str(k) for k in range(len(expanded))]
    assert bench.expand(rows, len(questions) + 1)[-1]["question"] == questions[0]
