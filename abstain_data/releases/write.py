"""Write a release folder `releases/vX.Y.Z/` from a build folder, atomically.

The folder holds Hub-layout Parquet shards per config, README.md (dataset card), CHANGELOG.md,
release.json (manifest with sha256 per file, and the annotation rounds and human-label counts),
schema/item.schema.json and the evaluation files.
Everything is written into a hidden temporary sibling and renamed into place at the end, so an
interrupted release leaves nothing behind. Existing versions and versions not greater than the
latest in the folder are refused. Same build + same version -> byte-identical files.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from abstain_data.errors import UserError
from abstain_data.items import SCHEMA_VERSION, Split
from abstain_data.releases.annotations import annotation_report
from abstain_data.releases.card import render_card
from abstain_data.releases.changelog import render_changelog
from abstain_data.releases.diff import read_release_rows, rows_of_items
from abstain_data.releases.evalfiles import write_eval_files
from abstain_data.releases.manifest import MANIFEST, Version, write_manifest
from abstain_data.releases.plan import ReleasePlan, plan_release
from abstain_data.releases.shards import MAX_SHARD_ROWS, SplitFiles, write_config
from abstain_data.staging import staged_folder

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "schema" / "item.schema.json"
LIBRARIES = ("abstain-data", "datasets", "huggingface_hub", "pyarrow")
DEFAULT_REPO = "abstain-data/abstain-data"


def list_releases(out: Path) -> list[tuple[Version, Path]]:
    """The release folders (vX.Y.Z with a release.json) under `out`, oldest first."""
    found = []
    if out.is_dir():
        for path in out.iterdir():
            if path.is_dir() and path.name.startswith("v") and (path / MANIFEST).is_file():
                try:
                    found.append((Version.parse(path.name), path))
                except UserError:
                    continue
    return sorted(found)


def check_new_version(version: Version, out: Path) -> tuple[Version, Path] | None:
    """The latest earlier release in `out` (or None); UserError if `version` may not be made."""
    target = out / version.tag
    if target.exists():
        raise UserError(f"{target}: release {version.tag} already exists; versions are immutable,"
                        " choose a new version")
    releases = list_releases(out)
    if releases and version <= releases[-1][0]:
        raise UserError(f"version {version} is not greater than the latest release "
                        f"{releases[-1][0].tag} in {out}")
    return releases[-1] if releases else None


def _earlier_changelog(folder: Path | None) -> str:
    path = folder / "CHANGELOG.md" if folder else None
    return path.read_text(encoding="utf-8") if path and path.is_file() else ""


def _versions() -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for name in LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def manifest_of(plan: ReleasePlan, written: dict[str, dict[Split, SplitFiles]],
                previous: Version | None) -> dict[str, Any]:
    """release.json content (without the file table, which write_manifest adds)."""
    build = plan.build
    return {
        "name": plan.repo,
        "version": str(plan.version),
        "tag": plan.version.tag,
        "previous": previous.tag if previous else None,
        "schema_version": SCHEMA_VERSION,
        "tool_versions": _versions(),
        "build": {key: build.get(key) for key in
                  ("recipe", "recipe_sha256", "versions", "spacy_model", "sources")},
        "splitting": {"seed": plan.seed, "ratios": {s.value: plan.ratios[s] for s in Split}},
        "configs": {config: {split.value: {"num_examples": f.num_examples,
                                           "num_bytes": f.num_bytes, "files": f.files}
                             for split, f in splits.items()}
                    for config, splits in written.items()},
        "held_back": dict(sorted(plan.held_back.items())),
        "license_excluded": {code: {"items": n, "reason": why}
                             for code, (n, why) in plan.license_excluded.items()},
        "annotation": annotation_report(plan.annotation, plan.items).to_json(),
        "audits": plan.audits.to_json(),
    }


def write_release(
    version: str,
    build: Path,
    out: Path,
    repo: str = DEFAULT_REPO,
    configs: Sequence[str] = (),
    max_shard_rows: int = MAX_SHARD_ROWS,
) -> Path:
    """Make release `version` of the build folder `build` under `out`; the new folder's path.

    `configs` adds configs beside "default" (e.g. "all"); `repo` is the Hub dataset the card
    and evaluation files point at. UserError for refused versions, bad builds or leaks.
    """
    parsed = Version.parse(version)
    out.mkdir(parents=True, exist_ok=True)
    latest = check_new_version(parsed, out)
    previous_rows = read_release_rows(latest[1]) if latest else None
    previous = {r.id: Split(r.split) for r in previous_rows} if previous_rows else None
    plan = plan_release(build, parsed, repo, ["default", *configs], previous)
    target = out / parsed.tag
    with staged_folder(target) as tmp:
        written = {config: write_config(tmp, config, plan.split_items(config), max_shard_rows)
                   for config in plan.configs}
        (tmp / "README.md").write_text(render_card(plan, written), encoding="utf-8")
        (tmp / "CHANGELOG.md").write_text(
            render_changelog(parsed.tag, rows_of_items(plan.items),
                             latest[0].tag if latest else None, previous_rows,
                             _earlier_changelog(latest[1] if latest else None)),
            encoding="utf-8")
        (tmp / "schema").mkdir()
        shutil.copyfile(SCHEMA_FILE, tmp / "schema" / "item.schema.json")
        write_eval_files(tmp, repo, parsed.tag,
                         {config: list(splits) for config, splits in written.items()})
        write_manifest(tmp, manifest_of(plan, written, latest[0] if latest else None))
    return target
