"""The Ray executor on a local 2-CPU Ray: byte-identical build folders to the local executor
(the default recipe and a small real-corpora recipe), batch-local steps really run on Ray
workers, and bad executor options fail in one line."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from abstain_data.build import run_build
from abstain_data.cli import app
from abstain_data.items import Category, Item, Source
from abstain_data.pipeline.runner import Runner
from abstain_data.pipeline.step import Batch, BatchStep, BuildContext
from abstain_data.recipe import load_recipe
from abstain_data.sources.base import RowError, SourceAdapter, SourceSpec

ray = pytest.importorskip("ray")

from abstain_data.pipeline.ray_executor import RayExecutor  # noqa: E402 (needs ray)

SMALL_CORPORA_RECIPE = """\
name = "ray-vs-local"
seed = 13
spacy_model = "en_core_web_sm"
reference_year = 2026
batch_size = 64

[[sources]]
name = "selfaware"
adapter = "selfaware"
path = "{corpora}/selfaware"
limit = 300

[[sources]]
name = "unanswgen"
adapter = "unanswgen"
path = "{corpora}/unanswgen"
limit = 150

[[sources]]
name = "xstest"
adapter = "xstest"
path = "{corpora}/xstest"
limit = 150

[[builders]]
name = "context_swap"

[[builders]]
name = "negation"

[[builders]]
name = "fabricated_entity"

[[builders]]
name = "bait_homonym"

[cue_filter]  # targets low enough that this small build loses items to it
enabled = true
max_auc = 0.52
max_builder_auc = 0.52
max_share = 0.4
include_sources = true
"""


@pytest.fixture(scope="module")
def local_ray():
    """One local Ray with 2 CPUs for the module, shut down at its end."""
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def counts(stats: dict[str, Any]) -> Any:
    """stats.json without its timings (the only part that may differ between executors)."""
    if isinstance(stats, dict):
        return {k: counts(v) for k, v in stats.items() if k != "seconds"}
    if isinstance(stats, list):
        return [counts(v) for v in stats]
    return stats


def assert_same_build(local: Path, on_ray: Path) -> None:
    for name in ("items.parquet", "ledger.parquet", "rejects.jsonl", "review_queue.jsonl"):
        assert (local / name).read_bytes() == (on_ray / name).read_bytes(), name
    local_stats = json.loads((local / "stats.json").read_text("utf-8"))
    ray_stats = json.loads((on_ray / "stats.json").read_text("utf-8"))
    assert counts(local_stats) == counts(ray_stats)


def test_default_recipe_is_byte_identical_on_ray(local_ray, tmp_path):
    recipe = load_recipe()
    local = run_build(recipe, tmp_path / "local").out
    on_ray = run_build(recipe, tmp_path / "ray", executor="ray").out
    assert_same_build(local, on_ray)
    stats = json.loads((on_ray / "stats.json").read_text("utf-8"))
    assert stats["totals"]["items"] > 1000
    assert stats["ledger"]["fates"]["rejected"] > 0  # the fates crossed Ray and back


def test_real_corpora_recipe_is_byte_identical_on_ray(local_ray, corpora, tmp_path):
    path = tmp_path / "recipe.toml"
    path.write_text(SMALL_CORPORA_RECIPE.format(corpora=corpora.as_posix()), "utf-8")
    recipe = load_recipe(path)
    local = run_build(recipe, tmp_path / "local", workers=2).out
    on_ray = run_build(recipe, tmp_path / "ray", executor="ray").out
    assert_same_build(local, on_ray)
    stats = json.loads((on_ray / "stats.json").read_text("utf-8"))
    assert stats["totals"]["by_builder"].get("context_swap", 0) > 0
    cue_filter = next(step for step in stats["steps"] if step["name"] == "cue_filter")
    assert cue_filter["counters"]["rejected:cue_extreme"] > 0  # the whole-stream step ran too
    assert set(stats["totals"]["by_source"]) >= {"selfaware", "unanswgen", "xstest"}


class Prompts(SourceAdapter):
    """A source over a list of prompts."""

    name = "prompts"

    def __init__(self, prompts: list[str]) -> None:
        super().__init__(SourceSpec(name="prompts", adapter="prompts", license="cc0-1.0"))
        self.prompts = prompts

    def rows(self) -> Any:
        for prompt in self.prompts:
            yield Item(prompt=prompt, should_abstain=False, category=Category.ANSWERABLE,
                       source=Source(dataset="prompts", license="cc0-1.0"),
                       reference_answers=["x"])
        yield RowError("prompts.jsonl", len(self.prompts) + 1, "prompt", "missing")


class CountProcess(BatchStep):
    """Counts, per batch, the process that ran it; rejects prompts ending in '7?'."""

    name = "count_process"

    def process(self, batch: Batch) -> Batch:
        batch.count(f"pid:{os.getpid()}")
        kept = []
        for item in batch.items:
            if item.prompt.endswith("7?"):
                batch.reject(item, self.name, "seven")
            else:
                kept.append(item)
        batch.items = kept
        return batch


def test_batch_steps_run_on_ray_workers_in_order(local_ray):
    # Ray workers cannot import this test module: ship CountProcess by value
    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
    prompts = [f"What is item number {n}?" for n in range(200)]
    steps = [CountProcess(BuildContext())]
    local = Runner(batch_size=16, on_error="skip").run([Prompts(prompts)], steps)
    on_ray = Runner(batch_size=16, on_error="skip", executor=RayExecutor()).run(
        [Prompts(prompts)], steps)
    assert [i.record for i in on_ray.items] == [i.record for i in local.items]
    assert [f.to_row() for f in on_ray.ledger.fates] == [f.to_row() for f in local.ledger.fates]
    assert on_ray.steps[0].fates == local.steps[0].fates == {"rejected:seven": 20}
    pids = {key for key in on_ray.steps[0].counters if key.startswith("pid:")}
    assert f"pid:{os.getpid()}" not in pids
    assert sum(on_ray.steps[0].counters[key] for key in pids) == 13  # one per batch


@pytest.mark.parametrize(("args", "message"), [
    (["--executor", "spark"], "--executor: expected 'local' or 'ray'"),
    (["--address", "ray://127.0.0.1:1"], "--address needs 'ray'"),
])
def test_bad_executor_options_fail_in_one_line(args, message, tmp_path):
    result = CliRunner().invoke(app, ["build", "--out", str(tmp_path / "b"), *args])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
