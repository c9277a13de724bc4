"""The annotation state kept in a build folder, and the all-or-nothing way a pull changes it.

Files: `review_queue.jsonl` (the items still open), `annotations/round-NNN.jsonl` (every raw
vote seen in round NNN), `annotations/rounds.json` (one summary per round), plus the build's
`items.parquet`, `ledger.parquet` and `rejects.jsonl`, which a pull rewrites.

A pull writes all its new files into `annotations/.pull-staging/` first, then a manifest
(target path per staged file, written atomically), then moves each staged file into place with
`os.replace` and deletes the staging folder. `recover` finishes a pull that was interrupted
after its manifest was written (every remaining staged file is moved), and discards one that
was interrupted before (the build folder was not touched yet). Either way the folder ends up
as after a complete pull or as before it, never in between.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from abstain_data import buildfolder
from abstain_data.errors import UserError
from abstain_data.items import Item
from abstain_data.jsonfiles import read_objects
from abstain_data.staging import write_text_atomically

ANNOTATIONS = "annotations"
ROUNDS = "rounds.json"
STAGING = ".pull-staging"
MANIFEST = "MANIFEST.json"
_ROUND_FILE = re.compile(r"^round-(\d{3,})\.jsonl$")

Writer = Callable[[Path], None]


@dataclass
class BuilderScore:
    """How a builder's labels fared with the annotators (in one round, or summed over rounds)."""

    judged: int = 0
    label_kept: int = 0
    code_kept: int = 0

    @property
    def precision(self) -> float:
        """Share of judged items whose should_abstain the annotators confirmed (not rejected)."""
        return self.label_kept / self.judged if self.judged else 0.0

    @property
    def code_precision(self) -> float:
        """Share of judged items whose exact category the annotators confirmed."""
        return self.code_kept / self.judged if self.judged else 0.0


def annotations_dir(build_dir: Path) -> Path:
    """The build's `annotations/` folder (raw votes per round and the round summaries)."""
    return build_dir / ANNOTATIONS


def rounds_path(build_dir: Path) -> Path:
    """The build's `annotations/rounds.json`."""
    return annotations_dir(build_dir) / ROUNDS


def round_path(build_dir: Path, number: int) -> Path:
    return annotations_dir(build_dir) / f"round-{number:03d}.jsonl"


def round_numbers(build_dir: Path) -> list[int]:
    """The numbers of the round files present, ascending."""
    folder = annotations_dir(build_dir)
    if not folder.is_dir():
        return []
    found = (_ROUND_FILE.match(path.name) for path in folder.iterdir())
    return sorted(int(match.group(1)) for match in found if match)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The JSON objects of a .jsonl file (empty list if it does not exist)."""
    return read_objects(path) if path.is_file() else []


def read_rounds(build_dir: Path) -> list[dict[str, Any]]:
    """The round summaries in annotations/rounds.json (empty list before the first round).

    UserError naming the file (and line) when it is not JSON or not a list of objects.
    """
    path = rounds_path(build_dir)
    if not path.is_file():
        return []
    try:
        rounds = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise UserError(f"{path}:{exc.lineno}: invalid JSON: {exc.msg}") from None
    if not isinstance(rounds, list) or not all(isinstance(r, dict) for r in rounds):
        raise UserError(f"{path}: expected a list of round summaries")
    return rounds


def read_queue(build_dir: Path) -> list[Item]:
    """The items of `review_queue.jsonl`; UserError naming the file and line if one is bad."""
    path = buildfolder.BuildFolder(build_dir).review_queue
    if not path.is_file():
        raise UserError(f"{path}: not found (is {build_dir} a build folder?)")
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            items.append(Item.from_dict(json.loads(line)))
        except (KeyError, ValueError, TypeError) as exc:
            raise UserError(f"{path}:{number}: not an item ({type(exc).__name__}: {exc})") \
                from None
    return items


def commit(build_dir: Path, writers: dict[str, Writer]) -> None:
    """Replace the files named by `writers` (paths relative to the build folder) all at once.

    Each writer writes the new content of its file to the path it is given (in staging).
    """
    staging = annotations_dir(build_dir) / STAGING
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    manifest = {}
    for number, (target, write) in enumerate(sorted(writers.items())):
        staged = f"{number:02d}-{Path(target).name}"
        write(staging / staged)
        manifest[staged] = target
    write_text_atomically(staging / MANIFEST, json.dumps(manifest, indent=1))
    _apply(build_dir, staging)


def recover(build_dir: Path) -> str | None:
    """Finish or discard an interrupted pull; says which ("finished"/"discarded") or None."""
    staging = annotations_dir(build_dir) / STAGING
    if not staging.is_dir():
        return None
    if (staging / MANIFEST).is_file():
        _apply(build_dir, staging)
        return "finished"
    shutil.rmtree(staging)
    return "discarded"


def _apply(build_dir: Path, staging: Path) -> None:
    """Move every staged file still in `staging` to its target, then remove `staging`."""
    manifest = json.loads((staging / MANIFEST).read_text(encoding="utf-8"))
    for staged, target in manifest.items():
        if (staging / staged).exists():
            (build_dir / target).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / staged, build_dir / target)
    shutil.rmtree(staging)
