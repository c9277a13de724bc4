"""Scoring a Hub id at a pinned revision, against the loopback Hub server of tests/releases.

The CLI runs in a fresh interpreter because `huggingface_hub` reads `HF_ENDPOINT` at import
time. The repo has two commits: tag v1.0.0 with the fixture release, and a newer main that drops
the validation split; scoring `--revision v1.0.0` must see the tagged content.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

from .conftest import ITEMS, write_release

HUB_SERVER = Path(__file__).resolve().parents[1] / "releases" / "hub_server.py"
CLI = "from abstain_data.cli import app; app()"


def _hub_server_module():
    spec = importlib.util.spec_from_file_location("releases_hub_server", HUB_SERVER)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve their module by name
    spec.loader.exec_module(module)
    return module


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_score_hub_id_at_revision(tmp_path: Path, model_files: dict[str, Path]) -> None:
    hub_server = _hub_server_module()
    old = _files(write_release(tmp_path / "v1"))
    new = _files(write_release(tmp_path / "v2", [row for row in ITEMS if row[1] == "test"]))
    repo = hub_server.Repo("dataset", "org/abstain")
    tagged = repo.commit("main", "v1.0.0", old)
    repo.tags["v1.0.0"] = tagged.oid
    repo.commit("main", "v1.1.0", new)
    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
    env.update({"HF_HUB_DISABLE_XET": "1", "HF_HOME": str(tmp_path / "hf"),
                "HF_HUB_DISABLE_TELEMETRY": "1"})
    with hub_server.HubServer() as hub:
        hub.state.repos["dataset", "org/abstain"] = repo
        env["HF_ENDPOINT"] = hub.url
        runs = {rev: subprocess.run(
            [sys.executable, "-c", CLI, "score", "org/abstain", "--revision", rev,
             "--responses", str(model_files["mixed"]), "--out", str(tmp_path / rev)],
            env=env, capture_output=True, text=True, timeout=300) for rev in ("v1.0.0", "main")}
        missing = subprocess.run(
            [sys.executable, "-c", CLI, "score", "org/nothing", "--revision", "v1.0.0",
             "--responses", str(model_files["mixed"])],
            env=env, capture_output=True, text=True, timeout=300)
    for done in runs.values():
        assert done.returncode == 0, done.stderr[-3000:]
    at_tag = json.loads((tmp_path / "v1.0.0" / "report.json").read_text())["models"][0]
    at_main = json.loads((tmp_path / "main" / "report.json").read_text())["models"][0]
    assert at_tag["scored"] == 11 and at_tag["problems"]["missing"] == ["a4"]
    assert at_main["scored"] == 10 and at_main["problems"]["unknown"] == ["u5", "ad-unknown"]
    assert missing.returncode == 1
    assert "error: org/nothing: not a release folder, and the Hub dataset at revision v1.0.0" \
        in missing.stderr
