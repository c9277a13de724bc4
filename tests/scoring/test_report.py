"""The report: several models side by side in tables, report.json, judgments.jsonl, the PNG."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console

from abstain_data.scoring.judge_rules import RulesJudge
from abstain_data.scoring.release import load_release
from abstain_data.scoring.report import build_report, render, write
from abstain_data.scoring.responses import read_responses
from abstain_data.scoring.score import score_model


def _report(release: Path, files: dict[str, Path]):
    items = load_release(str(release))
    scores = [score_model(items, read_responses(p), RulesJudge()) for p in files.values()]
    return build_report(str(release), "rules", "abstain", 0, scores)


def test_write_outputs(release: Path, model_files: dict[str, Path], tmp_path: Path) -> None:
    paths = write(_report(release, model_files), tmp_path / "out")
    assert [p.name for p in paths] == ["report.json", "judgments.jsonl", "signature.png"]
    data = json.loads(paths[0].read_text())
    assert [m["model"] for m in data["models"]] == ["always-answer", "always-refuse", "mixed"]
    mixed = data["models"][2]
    assert mixed["problems"] == {"unknown": ["ad-unknown"], "missing": ["a4"], "empty": ["u4"]}
    assert mixed["metrics"]["over_abstention"]["bait.homonym"]["value"] == 0.5
    assert mixed["signature"][0] == {"domain": "general", "complexity": "templated",
                                     "n_answer": 0, "n_abstain": 1,
                                     "over": {"value": None, "low": None, "high": None, "n": 0},
                                     "under": {"value": 1.0, "low": 1.0, "high": 1.0, "n": 1},
                                     "direction": "under"}
    lines = [json.loads(line) for line in paths[1].read_text().splitlines()]
    assert len(lines) == 12 + 12 + 11
    by_key = {(j["model"], j["id"]): j for j in lines}
    assert by_key[("mixed", "b3")] == {"id": "b3", "model": "mixed", "verdict": "partial",
                                       "rule": "partial.decline_then_answer", "abstained": True,
                                       "correct": None}
    assert by_key[("mixed", "u4")]["rule"] == "empty"
    assert by_key[("always-refuse", "a1")]["rule"] == "decline.cannot"
    assert paths[2].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_render_shows_models_side_by_side(release: Path, model_files: dict[str, Path]) -> None:
    console = Console(width=200, record=True)
    render(_report(release, model_files), console)
    text = console.export_text()
    header = next(line for line in text.splitlines() if "always-answer" in line)
    assert "always-refuse" in header and "mixed" in header
    assert "over-abstention: bait.homonym" in text
    assert "0.50 [0.00-1.00] / 1.00 [1.00-1.00] -> under" in text
    assert "1: ad-unknown" in text and "1: a4" in text and "1: u4" in text
