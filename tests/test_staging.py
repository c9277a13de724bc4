"""Folders and files replaced whole: the old version or the new one, never half of either."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from abstain_data.staging import staged_folder, write_text_atomically


def test_a_staged_folder_replaces_the_target_only_when_the_block_ends_cleanly(
        tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.mkdir()
    (target / "old.txt").write_text("old", encoding="utf-8")

    with pytest.raises(KeyboardInterrupt), staged_folder(target) as tmp:
        (tmp / "new.txt").write_text("half", encoding="utf-8")
        raise KeyboardInterrupt
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
    assert [p.name for p in target.iterdir()] == ["old.txt"]

    with staged_folder(target) as tmp:
        (tmp / "new.txt").write_text("new", encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
    assert [p.name for p in target.iterdir()] == ["new.txt"]


def test_write_text_atomically_sets_the_mode_and_leaves_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "credentials.json"
    path.write_text("old", encoding="utf-8")

    write_text_atomically(path, '{"token": "t"}', 0o600)

    assert path.read_text(encoding="utf-8") == '{"token": "t"}'
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["credentials.json"]
