"""CHANGELOG.md of a second release, and splits kept stable across versions."""

from __future__ import annotations

import json
from pathlib import Path

from release_builds import factoid_items, make_build, release, sample_items

from abstain_data.releases.diff import read_release_rows


def test_second_release_keeps_splits_and_writes_a_changelog(tmp_path: Path) -> None:
    items = sample_items()
    out = tmp_path / "releases"
    first = release(make_build(tmp_path / "b1", items), out, "1.0.0")
    old = {r.id: r.split for r in read_release_rows(first)}
    relabel = next(it for it in items if it.category.value == "bait.homonym")
    relabelled = relabel.derive(category=relabel.category.__class__("bait.figurative"))
    added = factoid_items(31)[-2:]
    removed = next(it for it in items if it.source.dataset == "harm_src")
    new_items = [it for it in items if it.id not in (relabel.id, removed.id)]
    new_items += [relabelled, *added]
    second = release(make_build(tmp_path / "b2", new_items), out, "1.1.0")
    new = {r.id: r.split for r in read_release_rows(second)}
    assert all(new[i] == s for i, s in old.items() if i in new)
    changelog = (second / "CHANGELOG.md").read_text("utf-8")
    assert "Changes since v1.0.0" in changelog
    assert "2 added, 1 removed, 1 relabelled" in changelog
    assert f"{relabel.id} -> {relabelled.id} (`bait.homonym` -> `bait.figurative`)" in changelog
    assert removed.id in changelog and added[0].id in changelog
    assert json.loads((second / "release.json").read_text())["previous"] == "v1.0.0"
    assert "First release" in (first / "CHANGELOG.md").read_text("utf-8")
    assert changelog.startswith("# Changelog\n\n## v1.1.0\n")
    assert changelog.count("# Changelog") == 1
    assert changelog.index("## v1.1.0") < changelog.index("## v1.0.0\n\nFirst release")
