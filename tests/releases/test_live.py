"""Publishing to the real Hugging Face Hub (sandbox repo). Skipped unless both HF_TOKEN and
ABSTAIN_DATA_LIVE_REPO (a dataset repo you may write to, e.g. you/abstain-sandbox) are set.

Each run publishes a fresh version (tags are never reused), loads it back by tag with
`load_dataset`, and checks that publishing the same version again is refused.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from abstain_data.releases.manifest import read_manifest
from abstain_data.releases.write import write_release

pytestmark = pytest.mark.live_hub
LIVE_REPO = os.environ.get("ABSTAIN_DATA_LIVE_REPO")
CLI = "from abstain_data.cli import app; app()"
LOADER = ("import json, sys, datasets\n"
          "ds = datasets.load_dataset(sys.argv[1], revision=sys.argv[2])\n"
          "print(json.dumps({k: v.num_rows for k, v in ds.items()}))")


@pytest.mark.skipif(not (os.environ.get("HF_TOKEN") and LIVE_REPO),
                    reason="needs HF_TOKEN and ABSTAIN_DATA_LIVE_REPO (a sandbox dataset repo)")
def test_publish_to_the_real_hub_and_load_by_tag(build_dir: Path, tmp_path: Path) -> None:
    assert LIVE_REPO is not None
    version = f"0.{uuid.uuid4().int % 10_000}.{uuid.uuid4().int % 10_000}"
    folder = write_release(version, build_dir, tmp_path / "releases", repo=LIVE_REPO)
    env = {k: v for k, v in os.environ.items() if k not in ("HF_ENDPOINT", "HF_HUB_OFFLINE")}
    env["HF_HOME"] = str(tmp_path / "hf")
    args = [sys.executable, "-c", CLI, "publish", str(folder), "--repo", LIVE_REPO]
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    assert os.environ["HF_TOKEN"] not in done.stdout + done.stderr
    loaded = subprocess.run([sys.executable, "-c", LOADER, LIVE_REPO, f"v{version}"], env=env,
                            capture_output=True, text=True, timeout=900)
    assert loaded.returncode == 0, loaded.stderr[-3000:]
    counts = json.loads(loaded.stdout.strip().splitlines()[-1])
    expected = read_manifest(folder)["configs"]["default"]
    assert counts == {s: v["num_examples"] for s, v in expected.items()}
    again = subprocess.run(args, env=env, capture_output=True, text=True, timeout=900)
    assert again.returncode == 1 and "already exists" in again.stderr
