"""Releases load with `datasets.load_dataset`, offline, per config, per split and streaming.

`HF_HUB_OFFLINE` is read when datasets/huggingface_hub are imported, so the loading runs in a
fresh interpreter with the variable set, exactly as an evaluator's offline job would.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from datasets import Dataset

from abstain_data.releases.manifest import read_manifest
from abstain_data.releases.write import write_release

LOADER = r"""
import json, sys
import datasets
from datasets.exceptions import NonMatchingSplitsSizesError
folder, mode = sys.argv[1], sys.argv[2]
out = {}
if mode == "tampered":
    try:
        datasets.load_dataset(folder)
        out["error"] = None
    except NonMatchingSplitsSizesError as exc:
        out["error"] = type(exc).__name__
else:
    for config in ("default", "all"):
        ds = datasets.load_dataset(folder, config)
        out[config] = {name: split.num_rows for name, split in ds.items()}
        out[config + ":labels"] = ds["train"].features["should_abstain"].names
        out[config + ":category"] = type(ds["train"].features["category"]).__name__
        out[config + ":test"] = datasets.load_dataset(folder, config, split="test").num_rows
        stream = datasets.load_dataset(folder, config, split="validation", streaming=True)
        rows = list(stream)
        out[config + ":stream"] = len(rows)
        out[config + ":stream_features"] = type(stream.features["should_abstain"]).__name__
        out[config + ":first_target"] = [rows[0]["should_abstain"], rows[0]["target"]]
print(json.dumps(out))
"""


def load_offline(folder: Path, mode: str, home: Path) -> dict:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "HF_HOME": str(home),
           "HF_ENDPOINT": "http://127.0.0.1:9"}  # nothing listens: any network use would fail
    done = subprocess.run([sys.executable, "-c", LOADER, str(folder), mode], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_load_dataset_offline_per_config_split_and_streaming(build_dir: Path,
                                                            tmp_path: Path) -> None:
    folder = write_release("1.0.0", build_dir, tmp_path / "releases", repo="o/n",
                           configs=["all"])
    manifest = read_manifest(folder)
    got = load_offline(folder, "load", tmp_path / "hf")
    for config in ("default", "all"):
        expected = {s: v["num_examples"] for s, v in manifest["configs"][config].items()}
        assert got[config] == expected
        assert got[config + ":labels"] == ["answer", "abstain"]
        assert got[config + ":category"] == "ClassLabel"
        assert got[config + ":test"] == expected["test"]
        assert got[config + ":stream"] == expected["validation"]
        assert got[config + ":stream_features"] == "ClassLabel"
        label, target = got[config + ":first_target"]
        assert target == ["answer", "abstain"][label]
    assert got["all"]["train"] > got["default"]["train"]


def test_a_tampered_shard_fails_the_split_size_check(build_dir: Path, tmp_path: Path) -> None:
    folder = write_release("1.0.0", build_dir, tmp_path / "releases", repo="o/n")
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    shard = copy / "data" / "test-00000-of-00001.parquet"
    rows = Dataset.from_parquet(str(shard))
    rows.select(range(len(rows) - 1)).to_parquet(str(shard))
    assert load_offline(copy, "tampered", tmp_path / "hf")["error"] == \
        "NonMatchingSplitsSizesError"
    assert load_offline(folder, "tampered", tmp_path / "hf2")["error"] is None
