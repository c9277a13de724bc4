"""`release.json`: what a release folder holds, so a copy anywhere can be checked byte for byte.

The manifest records the version and tag, the build it came from (recipe hash, library versions,
spaCy model, source revisions), split ratios and seed, per-config split counts and shard files,
and the sha256 and size of every file in the folder except itself. It holds no timestamps, so
rebuilding the same release gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from abstain_data.errors import UserError
from abstain_data.jsonfiles import read_json

MANIFEST = "release.json"
_VERSION = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)$")


@dataclass(frozen=True, order=True)
class Version:
    """A release version X.Y.Z; its tag and folder name are "vX.Y.Z"."""

    major: int
    minor: int
    patch: int

    @classmethod
    def parse(cls, text: str) -> Version:
        """"1.2.3" or "v1.2.3" -> Version; UserError for anything else."""
        match = _VERSION.match(text.strip())
        if not match:
            raise UserError(f"version {text!r}: expected X.Y.Z, e.g. 1.0.0")
        return cls(*(int(part) for part in match.groups()))

    @property
    def tag(self) -> str:
        return f"v{self.major}.{self.minor}.{self.patch}"

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_table(root: Path) -> dict[str, dict[str, Any]]:
    """POSIX path -> {"sha256", "size"} for every file under `root` except the manifest, sorted."""
    table = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if rel != MANIFEST:
            table[rel] = {"sha256": sha256_file(path), "size": path.stat().st_size}
    return table


def write_manifest(root: Path, manifest: dict[str, Any]) -> None:
    """Write `manifest` plus the file table of `root` to root/release.json (sorted keys)."""
    body = {**manifest, "files": file_table(root)}
    text = json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    (root / MANIFEST).write_text(text, encoding="utf-8")


def read_manifest(root: Path) -> dict[str, Any]:
    """The parsed release.json of a release folder; UserError when missing or unreadable."""
    path = root / MANIFEST
    if not path.is_file():
        raise UserError(f"{path}: not a release folder (no {MANIFEST})")
    return read_json(path)


def verify_files(root: Path, manifest: dict[str, Any]) -> list[str]:
    """Problems found comparing the files under `root` with the manifest's table ([] = intact)."""
    expected = manifest.get("files", {})
    actual = file_table(root)
    problems = [f"{path}: missing" for path in sorted(set(expected) - set(actual))]
    problems += [f"{path}: not in {MANIFEST}" for path in sorted(set(actual) - set(expected))]
    problems += [
        f"{path}: sha256 {actual[path]['sha256'][:12]}… != {expected[path]['sha256'][:12]}…"
        for path in sorted(set(actual) & set(expected))
        if actual[path]["sha256"] != expected[path]["sha256"]
    ]
    return problems
