"""The evaluation files shipped in a release work with lm-evaluation-harness and inspect_ai.

Both run in a fresh interpreter, offline (HF_HUB_OFFLINE=1), against a local copy of the
release. lm-eval: `lm-eval validate` finds the tasks, and the task built from the YAML renders
prompts and targets from the release rows. inspect_ai: the task loads the split and scores a
mock model end to end; inspect counts tokens with tiktoken, whose encoding file it would download,
so the script swaps in a whitespace token counter (the documented override point).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from abstain_data.releases.write import write_release

LM_EVAL_TASK = r"""
import json, sys
from lm_eval.tasks import TaskManager, get_task_dict
task = get_task_dict(["abstain_data"], TaskManager(include_path=sys.argv[1]))["abstain_data"]
docs = list(task.test_docs())
rows = [{"text": task.doc_to_text(d), "choices": task.doc_to_choice(d),
         "target": task.doc_to_target(d), "should_abstain": d["should_abstain"],
         "prompt": d["prompt"], "context": d["context"]} for d in docs]
print(json.dumps(rows))
"""

INSPECT_RUN = r"""
import importlib.util, json, sys
import inspect_ai.model._model as model_module
from inspect_ai import eval as inspect_eval
from inspect_ai.model import ModelOutput, get_model
model_module.count_text_tokens = lambda text: max(1, len(text.split()))
folder, logs_dir, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
spec = importlib.util.spec_from_file_location("inspect_task", folder + "/eval/inspect_task.py")
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
task = module.abstain(path=folder, split="test")
samples = list(task.dataset)
always_abstain = [ModelOutput.from_content("mockllm/model", "ANSWER: B") for _ in range(n)]
log = inspect_eval(task, model=get_model("mockllm/model", custom_outputs=always_abstain),
                   limit=n, log_dir=logs_dir, display="none")[0]
result = {"status": log.status, "samples": len(samples),
          "accuracy": log.results.scores[0].metrics["accuracy"].value,
          "abstain_share": sum(s.target == "B" for s in samples[:n]) / n,
          "first": {"target": samples[0].target, "metadata": samples[0].metadata}}
with open(logs_dir + "/result.json", "w") as fh:
    json.dump(result, fh)
"""


def offline_env(home: Path) -> dict[str, str]:
    return {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "HF_HOME": str(home),
            "INSPECT_LOG_DIR": str(home / "logs")}


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    return done


@pytest.fixture
def local_release(build_dir: Path, tmp_path: Path) -> Path:
    return write_release("1.0.0", build_dir, tmp_path / "releases", repo="org/abstain-test")


def test_lm_eval_task_validates_and_renders_release_rows(local_release: Path,
                                                         tmp_path: Path) -> None:
    pytest.importorskip("lm_eval")
    shipped = local_release / "eval" / "lm_eval"
    config = yaml.safe_load((shipped / "abstain.yaml").read_text("utf-8"))
    assert config["dataset_path"] == "org/abstain-test"
    assert config["dataset_kwargs"] == {"revision": "v1.0.0"}
    env = offline_env(tmp_path / "hf")
    cli = Path(sys.executable).with_name("lm-eval")
    done = run([str(cli), "validate", "--tasks", "abstain_data", "--include_path", str(shipped)],
               env)
    assert "All tasks found and valid" in done.stdout + done.stderr
    local = tmp_path / "tasks"
    local.mkdir()
    (local / "abstain.yaml").write_text(
        yaml.safe_dump({**config, "dataset_path": str(local_release)}), "utf-8")
    rows = json.loads(run([sys.executable, "-c", LM_EVAL_TASK, str(local)], env)
                      .stdout.strip().splitlines()[-1])
    assert rows
    for row in rows:
        assert row["choices"] == ["answer", "abstain"]
        assert row["target"] == row["should_abstain"]
        assert row["prompt"] in row["text"]
        assert (f"Passage: {row['context']}" in row["text"]) == bool(row["context"])


def test_inspect_task_loads_the_release_and_scores_a_mock_model(local_release: Path,
                                                                tmp_path: Path) -> None:
    pytest.importorskip("inspect_ai")
    logs = tmp_path / "logs"
    logs.mkdir()
    run([sys.executable, "-c", INSPECT_RUN, str(local_release), str(logs), "8"],
        offline_env(tmp_path / "hf"))
    result = json.loads((logs / "result.json").read_text())
    tests = json.loads((local_release / "release.json").read_text())["configs"]["default"]
    assert result["status"] == "success"
    assert result["samples"] == tests["test"]["num_examples"]
    assert result["accuracy"] == pytest.approx(result["abstain_share"])
    assert 0 < result["abstain_share"] < 1
    first = result["first"]
    assert first["metadata"]["target"] == ("abstain" if first["target"] == "B" else "answer")
    assert first["metadata"]["complexity"] in ("templated", "open_ended")
