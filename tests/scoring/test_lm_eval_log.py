"""A real lm-evaluation-harness run (its `dummy` model, no torch) of our shipped task YAML on a
local fixture release, with --log_samples; the sample log must score without conversion."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from abstain_data.items import Split
from abstain_data.releases.evalfiles import lm_eval_task
from abstain_data.scoring.judge_rules import RulesJudge
from abstain_data.scoring.release import load_release
from abstain_data.scoring.responses import read_responses
from abstain_data.scoring.score import score_model


def test_lm_eval_dummy_run_scores(release: Path, tmp_path: Path) -> None:
    task = yaml.safe_load(lm_eval_task("org/abstain", "v1.0.0", "default",
                                       [Split.VALIDATION, Split.TEST]))
    task.pop("dataset_name")
    task.update({"dataset_path": "parquet", "dataset_kwargs": {"data_files": {
        split: str(release / "data" / f"{split}-00000-of-00001.parquet")
        for split in ("validation", "test")}}})
    (tmp_path / "tasks").mkdir()
    (tmp_path / "tasks" / "abstain.yaml").write_text(yaml.safe_dump(task), encoding="utf-8")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1",
           "HF_HOME": str(tmp_path / "hf")}
    done = subprocess.run(
        [sys.executable, "-m", "lm_eval", "--model", "dummy", "--tasks", task["task"],
         "--include_path", str(tmp_path / "tasks"), "--log_samples",
         "--output_path", str(tmp_path / "out")],
        env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    [log] = (tmp_path / "out").rglob("samples_abstain_data_*.jsonl")
    read = read_responses(log)
    assert read.format == "lm_eval"
    assert read.model == log.parent.name
    items = load_release(str(release), splits=["test"])
    assert sorted(r.id for r in read.responses) == sorted(i.id for i in items)
    assert {r.choice for r in read.responses} <= {"answer", "abstain"}
    scored = score_model(items, read, RulesJudge())
    assert len(scored.scored) == 10
    assert {s.judgment.rule for s in scored.scored} == {"choice"}
