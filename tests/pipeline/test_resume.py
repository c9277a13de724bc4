"""Resume: an unchanged rerun reuses every step and writes the same build; an edit to a builder's
code, a bait lexicon or the tagger's lexicons rebuilds that step and those after it, nothing
before; a build killed with SIGKILL and rerun equals a clean build.

Every build runs the real CLI in a subprocess whose PYTHONPATH points at a copy of the package,
so that editing the copy edits the code and data the build runs on.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import abstain_data

PACKAGE = Path(abstain_data.__file__).resolve().parent
BUILD_FILES = ("items.parquet", "ledger.parquet", "rejects.jsonl", "review_queue.jsonl",
               "build.json", "stats.json")


def copy_package(root: Path) -> Path:
    """A copy of abstain_data under `root` (to put on PYTHONPATH); returns the package folder."""
    shutil.copytree(PACKAGE, root / "abstain_data",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return root / "abstain_data"


def run_python(root: Path, *args: str) -> subprocess.CompletedProcess:
    """Python with the package copy under `root` first on the path (PYTHONPATH and cwd)."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([sys.executable, *args], env=env, cwd=root,
                          capture_output=True, text=True, timeout=900, check=False)


def build(root: Path, *args: str) -> Path:
    """Build the recipe (default: the embedded one) into root/build, caching in
    root/.abstain-cache/build (the CLI's cache beside the build folder)."""
    out = root / "build"
    done = run_python(root, "-m", "abstain_data", "build", *args, "--out", str(out))
    assert done.returncode == 0, done.stderr
    return out


def cached_steps(out: Path) -> list[tuple[str, bool]]:
    """(step, came from the cache) of the latest build into `out`, from the run facts the
    build keeps in its cache folder (they are not part of the build folder)."""
    run = json.loads((out.parent / ".abstain-cache" / out.name / "last-run.json")
                     .read_text(encoding="utf-8"))
    return [(step["name"], step["cached"]) for step in run["steps"]]


def snapshot(out: Path) -> dict[str, bytes]:
    """The bytes of every file of the build folder."""
    files = {path.name: path.read_bytes() for path in sorted(out.iterdir())}
    assert set(BUILD_FILES) <= set(files), sorted(files)
    return files


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> Path:
    """A package copy, its fresh build of the default recipe and its filled cache."""
    root = tmp_path_factory.mktemp("baseline")
    copy_package(root)
    where = run_python(root, "-c", "import abstain_data; print(abstain_data.__file__)")
    assert where.stdout.strip() == str(root / "abstain_data" / "__init__.py")
    out = build(root)
    assert not any(cached for _, cached in cached_steps(out))
    return root


@pytest.fixture
def workspace(baseline: Path, tmp_path: Path) -> Path:
    """A private copy of the baseline (package, build folder and cache) to edit."""
    for name in ("abstain_data", "build", ".abstain-cache"):
        shutil.copytree(baseline / name, tmp_path / name)
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def assert_rebuilt_from(before: dict[str, bytes], out: Path, first_changed: str) -> None:
    """Every step before `first_changed` came from the cache, it and every later step ran,
    and the build changed."""
    steps = cached_steps(out)
    names = [name for name, _ in steps]
    k = names.index(first_changed)
    assert steps == [(name, i < k) for i, name in enumerate(names)]
    assert snapshot(out)["items.parquet"] != before["items.parquet"]


def test_unchanged_rerun_reuses_every_step_and_writes_the_same_build(baseline):
    before = snapshot(baseline / "build")
    out = build(baseline)
    assert all(cached for _, cached in cached_steps(out)) and cached_steps(out)
    assert snapshot(out) == before


def test_editing_a_builders_code_rebuilds_it_and_what_follows(workspace):
    before = snapshot(workspace / "build")
    edit(workspace / "abstain_data" / "builders" / "negation.py",
         "where the passage only supports", "whereas the passage supports only")
    assert_rebuilt_from(before, build(workspace), "negation")


def test_editing_a_bait_lexicon_rebuilds_its_family_and_what_follows(workspace):
    before = snapshot(workspace / "build")
    edit(workspace / "abstain_data" / "builders" / "bait" / "lexicons" / "definition.json",
         '"confidence": 0.95', '"confidence": 0.94')
    assert_rebuilt_from(before, build(workspace), "bait_definition")


def test_editing_the_tagger_lexicons_rebuilds_every_step(workspace):
    # the demo corpus states its domains; without them the tagger's lexicons decide
    recipes = workspace / "abstain_data" / "recipes"
    recipe = recipes / "untagged.toml"
    recipe.write_text((recipes / "default.toml").read_text(encoding="utf-8")
                      .replace('domain = "domain"\n', ""), encoding="utf-8")
    before = snapshot(build(workspace, str(recipe)))
    edit(workspace / "abstain_data" / "tagging" / "lexicons.toml",
         'science = [\n', 'science = [\n  "what",\n')
    assert_rebuilt_from(before, build(workspace, str(recipe)), "tag")


CORPORA_RECIPE = """
seed = 5
batch_size = 128
[[sources]]
name = "selfaware"
adapter = "selfaware"
path = "{corpora}/selfaware"
limit = 400
[[sources]]
name = "xstest"
adapter = "xstest"
path = "{corpora}/xstest"
[[sources]]
name = "falseqa"
adapter = "falseqa"
path = "{corpora}/falseqa"
limit = 400
[[sources]]
name = "coconot"
adapter = "coconot"
path = "{corpora}/coconot"
limit = 400
[[builders]]
name = "future_shift"
[[builders]]
name = "premise_corruption"
[[builders]]
name = "fabricated_entity"
[[builders]]
name = "referent_removal"
[[builders]]
name = "bait_homonym"
[builders.params]
count = 10
"""


def test_a_build_killed_midway_and_rerun_equals_a_clean_build(corpora, tmp_path):
    root = tmp_path / "killed"
    root.mkdir()
    copy_package(root)
    recipe = root / "corpora.toml"
    recipe.write_text(CORPORA_RECIPE.format(corpora=corpora), encoding="utf-8")
    cache = root / ".abstain-cache" / "build"
    env = {**os.environ, "PYTHONPATH": str(root)}
    process = subprocess.Popen(
        [sys.executable, "-m", "abstain_data", "build", str(recipe), "--out", str(root / "build")],
        env=env, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # kill it once two steps are cached: the tagger and the first builder are done
        while process.poll() is None and len(list(cache.glob("*.pickle"))) < 2:
            time.sleep(0.02)
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL, "the build finished before it was killed"
    assert not (root / "build").exists()

    resumed = build(root, str(recipe))
    steps = cached_steps(resumed)
    assert steps[0] == ("tag", True) and not all(cached for _, cached in steps)

    clean_root = tmp_path / "clean"
    clean_root.mkdir()
    shutil.copytree(root / "abstain_data", clean_root / "abstain_data")
    shutil.copy(recipe, clean_root / "corpora.toml")
    clean = build(clean_root, str(clean_root / "corpora.toml"), "--no-cache")
    resumed_files, clean_files = snapshot(resumed), snapshot(clean)
    manifests = [json.loads(f.pop("build.json")) for f in (resumed_files, clean_files)]
    assert resumed_files == clean_files
    for manifest in manifests:  # the recipe path is the one difference the two folders may have
        manifest.pop("recipe_path")
    assert manifests[0] == manifests[1]
