"""`abstain-data release` and `diff` on a real build of the embedded default recipe."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from abstain_data import buildfolder
from abstain_data.cli import app
from abstain_data.releases.manifest import read_manifest
from abstain_data.releases.plan import RELEASABLE
from abstain_data.releases.splits import group_items

runner = CliRunner()
# a category spread over at least this many groups and items must reach every split
MIN_GROUPS, MIN_ITEMS = 8, 30


@pytest.fixture(scope="module")
def default_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("default") / "build"
    result = runner.invoke(app, ["build", "--out", str(out), "--no-cache"])
    assert result.exit_code == 0, result.output
    return out


def rows(folder: Path, config: str = "default") -> list[dict]:
    manifest = read_manifest(folder)
    out = []
    for split, entry in manifest["configs"][config].items():
        for rel in entry["files"]:
            out += [{**r, "split": split} for r in pq.read_table(folder / rel).to_pylist()]
    return out


def test_release_of_the_default_build(default_build: Path, tmp_path: Path) -> None:
    out = tmp_path / "releases"
    result = runner.invoke(app, ["release", "1.0.0", "--build", str(default_build),
                                 "--out", str(out), "--config", "all"])
    assert result.exit_code == 0, result.output
    assert f"release v1.0.0 written to {out / 'v1.0.0'}" in result.output
    assert "config default: train" in result.output
    released = rows(out / "v1.0.0")
    items = buildfolder.read_items(default_build / buildfolder.ITEMS)
    releasable = [it for it in items if it.label_status in RELEASABLE]
    assert sorted(r["id"] for r in released) == sorted(it.id for it in releasable)
    sizes = Counter(r["split"] for r in released)
    assert sizes["train"] / len(released) == pytest.approx(0.7, abs=0.05)
    assert sizes["validation"] / len(released) == pytest.approx(0.1, abs=0.03)
    assert sizes["test"] / len(released) == pytest.approx(0.2, abs=0.04)
    split_of = {r["id"]: r["split"] for r in released}
    groups = group_items(releasable)
    assert all(len({split_of[it.id] for it in g}) == 1 for g in groups)
    groups_with = Counter(c for g in groups for c in {it.category.value for it in g})
    per = Counter((it.category.value, split_of[it.id]) for it in releasable)
    totals = Counter(it.category.value for it in releasable)
    for category, n in groups_with.items():
        if n >= MIN_GROUPS and totals[category] >= MIN_ITEMS:
            assert all(per[category, s] for s in ("train", "validation", "test")), category


def test_release_errors_are_one_line(default_build: Path, tmp_path: Path) -> None:
    out = tmp_path / "releases"
    args = ["release", "2.0.0", "--build", str(default_build), "--out", str(out)]
    assert runner.invoke(app, args).exit_code == 0
    for version, needle in (("2.0.0", "already exists"), ("1.9.9", "not greater than")):
        args[1] = version
        again = runner.invoke(app, args)
        assert again.exit_code == 1
        assert again.output.startswith("error: ") and needle in again.output
        assert len(again.output.strip().splitlines()) == 1
        assert "Traceback" not in again.output


def test_diff_between_two_releases(default_build: Path, tmp_path: Path) -> None:
    out = tmp_path / "releases"
    base = ["--build", str(default_build), "--out", str(out)]
    assert runner.invoke(app, ["release", "1.0.0", *base]).exit_code == 0
    smaller = tmp_path / "smaller"
    shutil.copytree(default_build, smaller)
    items = buildfolder.read_items(smaller / buildfolder.ITEMS)
    dropped = next(it for it in items if it.label_status in RELEASABLE and it.parent_id)
    buildfolder.write_items(smaller / buildfolder.ITEMS, [it for it in items if it is not dropped])
    result = runner.invoke(app, ["release", "1.1.0", "--build", str(smaller), "--out", str(out)])
    assert result.exit_code == 0, result.output
    shown = runner.invoke(app, ["diff", str(out / "v1.0.0"), str(out / "v1.1.0")])
    assert shown.exit_code == 0, shown.output
    assert "0 added, 1 removed, 0 relabelled (v1.0.0 -> v1.1.0)" in shown.output
    assert dropped.id in shown.output
    old, new = rows(out / "v1.0.0"), rows(out / "v1.1.0")
    assert {r["id"]: r["split"] for r in old if r["id"] != dropped.id} == \
        {r["id"]: r["split"] for r in new}
    assert f"| `{dropped.category.value}` |" in shown.output
    missing = runner.invoke(app, ["diff", str(out / "v1.0.0"), str(tmp_path / "nothing")])
    assert missing.exit_code == 1 and "no data/*.parquet shards" in missing.output


def test_writing_a_release_does_not_load_the_label_studio_sdk(build_dir: Path,
                                                              tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "abstain_data", "release", "1.0.0",
         "--build", str(build_dir), "--out", str(tmp_path / "releases")],
        capture_output=True, text=True, env=env, check=False)
    imported = {line.rsplit("|", 1)[-1].strip().split(".")[0]
                for line in result.stderr.splitlines() if line.startswith("import time:")}

    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "releases" / "v1.0.0" / "release.json").is_file()
    assert "datasets" in imported  # the release really ran
    assert "label_studio_sdk" not in imported
    assert "spacy" not in imported
