"""Publish a release folder to the Hugging Face Hub: one atomic commit, an immutable tag, and a
read-back check of every file against release.json.

`publish_release` consumes a release folder and a dataset repo id and produces a
`PublishResult` (commit sha, tag, verified file count). The commit names its `parent_commit`
(the branch head it was computed against, including the deletions of files an earlier release
had and this one has not), so a concurrent writer makes the Hub refuse it instead of mixing
two releases; the commit is then recomputed on the new head and retried. 429 and 5xx answers
and dropped connections are retried with exponential backoff (Retry-After honoured). An
existing tag is refused. The tagged commit sha is recorded beside the release folder, because a
Hub tag can be deleted and recreated. The token comes from HF_TOKEN or the login cache and is
never shown.
The Hub endpoint is `HF_ENDPOINT` as read when huggingface_hub is imported.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import httpx2
from huggingface_hub import (
    CommitOperationAdd,
    CommitOperationDelete,
    HfApi,
    constants,
    get_token,
    snapshot_download,
)
from huggingface_hub.errors import HfHubHTTPError

from abstain_data.errors import UserError
from abstain_data.releases.manifest import MANIFEST, read_manifest, sha256_file, verify_files

REPO_TYPE = "dataset"
BRANCH = "main"
MANAGED_DIRS = ("data/", "eval/", "schema/")  # a release replaces these folders whole
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
CONFLICT_STATUSES = frozenset({409, 412})
T = TypeVar("T")


@dataclass
class RetryPolicy:
    """How often and how long to wait between attempts (delay doubles, capped)."""

    attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 30.0
    sleep: Callable[[float], None] = time.sleep

    def wait(self, attempt: int, error: Exception | None = None) -> None:
        delay = min(self.max_delay, self.base_delay * 2 ** attempt)
        retry_after = _retry_after(error)
        self.sleep(delay if retry_after is None else min(self.max_delay, retry_after))


@dataclass
class PublishResult:
    """What was published: repo, tag, the commit the tag points at, files checked after."""

    repo: str
    tag: str
    commit: str
    uploaded: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    verified: int = 0
    attempts: int = 1


class StaleParent(Exception):
    """The Hub refused the commit because the branch moved since its parent was read."""


def _status(error: Exception | None) -> int | None:
    response = getattr(error, "response", None)
    return getattr(response, "status_code", None)


def _retry_after(error: Exception | None) -> float | None:
    response = getattr(error, "response", None)
    value = response.headers.get("Retry-After") if response is not None else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _describe(error: Exception) -> str:
    """One line about an HTTP error, without headers (they could carry credentials)."""
    status = _status(error)
    first = str(error).splitlines()[0] if str(error) else type(error).__name__
    return f"HTTP {status}: {first}" if status else first


def with_retries(action: str, call: Callable[[], T], policy: RetryPolicy) -> T:
    """Run `call`, retrying 429/5xx answers and transport errors; UserError when it gives up.

    Other HTTP errors (and 409/412 conflicts, raised as StaleParent) are not retried here.
    """
    for attempt in range(policy.attempts):
        try:
            return call()
        except HfHubHTTPError as exc:
            status = _status(exc)
            if status in CONFLICT_STATUSES and action == "commit":
                raise StaleParent(_describe(exc)) from None
            if status not in RETRY_STATUSES or attempt == policy.attempts - 1:
                raise UserError(f"{action}: {_describe(exc)}") from None
            policy.wait(attempt, exc)
        except httpx2.TransportError as exc:
            if attempt == policy.attempts - 1:
                raise UserError(f"{action}: cannot reach the Hub: {_describe(exc)}") from None
            policy.wait(attempt)
    raise AssertionError("unreachable")


def release_files(folder: Path, manifest: dict[str, Any]) -> list[str]:
    """Every path the release uploads: the manifest's files plus release.json itself."""
    return sorted([*manifest["files"], MANIFEST])


def check_release(folder: Path, repo: str) -> dict[str, Any]:
    """The manifest of an intact release folder made for `repo`; UserError otherwise."""
    manifest = read_manifest(folder)
    problems = verify_files(folder, manifest)
    if problems:
        raise UserError(f"{folder}: files differ from {MANIFEST}: {'; '.join(problems[:5])}")
    if manifest.get("name") != repo:
        raise UserError(f"{folder}: release {manifest.get('tag')} was made for repo "
                        f"{manifest.get('name')!r} (its card and eval files name it), not "
                        f"{repo!r}; re-run `abstain-data release` with --repo {repo}")
    return manifest


def plan_upload(folder: Path, repo: str) -> list[tuple[str, int]]:
    """(path, size) of every file `publish` would upload (for --dry-run); checks the folder."""
    manifest = check_release(folder, repo)
    return [(path, (folder / path).stat().st_size) for path in release_files(folder, manifest)]


def _head(api: HfApi, repo: str, policy: RetryPolicy) -> tuple[str, dict[str, str]]:
    """(main head sha, tag -> sha) of the repo."""
    refs = with_retries("list refs", lambda: api.list_repo_refs(repo, repo_type=REPO_TYPE), policy)
    heads = {b.name: b.target_commit for b in refs.branches}
    if BRANCH not in heads:
        raise UserError(f"{repo}: no {BRANCH} branch")
    return heads[BRANCH], {t.name: t.target_commit for t in refs.tags}


def _operations(api: HfApi, repo: str, folder: Path, files: list[str], parent: str,
                policy: RetryPolicy) -> tuple[list[Any], list[str]]:
    """Add every release file; delete the files an earlier release left in the folders a
    release owns (data/, eval/, schema/) that this one does not have. Other files stay."""
    remote = with_retries("list files", lambda: api.list_repo_files(
        repo, repo_type=REPO_TYPE, revision=parent), policy)
    stale = sorted(p for p in set(remote) - set(files) if p.startswith(MANAGED_DIRS))
    ops: list[Any] = [CommitOperationAdd(path_in_repo=p, path_or_fileobj=str(folder / p))
                      for p in files]
    ops += [CommitOperationDelete(path_in_repo=p) for p in stale]
    return ops, stale


def _commit(api: HfApi, repo: str, folder: Path, manifest: dict[str, Any], files: list[str],
            expected_parent: str | None, policy: RetryPolicy) -> tuple[str, list[str], int]:
    """Commit the release on main; (commit sha, deleted paths, attempts used)."""
    tag = manifest["tag"]
    for attempt in range(policy.attempts):
        head, tags = _head(api, repo, policy)
        if tag in tags:
            raise UserError(f"{repo}: tag {tag} already exists (commit {tags[tag][:12]}"
                            f"{_moved_note(folder, repo, tags[tag])}); a published version is "
                            "never replaced: release a new version")
        parent = expected_parent or head
        ops, stale = _operations(api, repo, folder, files, parent, policy)
        try:
            info = with_retries("commit", partial(
                api.create_commit, repo, ops, commit_message=f"Release {tag}",
                repo_type=REPO_TYPE, revision=BRANCH, parent_commit=parent,
                commit_description=f"abstain-data release {tag}: {len(files)} files, "
                                   f"{len(stale)} removed."), policy)
        except StaleParent as exc:
            if expected_parent is not None:
                raise UserError(f"{repo}: the Hub refused the commit on parent "
                                f"{expected_parent[:12]}: {BRANCH} moved on ({exc})") from None
            if attempt == policy.attempts - 1:
                raise UserError(f"{repo}: {BRANCH} kept moving during publishing ({exc})") from None
            policy.wait(attempt)
            continue
        return info.oid, stale, attempt + 1
    raise AssertionError("unreachable")


def verify_remote(api: HfApi, repo: str, tag: str, folder: Path, manifest: dict[str, Any],
                  policy: RetryPolicy) -> int:
    """Download the repo at `tag`; compare every file's sha256 with the manifest, and the
    downloaded release.json with the local one byte for byte.

    Produces the number of files checked; UserError naming the first mismatches.
    """
    with tempfile.TemporaryDirectory(prefix="abstain-verify-") as tmp:
        path = Path(with_retries("download", lambda: snapshot_download(
            repo, repo_type=REPO_TYPE, revision=tag, cache_dir=Path(tmp) / "cache",
            token=api.token), policy))
        problems = []
        remote_manifest = path / MANIFEST
        if not remote_manifest.is_file():
            problems.append(f"{MANIFEST}: missing")
        elif remote_manifest.read_bytes() != (folder / MANIFEST).read_bytes():
            problems.append(f"{MANIFEST}: differs from the local one")
        for rel, meta in sorted(manifest["files"].items()):
            local = path / rel
            if not local.is_file():
                problems.append(f"{rel}: missing")
            elif sha256_file(local) != meta["sha256"]:
                problems.append(f"{rel}: sha256 differs")
        extra = {p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file()}
        extra = {p for p in extra - set(manifest["files"]) if p.startswith(MANAGED_DIRS)}
        problems += [f"{rel}: not part of the release" for rel in sorted(extra)]
        if problems:
            raise UserError(f"{repo}@{tag}: read-back check failed: {'; '.join(problems[:5])}")
        return len(manifest["files"]) + 1


def record_path(folder: Path) -> Path:
    """Where publishing records the commit of a release: `<releases>/vX.Y.Z.published.json`
    beside the release folder (the folder itself stays byte-identical to its manifest)."""
    return folder.parent / f"{folder.name}.published.json"


def _moved_note(folder: Path, repo: str, remote_commit: str) -> str:
    """", but it was published as <sha>" when our record says the tag pointed elsewhere."""
    path = record_path(folder)
    if not path.is_file():
        return ""
    record = json.loads(path.read_text("utf-8"))
    if record.get("repo") == repo and record.get("commit") != remote_commit:
        return f", but it was published as {record['commit'][:12]}: the tag was moved"
    return ""


def publish_release(folder: Path, repo: str, *, token: str | None = None, private: bool = False,
                    expected_parent: str | None = None,
                    policy: RetryPolicy | None = None) -> PublishResult:
    """Create the dataset repo if needed, commit the release, tag it, read it back.

    `expected_parent` pins the commit the release must be committed on (the Hub refuses it
    when main has moved); by default the current head is used and conflicts are retried.
    """
    policy = policy or RetryPolicy()
    manifest = check_release(folder, repo)
    if constants.HF_HUB_OFFLINE:
        raise UserError("HF_HUB_OFFLINE is set: publishing needs the Hub; unset it and retry")
    token = token or get_token()
    if not token:
        raise UserError("no Hugging Face token: set HF_TOKEN or run `hf auth login`")
    api = HfApi(token=token)
    with_retries("create repo", lambda: api.create_repo(
        repo, repo_type=REPO_TYPE, exist_ok=True, private=private), policy)
    files = release_files(folder, manifest)
    commit, deleted, attempts = _commit(api, repo, folder, manifest, files, expected_parent,
                                        policy)
    tag = manifest["tag"]
    try:
        with_retries("create tag", lambda: api.create_tag(
            repo, tag=tag, revision=commit, repo_type=REPO_TYPE,
            tag_message=f"abstain-data release {tag}"), policy)
    except UserError as exc:
        raise UserError(f"{repo}: committed {commit[:12]} but could not tag it {tag}: {exc}; "
                        "tag that commit by hand or publish again") from None
    verified = verify_remote(api, repo, tag, folder, manifest, policy)
    record = {"repo": repo, "tag": tag, "commit": commit, "endpoint": api.endpoint}
    record_path(folder).write_text(json.dumps(record, indent=2, sort_keys=True) + "\n", "utf-8")
    return PublishResult(repo=repo, tag=tag, commit=commit, uploaded=files, deleted=deleted,
                         verified=verified, attempts=attempts)
