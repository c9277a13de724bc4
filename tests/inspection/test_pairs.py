"""`abstain-data inspect`: a builder's variants beside their parents, from a real build."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from abstain_data.build import run_build
from abstain_data.cli import app
from abstain_data.errors import UserError
from abstain_data.inspection.pairs import load_pairs, sample_pairs
from abstain_data.recipe import load_recipe


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("inspect") / "build"
    run_build(load_recipe(), out)
    return out


def test_pairs_join_variants_to_parents(build_dir):
    pairs = load_pairs(build_dir, "future_shift")
    assert pairs
    for pair in pairs:
        assert pair.parent is not None
        assert pair.variant["parent_id"] == pair.parent["id"]
        assert pair.variant["pair_id"] == pair.parent["pair_id"]
        assert pair.variant["transform"]["builder"] == "future_shift"


def test_sample_is_deterministic_and_filters_status(build_dir):
    pairs = load_pairs(build_dir, "referent_removal")
    first = sample_pairs(pairs, 5, seed=3)
    assert first == sample_pairs(pairs, 5, seed=3) and len(first) == 5
    review = sample_pairs(pairs, 100, status="needs_review")
    assert review and all(p.variant["label_status"] == "needs_review" for p in review)


def test_cli_table_shows_sampled_pairs(build_dir):
    result = CliRunner().invoke(app, ["inspect", str(build_dir), "--builder", "negation",
                                      "--sample", "4"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "negation: 4 of" in result.output
    for pair in sample_pairs(load_pairs(build_dir, "negation"), 4):
        assert pair.variant["id"] in result.output
    assert "parent" in result.output and "rationale" in result.output


def test_cli_json_lines_side_by_side(build_dir):
    result = CliRunner().invoke(app, ["inspect", str(build_dir), "--builder", "context_swap",
                                      "--sample", "3", "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) == 3
    for row in rows:
        assert row["parent_prompt"] == row["variant_prompt"] and row["context_changed"]
        assert row["category"] == "ctx.missing" and row["rationale"]


def test_cli_errors_are_one_line(build_dir, tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["inspect", str(build_dir), "--builder", "nope"])
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0 and "builders with variants" in result.output
    result = runner.invoke(app, ["inspect", str(tmp_path), "--builder", "negation"])
    assert result.exit_code == 1 and "not found" in result.output
    result = runner.invoke(app, ["inspect", str(build_dir), "--builder", "negation",
                                 "--status", "maybe"])
    assert result.exit_code == 1 and "--status" in result.output


def test_load_pairs_errors(tmp_path):
    with pytest.raises(UserError, match="not found"):
        load_pairs(tmp_path, "negation")
