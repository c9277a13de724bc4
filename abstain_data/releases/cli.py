"""Commands of the releases area: `release`, `publish`, `diff`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from abstain_data.terminal import console


def release(
    version: Annotated[str, typer.Argument(help="release version X.Y.Z (folder vX.Y.Z)")],
    build: Annotated[Path, typer.Option(help="build folder to release")] = Path("build"),
    out: Annotated[Path, typer.Option(help="folder holding the releases")] = Path("releases"),
    config: Annotated[list[str] | None, typer.Option(
        "--config", help="extra config beside 'default' (redistributable licenses only): "
                         "'all' includes every releasable item")] = None,
    repo: Annotated[str, typer.Option(help="Hub dataset id the card and eval files name")]
        = "abstain-data/abstain-data",
) -> None:
    """Write releases/vX.Y.Z: Hub-layout Parquet splits, dataset card, changelog, manifest."""
    import datasets

    from abstain_data.releases.manifest import read_manifest
    from abstain_data.releases.write import write_release

    datasets.disable_progress_bars()
    folder = write_release(version, build, out, repo=repo, configs=config or [])
    manifest = read_manifest(folder)
    configs = manifest["configs"]
    for name in sorted(configs, key=lambda c: (c != "default", c)):
        counts = ", ".join(f"{s} {configs[name][s]['num_examples']}"
                           for s in ("train", "validation", "test") if s in configs[name])
        console.print(f"config {name}: {counts}", markup=False, soft_wrap=True)
    console.print(f"release {manifest['tag']} written to {folder}", markup=False, soft_wrap=True)


def publish(
    folder: Annotated[Path, typer.Argument(help="release folder, e.g. releases/v1.0.0")],
    repo: Annotated[str, typer.Option(help="Hub dataset repo ORG/NAME")],
    dry_run: Annotated[bool, typer.Option(help="list what would be uploaded, change nothing")]
        = False,
    parent_commit: Annotated[str | None, typer.Option(
        help="commit sha main must still be at (refuse if it moved)")] = None,
    private: Annotated[bool, typer.Option(help="create the repo as private")] = False,
) -> None:
    """Upload a release as one commit, tag it vX.Y.Z, and check it back against release.json."""
    from abstain_data.releases.publish import plan_upload, publish_release, record_path

    if dry_run:
        files = plan_upload(folder, repo)
        for path, size in files:
            console.print(f"{size:>12,}  {path}", markup=False, soft_wrap=True)
        total = sum(size for _, size in files)
        console.print(f"dry run: would upload {len(files)} files ({total:,} bytes) to "
                      f"datasets/{repo} as one commit and tag it", markup=False, soft_wrap=True)
        return
    result = publish_release(folder, repo, private=private, expected_parent=parent_commit)
    console.print(f"published {result.tag} to datasets/{repo}: commit {result.commit}, "
                  f"{len(result.uploaded)} files, {len(result.deleted)} removed, "
                  f"{result.verified} verified by sha256", markup=False, soft_wrap=True)
    console.print(f"commit recorded in {record_path(folder)}", markup=False, soft_wrap=True)


def diff(
    old: Annotated[Path, typer.Argument(help="older release folder")],
    new: Annotated[Path, typer.Argument(help="newer release folder")],
) -> None:
    """Ids added, removed and relabelled between two releases, and counts per category."""
    from abstain_data.releases.diff import diff_releases, read_release_rows, render_diff

    result = diff_releases(read_release_rows(old), read_release_rows(new))
    print(render_diff(result, old.name, new.name))


def register(app: typer.Typer) -> None:
    """Add `release`, `publish` and `diff` to the abstain-data app."""
    app.command()(release)
    app.command()(publish)
    app.command()(diff)
