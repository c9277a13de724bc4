"""The files of an audit folder and where a build keeps its audits.

An audit folder (the `--out` of `audit sample`) holds `sample.json` (how it was drawn),
`tasks.jsonl` (what reviewers see: `rid`, `prompt`, `context`), `key.jsonl` (our labels, never
shown), and later `labels.jsonl` (reviewers' labels) and `audit.json` (the scores).

A build keeps its audits in `BUILD/audits/`: one folder per sample (`BUILD/audits/<name>/`) and
the artifact audit in `BUILD/audits/artifacts.json`. `release` reads them from there.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

AUDITS = "audits"
ARTIFACTS = "artifacts.json"


@dataclass(frozen=True)
class AuditFolder:
    """Paths of one audit folder."""

    root: Path

    @property
    def sample(self) -> Path:
        return self.root / "sample.json"

    @property
    def tasks(self) -> Path:
        return self.root / "tasks.jsonl"

    @property
    def key(self) -> Path:
        return self.root / "key.jsonl"

    @property
    def labels(self) -> Path:
        return self.root / "labels.jsonl"

    @property
    def audit(self) -> Path:
        return self.root / "audit.json"




def write_json(path: Path, value: Any) -> None:
    """Pretty, key-sorted JSON with a final newline."""
    path.write_text(json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
                    encoding="utf-8")


def ids_digest(ids: Iterable[str]) -> str:
    """sha256 of the sorted item ids: tells whether a report describes the same items."""
    return hashlib.sha256("\n".join(sorted(ids)).encode("utf-8")).hexdigest()
