"""Publishing to a loopback server that speaks the Hub's HTTP protocol.

The real CLI, `huggingface_hub` and `datasets` run unmodified in a fresh interpreter with
`HF_ENDPOINT` pointing at the loopback server (it is read at import time).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hub_server import HubServer
from release_builds import factoid_items, make_build, sample_items

from abstain_data.releases.manifest import read_manifest
from abstain_data.releases.write import write_release

REPO = "org/abstain-test"
TOKEN = "hf_loopbackSecretToken123"
CLI = "from abstain_data.cli import app; app()"
LOADER = r"""
import json, sys
import datasets
repo, tag = sys.argv[1], sys.argv[2]
out = {}
for config in ("default", "all"):
    try:
        ds = datasets.load_dataset(repo, config, revision=tag)
    except ValueError:
        continue
    out[config] = {name: sorted(split["id"]) for name, split in ds.items()}
    out[config + ":labels"] = ds["test"].features["should_abstain"].names
print(json.dumps(out))
"""


@pytest.fixture
def hub() -> Iterator[HubServer]:
    with HubServer() as server:
        yield server


def client_env(hub: HubServer, home: Path, token: str | None = TOKEN) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
    env.update({"HF_ENDPOINT": hub.url, "HF_HUB_DISABLE_XET": "1", "HF_HOME": str(home),
                "HF_HUB_DISABLE_TELEMETRY": "1", "HF_HUB_DISABLE_PROGRESS_BARS": "1"})
    if token:
        env["HF_TOKEN"] = token
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-c", CLI, *args], env=env, capture_output=True,
                          text=True, timeout=300)
    assert TOKEN not in done.stdout + done.stderr
    return done


def publish(folder: Path, env: dict[str, str], *extra: str) -> subprocess.CompletedProcess[str]:
    return run(["publish", str(folder), "--repo", REPO, *extra], env)


def load(tag: str, env: dict[str, str]) -> dict:
    done = subprocess.run([sys.executable, "-c", LOADER, REPO, tag], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def ids_by_split(folder: Path, config: str) -> dict[str, list[str]]:
    """Sorted ids per split of one config, read from the release's own shards."""
    out: dict[str, list[str]] = {}
    for split, entry in read_manifest(folder)["configs"][config].items():
        for rel in entry["files"]:
            out.setdefault(split, []).extend(pq.read_table(folder / rel).column("id").to_pylist())
    return {k: sorted(v) for k, v in out.items()}


@pytest.fixture
def two_releases(tmp_path: Path) -> tuple[Path, Path]:
    """v1.0.0 in many shards with configs default+all; v1.1.0 with other items, one shard."""
    items = sample_items()
    out = tmp_path / "releases"
    v1 = write_release("1.0.0", make_build(tmp_path / "b1", items), out, repo=REPO,
                       configs=["all"], max_shard_rows=40)
    changed = [*items[4:], *factoid_items(33)[-4:]]
    v2 = write_release("1.1.0", make_build(tmp_path / "b2", changed), out, repo=REPO)
    return v1, v2


def test_publish_two_versions_and_load_each_by_tag(hub: HubServer, two_releases: tuple[Path, Path],
                                                   tmp_path: Path) -> None:
    v1, v2 = two_releases
    env = client_env(hub, tmp_path / "hf")
    first = publish(v1, env)
    assert first.returncode == 0, first.stderr
    assert "published v1.0.0" in first.stdout and "verified by sha256" in first.stdout
    record = json.loads((v1.parent / "v1.0.0.published.json").read_text())
    assert record == {"repo": REPO, "tag": "v1.0.0", "endpoint": hub.url,
                      "commit": hub.repo(REPO).tags["v1.0.0"]}
    second = publish(v2, env)
    assert second.returncode == 0, second.stderr
    repo = hub.repo(REPO)
    assert set(repo.tags) == {"v1.0.0", "v1.1.0"}
    assert repo.tags["v1.1.0"] == repo.branches["main"]
    # v1.1.0 has one shard per split and no `all` config: v1.0.0's extra shards were removed
    head = repo.commits[repo.branches["main"]].files
    assert sorted(p for p in head if p.startswith("data/")) == sorted(
        f for s in read_manifest(v2)["configs"]["default"].values() for f in s["files"])
    loaded_v1, loaded_v2 = load("v1.0.0", env), load("v1.1.0", env)
    assert loaded_v1["default"] == ids_by_split(v1, "default")
    assert loaded_v1["all"] == ids_by_split(v1, "all")
    assert loaded_v2["default"] == ids_by_split(v2, "default")
    assert "all" not in loaded_v2
    assert loaded_v2[("default:labels")] == ["answer", "abstain"]
    commits = hub.requests("POST", "/commit/")
    assert [status for _, _, status in commits] == [200, 200]


def test_republishing_a_tag_is_refused(hub: HubServer, two_releases: tuple[Path, Path],
                                       tmp_path: Path) -> None:
    v1, _ = two_releases
    env = client_env(hub, tmp_path / "hf")
    assert publish(v1, env).returncode == 0
    head = hub.repo(REPO).branches["main"]
    again = publish(v1, env)
    assert again.returncode == 1
    assert again.stderr.strip().startswith("error: ")
    assert "tag v1.0.0 already exists" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1
    assert hub.repo(REPO).branches["main"] == head
    assert len(hub.requests("POST", "/commit/")) == 1
    hub.repo(REPO).tags["v1.0.0"] = hub.push_commit(REPO, "retag", {"x.md": b"x"})
    moved = publish(v1, env)
    assert moved.returncode == 1 and "the tag was moved" in moved.stderr


def test_a_stale_parent_commit_is_rejected(hub: HubServer, two_releases: tuple[Path, Path],
                                           tmp_path: Path) -> None:
    v1, v2 = two_releases
    env = client_env(hub, tmp_path / "hf")
    assert publish(v1, env).returncode == 0
    v1_commit = hub.repo(REPO).tags["v1.0.0"]
    hub.push_commit(REPO, "someone else", {"notes.md": b"not ours\n"})
    done = publish(v2, env, "--parent-commit", v1_commit)
    assert done.returncode == 1
    assert "refused the commit on parent" in done.stderr
    assert hub.requests("POST", "/commit/")[-1][2] == 412
    assert "v1.1.0" not in hub.repo(REPO).tags


def test_a_concurrent_commit_is_retried_on_the_new_head(hub: HubServer,
                                                        two_releases: tuple[Path, Path],
                                                        tmp_path: Path) -> None:
    v1, v2 = two_releases
    env = client_env(hub, tmp_path / "hf")
    assert publish(v1, env).returncode == 0
    hub.race_next_commit(REPO, {"notes.md": b"written meanwhile\n"})
    done = publish(v2, env)
    assert done.returncode == 0, done.stderr
    assert [s for _, _, s in hub.requests("POST", "/commit/")] == [200, 412, 200]
    repo = hub.repo(REPO)
    tagged = repo.commits[repo.tags["v1.1.0"]]
    assert tagged.files["notes.md"] == b"written meanwhile\n"  # other files are left alone
    assert tagged.files["release.json"] == (v2 / "release.json").read_bytes()


def test_rate_limits_and_server_errors_are_retried(hub: HubServer,
                                                   two_releases: tuple[Path, Path],
                                                   tmp_path: Path) -> None:
    v1, _ = two_releases
    env = client_env(hub, tmp_path / "hf")
    hub.fail_next("POST", "/commit/", 503)
    hub.fail_next("POST", "/tag/", 429, headers={"Retry-After": "0"})
    done = publish(v1, env)
    assert done.returncode == 0, done.stderr
    assert [s for _, _, s in hub.requests("POST", "/commit/")] == [503, 200]
    assert [s for _, _, s in hub.requests("POST", "/tag/")] == [429, 200]
    assert "v1.0.0" in hub.repo(REPO).tags


def test_a_persistent_client_error_fails_in_one_line(hub: HubServer,
                                                     two_releases: tuple[Path, Path],
                                                     tmp_path: Path) -> None:
    v1, _ = two_releases
    hub.fail_next("POST", "/api/repos/create", 403, times=10)
    done = publish(v1, client_env(hub, tmp_path / "hf"))
    assert done.returncode == 1
    assert done.stderr.startswith("error: create repo: HTTP 403")
    assert len(done.stderr.strip().splitlines()) == 1


def test_dry_run_lists_files_and_touches_nothing(hub: HubServer, two_releases: tuple[Path, Path],
                                                 tmp_path: Path) -> None:
    v1, _ = two_releases
    done = publish(v1, client_env(hub, tmp_path / "hf"), "--dry-run")
    assert done.returncode == 0, done.stderr
    manifest = read_manifest(v1)
    for path in [*manifest["files"], "release.json"]:
        assert path in done.stdout
    assert f"would upload {len(manifest['files']) + 1} files" in done.stdout
    assert hub.requests() == []


def test_refusals_before_any_upload(hub: HubServer, two_releases: tuple[Path, Path],
                                    tmp_path: Path) -> None:
    v1, _ = two_releases
    no_token = publish(v1, client_env(hub, tmp_path / "empty", token=None))
    assert no_token.returncode == 1 and "no Hugging Face token" in no_token.stderr
    env = client_env(hub, tmp_path / "hf")
    offline = publish(v1, {**env, "HF_HUB_OFFLINE": "1"})
    assert offline.returncode == 1 and "HF_HUB_OFFLINE is set" in offline.stderr
    other = run(["publish", str(v1), "--repo", "org/other"], env)
    assert other.returncode == 1 and "was made for repo 'org/abstain-test'" in other.stderr
    (v1 / "CHANGELOG.md").write_text("edited after the release\n")
    edited = publish(v1, env)
    assert edited.returncode == 1 and "CHANGELOG.md: sha256" in edited.stderr
    assert hub.requests() == []
