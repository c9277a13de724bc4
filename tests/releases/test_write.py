"""`write_release`: the folder layout, refusals, license policy, atomicity, byte-identity."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
from release_builds import REPO, card_yaml, make_build, release, sample_items

from abstain_data.errors import UserError
from abstain_data.items import LabelStatus, Split
from abstain_data.releases.manifest import read_manifest, verify_files
from abstain_data.releases.write import list_releases


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_layout_and_manifest(build_dir: Path, tmp_path: Path) -> None:
    folder = release(build_dir, tmp_path / "releases", configs=["all"])
    assert folder.name == "v1.0.0"
    names = set(files_of(folder))
    assert {"README.md", "CHANGELOG.md", "release.json", "schema/item.schema.json",
            "eval/lm_eval/abstain.yaml", "eval/lm_eval/abstain_all.yaml",
            "eval/inspect_task.py"} <= names
    for split in ("train", "validation", "test"):
        assert f"data/{split}-00000-of-00001.parquet" in names
        assert f"data/all/{split}-00000-of-00001.parquet" in names
    manifest = read_manifest(folder)
    assert manifest["tag"] == "v1.0.0" and manifest["name"] == REPO
    assert set(manifest["files"]) == names - {"release.json"}
    assert verify_files(folder, manifest) == []
    assert not any(p.name.startswith(".") for p in folder.parent.iterdir())



def test_only_releasable_items_and_the_license_policy(build_dir: Path, tmp_path: Path) -> None:
    folder = release(build_dir, tmp_path / "releases", configs=["all"])
    default = {r["source_license"] for s in Split
               for r in pq.read_table(folder / f"data/{s.value}-00000-of-00001.parquet")
               .select(["source_license"]).to_pylist()}
    assert default == {"cc-by-sa-4.0", "mit", "cc-by-4.0"}
    statuses = set()
    all_licenses = set()
    for s in Split:
        table = pq.read_table(folder / f"data/all/{s.value}-00000-of-00001.parquet")
        statuses |= set(table.column("label_status").to_pylist())
        all_licenses |= set(table.column("source_license").to_pylist())
    assert statuses == {"source", "auto", "human_verified"}
    assert {"cc-by-nc-4.0", ""} <= all_licenses
    manifest = read_manifest(folder)
    assert manifest["held_back"] == {"human_rejected": 3, "needs_review": 5}
    assert manifest["license_excluded"]["cc-by-nc-4.0"]["items"] == 12
    assert manifest["license_excluded"]["none-stated"]["items"] == 8
    card = (folder / "README.md").read_text("utf-8")
    assert "20 releasable item(s) are excluded from the `default` config" in card
    assert "`cc-by-nc-4.0`: 12 item(s): non-commercial" in card
    assert "`none-stated`: 8 item(s): no license stated" in card
    assert "5 `needs_review`" in card and "3 `human_rejected`" in card
    assert set(card_yaml(folder)["license"]) == {"cc-by-4.0", "cc-by-nc-4.0", "cc-by-sa-4.0",
                                                 "mit", "unknown"}



def test_rebuilding_gives_byte_identical_files(build_dir: Path, tmp_path: Path) -> None:
    first = release(build_dir, tmp_path / "a", configs=["all"])
    second = release(build_dir, tmp_path / "b", configs=["all"])
    assert files_of(first) == files_of(second)


def test_refusals(build_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "releases"
    release(build_dir, out, "1.2.0")
    with pytest.raises(UserError, match="already exists"):
        release(build_dir, out, "1.2.0")
    with pytest.raises(UserError, match="not greater than the latest release v1.2.0"):
        release(build_dir, out, "1.1.9")
    with pytest.raises(UserError, match="expected X.Y.Z"):
        release(build_dir, out, "1.3")
    with pytest.raises(UserError, match="unknown config"):
        release(build_dir, out, "1.3.0", configs=["everything"])
    with pytest.raises(UserError, match="items.parquet: no such file"):
        release(tmp_path / "nowhere", out, "1.3.0")
    assert [v.tag for v, _ in list_releases(out)] == ["v1.2.0"]
    assert sorted(p.name for p in out.iterdir()) == ["v1.2.0"]


def test_a_release_interrupted_while_writing_leaves_nothing_behind(
        build_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "releases"
    release(build_dir, out, "1.0.0")

    def interrupted(*args: object) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr("abstain_data.releases.write.render_card", interrupted)
    with pytest.raises(KeyboardInterrupt):
        release(build_dir, out, "1.1.0")
    assert sorted(p.name for p in out.iterdir()) == ["v1.0.0"]


def test_a_failed_release_leaves_nothing_behind(tmp_path: Path) -> None:
    items = sample_items()
    build = make_build(tmp_path / "build", items)
    out = tmp_path / "releases"
    release(build, out, "1.0.0")
    (out / "v1.0.0" / "release.json").unlink()  # no longer a release: not "latest"
    (out / "v1.0.0").rename(out / "broken")
    bad = make_build(tmp_path / "bad", items, release={"train": -1})
    with pytest.raises(UserError):
        release(bad, out, "2.0.0")
    assert sorted(p.name for p in out.iterdir()) == ["broken"]



def test_human_verified_items_carry_review_agreement(build_dir: Path, tmp_path: Path) -> None:
    folder = release(build_dir, tmp_path / "releases")
    rows = [r for s in Split for r in pq.read_table(
        folder / f"data/{s.value}-00000-of-00001.parquet").to_pylist()]
    verified = [r for r in rows if r["label_status"] == LabelStatus.HUMAN_VERIFIED.value]
    assert verified and all(r["review_agreement"] == 0.75 for r in verified)
    assert all(r["review_agreement"] is None for r in rows if r["label_status"] == "auto")
