"""Reading item files for `abstain-data validate`: JSONL, Parquet, or a build folder.

Unlike `buildfolder.read_item_dicts`, a bad line or cell is not fatal: it becomes a `Problem`
so that one run reports everything wrong with a file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from abstain_data.buildfolder import ITEMS
from abstain_data.errors import UserError
from abstain_data.schema.validate import Problem

_JSON_COLUMNS = ("transform", "review", "tag_origin")


@dataclass
class ItemFile:
    """What was read: the path to report, the item dicts with their row numbers, and the
    problems of rows that could not be parsed. `first_row` is 1 (JSONL lines) or 0 (Parquet)."""

    path: Path
    first_row: int
    dicts: list[Any] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def read_item_file(path: Path) -> ItemFile:
    """Read a .jsonl or .parquet file of items, or a build folder's items.parquet.

    Raises UserError (one line naming the file) when the file as a whole cannot be read.
    """
    if path.is_dir():
        if not (path / ITEMS).is_file():
            raise UserError(f"{path}: no {ITEMS} in this folder (is it a build folder?)")
        path = path / ITEMS
    if not path.exists():
        raise UserError(f"{path}: no such file")
    if path.suffix == ".parquet":
        return _read_parquet(path)
    if path.suffix in (".jsonl", ".ndjson"):
        return _read_jsonl(path)
    raise UserError(f"{path}: unknown format {path.suffix or '(no suffix)'!r}; "
                    "expected .jsonl, .parquet or a build folder")


def _read_jsonl(path: Path) -> ItemFile:
    try:
        lines = path.read_bytes().splitlines()
    except OSError as exc:
        raise UserError(f"{path}: cannot read: {exc.strerror or exc}") from None
    read = ItemFile(path, first_row=1)
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            read.dicts.append(json.loads(raw.decode("utf-8")))
            read.rows.append(number)
        except UnicodeDecodeError as exc:
            read.problems.append(Problem(number, "$", f"not UTF-8 (byte {exc.start + 1})"))
        except json.JSONDecodeError as exc:
            read.problems.append(
                Problem(number, "$", f"malformed JSON: {exc.msg} at column {exc.colno}"))
    return read


def _read_parquet(path: Path) -> ItemFile:
    try:
        table = pq.read_table(path)
    except (OSError, pa.ArrowException) as exc:
        message = " ".join(str(exc).split())
        raise UserError(f"{path}: not a readable Parquet file: {message}") from None
    read = ItemFile(path, first_row=0)
    for number, row in enumerate(table.to_pylist()):
        bad = False
        for column in _JSON_COLUMNS:
            if isinstance(row.get(column), str):
                try:
                    row[column] = json.loads(row[column])
                except json.JSONDecodeError as exc:
                    read.problems.append(Problem(number, column, f"malformed JSON: {exc.msg}"))
                    bad = True
        if not bad:
            read.dicts.append(row)
            read.rows.append(number)
    return read
