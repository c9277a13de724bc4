"""`abstain-data score` end to end: several models side by side, outputs, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

from chat_server import ChatServer
from typer.testing import CliRunner

from abstain_data.cli import app

runner = CliRunner()


def test_score_three_models(release: Path, model_files: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["score", str(release), "--out", str(out)]
    for path in model_files.values():
        args += ["--responses", str(path)]
    result = runner.invoke(app, args, terminal_width=240)
    assert result.exit_code == 0, result.output
    assert "always-answer" in result.output and "mixed" in result.output
    assert "Failure signature" in result.output
    report = json.loads((out / "report.json").read_text())
    assert report["judge"] == "learned" and report["partial_counts_as"] == "abstain"
    mixed = report["models"][2]["metrics"]
    assert mixed["f1"]["value"] == 0.6
    assert (out / "signature.png").stat().st_size > 0
    judgments = [json.loads(line) for line in (out / "judgments.jsonl").read_text().splitlines()]
    assert len(judgments) == 35
    refused = next(j for j in judgments if j["model"] == "always-refuse" and j["id"] == "a1")
    assert refused["rule"] == "learned.refusal"
    assert refused["why"].startswith("refusal p=") and "decline.cannot@opening" in refused["why"]


def test_split_and_partial_flag(release: Path, model_files: dict[str, Path],
                                tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["score", str(release), "--responses",
                                 str(model_files["mixed"]), "--split", "test", "--judge",
                                 "rules", "--partial-as", "answer", "--out", str(out)])
    assert result.exit_code == 0, result.output
    model = json.loads((out / "report.json").read_text())["models"][0]
    # validation items a4 (missing anyway) and u5 are not in the test split: u5 becomes unknown
    assert model["problems"] == {"unknown": ["u5", "ad-unknown"], "missing": [], "empty": ["u4"]}
    # the rules judge calls b3 (declines, then answers) partial, which now counts as answering
    assert model["metrics"]["over_abstention"]["bait.medical_info"]["value"] == 0.0


def test_llm_judge_option(release: Path, model_files: dict[str, Path], tmp_path: Path) -> None:
    with ChatServer() as server:
        result = runner.invoke(app, ["score", str(release), "--responses",
                                     str(model_files["always-refuse"]), "--judge", "llm",
                                     "--judge-url", server.url, "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in (tmp_path / "judgments.jsonl").read_text().splitlines()]
    assert {(j["verdict"], j["rule"]) for j in lines} == {("abstain", "llm:judge")}


def _error(args: list[str]) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and "Traceback" not in result.stderr, result.stderr
    return errors[0]


def test_errors_are_one_line(release: Path, model_files: dict[str, Path],
                             tmp_path: Path) -> None:
    mixed = str(model_files["mixed"])
    assert "needs --judge-url" in _error(["score", str(release), "--responses", mixed,
                                          "--judge", "llm"])
    assert "appears in more than one file" in _error(
        ["score", str(release), "--responses", mixed, "--responses", mixed])
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a1"}\n')
    assert "bad.jsonl:1: response: missing" in _error(
        ["score", str(release), "--responses", str(bad)])
    assert "not a release folder" in _error(
        ["score", str(tmp_path), "--responses", mixed])
