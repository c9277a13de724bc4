"""Reading JSON and JSON Lines files, with errors that name the file and the line.

The one reader for the JSON and JSONL files the toolkit writes or takes from users (audit keys,
labels and reports, response files, annotation rounds, release manifests). Source corpora go
through `sources/readers.py`, which turns a bad row into a row error instead of stopping.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from abstain_data.errors import UserError


def read_json(path: Path) -> Any:
    """The JSON value in `path`; UserError `FILE: no such file` or `FILE:LINE: invalid JSON`."""
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except json.JSONDecodeError as exc:
        raise UserError(f"{path}:{exc.lineno}: invalid JSON: {exc.msg}") from None


def numbered_objects(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) of each non-blank line of `path`, in order.

    Raises UserError `FILE: no such file`, `FILE:LINE: invalid JSON: ...` or
    `FILE:LINE: expected a JSON object, got TYPE`.
    """
    try:
        handle = path.open(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise UserError(f"{path}:{number}: invalid JSON: {exc.msg}") from None
            if not isinstance(row, dict):
                raise UserError(f"{path}:{number}: expected a JSON object, got "
                                f"{type(row).__name__}")
            yield number, row


def read_objects(path: Path) -> list[dict[str, Any]]:
    """The objects of every non-blank line of `path` (errors as `numbered_objects`)."""
    return [row for _, row in numbered_objects(path)]
