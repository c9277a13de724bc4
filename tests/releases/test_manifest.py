"""release.json: versions, the sha256 file table, and verifying a folder against it."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from abstain_data.errors import UserError
from abstain_data.releases.manifest import (
    Version,
    file_table,
    read_manifest,
    verify_files,
    write_manifest,
)


def test_versions_parse_order_and_tag() -> None:
    assert Version.parse("v1.2.3") == Version.parse("1.2.3") == Version(1, 2, 3)
    assert Version.parse("1.10.0") > Version.parse("1.9.9")
    assert Version(2, 0, 1).tag == "v2.0.1" and str(Version(2, 0, 1)) == "2.0.1"
    for bad in ("1.2", "1.2.3-rc1", "latest", ""):
        with pytest.raises(UserError, match="expected X.Y.Z"):
            Version.parse(bad)


def test_manifest_lists_every_file_but_itself_and_detects_changes(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.parquet").write_bytes(b"alpha")
    (tmp_path / "README.md").write_text("card\n")
    write_manifest(tmp_path, {"tag": "v1.0.0"})
    manifest = read_manifest(tmp_path)
    assert manifest["tag"] == "v1.0.0"
    assert manifest["files"]["data/a.parquet"] == {
        "sha256": hashlib.sha256(b"alpha").hexdigest(), "size": 5}
    assert set(manifest["files"]) == {"data/a.parquet", "README.md"}
    assert verify_files(tmp_path, manifest) == []
    (tmp_path / "data" / "a.parquet").write_bytes(b"alphA")
    (tmp_path / "README.md").unlink()
    (tmp_path / "extra.txt").write_text("x")
    problems = verify_files(tmp_path, manifest)
    assert problems[0] == "README.md: missing"
    assert problems[1] == "extra.txt: not in release.json"
    assert problems[2].startswith("data/a.parquet: sha256")
    assert set(file_table(tmp_path)) == {"data/a.parquet", "extra.txt"}


def test_reading_a_non_release_folder_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="not a release folder"):
        read_manifest(tmp_path)
    (tmp_path / "release.json").write_text("{broken")
    with pytest.raises(UserError, match="release.json:1: invalid JSON"):
        read_manifest(tmp_path)
