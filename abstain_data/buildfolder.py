"""Reading and writing the files of a build folder.

A build folder holds `items.parquet` (every item whose fate is kept or needs_review),
`ledger.parquet` (one row per record and fate), `rejects.jsonl`, `review_queue.jsonl` (the
needs_review items, one schema dict per line), `stats.json` and `build.json`.

In Parquet, `source` is a struct column; `transform` and `review` are JSON strings because their
inner keys vary by builder. `read_items`/`write_items` hide that: they take and give Items.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from abstain_data.chunking import chunked
from abstain_data.items import Item

ITEMS = "items.parquet"
LEDGER = "ledger.parquet"
REJECTS = "rejects.jsonl"
REVIEW_QUEUE = "review_queue.jsonl"
STATS = "stats.json"
BUILD = "build.json"

_JSON_COLUMNS = ("transform", "review", "tag_origin")

_SOURCE_TYPE = pa.struct([
    ("dataset", pa.string()), ("license", pa.string()), ("config", pa.string()),
    ("split", pa.string()), ("original_id", pa.string()), ("url", pa.string()),
    ("row", pa.int64()), ("topic", pa.string()),
])

ITEMS_SCHEMA = pa.schema([
    ("id", pa.string()), ("prompt", pa.string()), ("context", pa.string()),
    ("should_abstain", pa.bool_()), ("category", pa.string()),
    ("reference_answers", pa.list_(pa.string())), ("rationale", pa.string()),
    ("domain", pa.string()), ("complexity", pa.string()), ("pair_id", pa.string()),
    ("parent_id", pa.string()), ("source", _SOURCE_TYPE), ("transform", pa.string()),
    ("label_status", pa.string()), ("confidence", pa.float64()), ("review", pa.string()),
    ("split", pa.string()), ("tag_origin", pa.string()), ("schema_version", pa.string()),
])

LEDGER_SCHEMA = pa.schema([
    ("record", pa.string()), ("item_id", pa.string()), ("fate", pa.string()),
    ("step", pa.string()), ("detail", pa.string()), ("method", pa.string()),
    ("score", pa.float64()),
])


@dataclass(frozen=True)
class BuildFolder:
    """Paths of one build folder."""

    root: Path

    @property
    def items(self) -> Path:
        return self.root / ITEMS

    @property
    def ledger(self) -> Path:
        return self.root / LEDGER

    @property
    def rejects(self) -> Path:
        return self.root / REJECTS

    @property
    def review_queue(self) -> Path:
        return self.root / REVIEW_QUEUE

    @property
    def stats(self) -> Path:
        return self.root / STATS

    @property
    def build(self) -> Path:
        return self.root / BUILD


def item_to_row(item: Item) -> dict[str, Any]:
    """The Parquet row of an item (schema dict, `transform`/`review`/`tag_origin` as JSON)."""
    row = item.to_dict()
    for column in _JSON_COLUMNS:
        if row[column] is not None:
            row[column] = json.dumps(row[column], sort_keys=True, ensure_ascii=False)
    return row


def row_to_dict(row: dict[str, Any]) -> dict[str, Any]:
    """The schema dict of a Parquet row (JSON strings parsed back)."""
    out = dict(row)
    for column in _JSON_COLUMNS:
        if isinstance(out.get(column), str):
            out[column] = json.loads(out[column])
    return out


def write_items(path: Path, items: Iterable[Item]) -> None:
    """Write items to `path` (.parquet or .jsonl); byte-identical output for identical items."""
    if path.suffix == ".jsonl":
        write_jsonl(path, (item.to_dict() for item in items))
        return
    write_parquet(path, (item_to_row(item) for item in items), ITEMS_SCHEMA)


TABLE_CHUNK = 8_192  # rows turned into Arrow at a time
ROW_GROUP = 16_384  # rows per Parquet row group: the most held as Arrow while writing


def write_parquet(path: Path, rows: Iterable[dict[str, Any]], schema: pa.Schema) -> None:
    """Write `rows` to `path` as zstd Parquet in row groups of ROW_GROUP rows, converted to
    Arrow TABLE_CHUNK rows at a time: at most a row group and a chunk of rows are held as
    Arrow (the whole table, 230 MiB at 100k seeds, grew with the build). Each group is written
    from one contiguous table (Arrow cuts pages where its write batches fall, counted from
    the start of a chunk), so the bytes depend on the rows alone, not on the chunking; up to
    ROW_GROUP rows they are the bytes `pq.write_table` writes for the whole table."""
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        pending: list[pa.Table] = []
        held = 0
        written = False
        for chunk in chunked(rows, TABLE_CHUNK):
            pending.append(pa.Table.from_pylist(chunk, schema=schema))
            held += len(chunk)
            while held >= ROW_GROUP:
                table = pa.concat_tables(pending).combine_chunks()
                writer.write_table(table.slice(0, ROW_GROUP), row_group_size=ROW_GROUP)
                written = True
                held -= ROW_GROUP
                # a copy of the rest, so the written group's buffers are freed
                pending = [table.slice(ROW_GROUP).combine_chunks()] if held else []
        if held or not written:
            rest = pa.concat_tables(pending).combine_chunks() if pending else schema.empty_table()
            writer.write_table(rest, row_group_size=ROW_GROUP)


def read_item_dicts(path: Path) -> list[dict[str, Any]]:
    """Schema dicts of the items in a .parquet or .jsonl file (no validation)."""
    if path.suffix == ".parquet":
        return [row_to_dict(row) for row in pq.read_table(path).to_pylist()]
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def read_items(path: Path) -> list[Item]:
    """Items of a .parquet or .jsonl file written by `write_items`."""
    return [Item.from_dict(d) for d in read_item_dicts(path)]


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    """One JSON object per line, keys in a fixed order, UTF-8."""
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def write_ledger(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    """Write ledger rows (Fate.to_row dicts) to `path` as Parquet."""
    write_parquet(path, rows, LEDGER_SCHEMA)


def read_ledger(path: Path) -> list[dict[str, Any]]:
    return pq.read_table(path).to_pylist()
