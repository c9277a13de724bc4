"""Native file readers shared by the adapters: JSONL, JSON, CSV and Parquet, row by row.

Each reader consumes a path and yields one `RawRow` per input row, in file order: the row's
0-based `index`, its 1-based `number` in the file's own numbering (`unit`: "line" for JSONL and
CSV, where a CSV row is numbered by the line it starts on; "list item" for JSON; "row" for
Parquet), and either the row as a dict or a `RowError` (malformed JSON line, undecodable bytes).
A file that cannot be read as a whole (missing, empty, not UTF-8 JSON, wrong shape) raises
`SourceError`. Blank lines in JSONL are not rows. A UTF-8 byte order mark at the start of a
JSONL, JSON or CSV file is accepted (as `datasets` and pandas do).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from abstain_data.sources.base import RowError, SourceError


@dataclass
class RawRow:
    """One input row: where it is (0-based index, 1-based number in `unit`s) and its content."""

    index: int
    number: int
    unit: str
    data: dict[str, Any] | None = None
    error: RowError | None = None

    def fail(self, file: str, field: str | None, message: str) -> RowError:
        """A RowError for this row; the message ends with the numbering used, e.g. "(line 3)"."""
        return RowError(file, self.number, field, f"{message} ({self.unit} {self.number})")

    def take_object(self, file: str, value: Any) -> None:
        """Set `data` to `value` when it is a JSON object, else `error` naming what it is."""
        if isinstance(value, dict):
            self.data = value
        else:
            kind = type(value).__name__
            self.error = self.fail(file, None, f"expected a JSON object, got {kind}")


def file_error(path: Path, message: str, field: str | None = None) -> SourceError:
    """A SourceError about the file as a whole."""
    return SourceError(RowError(str(path), None, field, message))


def file_revision(paths: Iterable[Path]) -> str:
    """The first 16 hex of a sha256 over the bytes of `paths` (in the order given)."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def read_bytes(path: Path) -> bytes:
    """The bytes of `path`; SourceError when it is missing, not a file, or empty."""
    if not path.exists():
        raise file_error(path, "file not found")
    if not path.is_file():
        raise file_error(path, "not a file")
    data = path.read_bytes()
    if not data.strip():
        raise file_error(path, "file is empty")
    return data


def read_rows(path: Path, key: str | None = None) -> Iterator[RawRow]:
    """The rows of `path`, chosen by suffix (.jsonl/.json/.csv/.parquet); `key`: JSON list key."""
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        return read_jsonl(path)
    if suffix == ".json":
        return read_json(path, key)
    if suffix == ".csv":
        return read_csv(path)
    if suffix == ".parquet":
        return read_parquet(path)
    raise file_error(path, f"unknown file type {suffix!r}: use .jsonl, .json, .csv or .parquet")


def read_jsonl(path: Path) -> Iterator[RawRow]:
    """One row per non-blank line; a line that is not UTF-8 or not a JSON object is a RowError.

    A UTF-8 byte order mark at the start of the file (Excel, Windows editors) is skipped.
    """
    data = read_bytes(path).removeprefix(codecs.BOM_UTF8)
    index = 0
    for number, raw in enumerate(data.splitlines(), start=1):
        if not raw.strip():
            continue
        row = RawRow(index, number, "line")
        index += 1
        try:
            value = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            row.error = row.fail(str(path), None, f"line is not valid UTF-8 (byte {exc.start})")
        except json.JSONDecodeError as exc:
            row.error = row.fail(str(path), None, f"malformed JSON: {exc.msg}")
        else:
            row.take_object(str(path), value)
        yield row


def read_json(path: Path, key: str | None = None) -> Iterator[RawRow]:
    """The objects of a JSON list (the top level, or the list under `key` of an object)."""
    text = decode_utf8(path, read_bytes(path))
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise file_error(path, f"malformed JSON at line {exc.lineno}: {exc.msg}") from None
    if key is not None:
        if not isinstance(value, dict) or key not in value:
            raise file_error(path, f"no key {key!r} at the top level", field=key)
        value = value[key]
    if not isinstance(value, list):
        hint = "" if key else " (for an object, set [sources.options] key = \"<list key>\")"
        raise file_error(path, f"expected a JSON list, got {type(value).__name__}{hint}")
    if not value:
        raise file_error(path, "the list is empty")
    for index, element in enumerate(value):
        row = RawRow(index, index + 1, "list item")
        row.take_object(str(path), element)
        yield row


def read_csv(path: Path) -> Iterator[RawRow]:
    """Rows of a CSV with a header; a row with undecodable bytes is a RowError naming the field.

    Rows are numbered by the 1-based file line they start on (the header is line 1).
    """
    text = read_bytes(path).decode("utf-8-sig", errors="surrogateescape")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise file_error(path, f"no CSV header: {exc}") from None
    _check_header(path, header)
    start = reader.line_num + 1
    index = 0
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise file_error(path, f"malformed CSV near line {reader.line_num}: {exc}") from None
        row = RawRow(index, start, "line")
        start = reader.line_num + 1
        if not any(v.strip() for v in values):
            continue
        index += 1
        row.data, row.error = _csv_record(path, row, header, values)
        yield row
    if index == 0:
        raise file_error(path, "no rows after the header")


def _check_header(path: Path, header: list[str]) -> None:
    for name in header:
        if _has_surrogates(name):
            raise file_error(path, "the header is not valid UTF-8")


def _csv_record(path: Path, row: RawRow, header: list[str], values: list[str]
                ) -> tuple[dict[str, Any] | None, RowError | None]:
    if len(values) != len(header):
        message = f"{len(values)} fields, the header has {len(header)}"
        return None, row.fail(str(path), None, message)
    for name, value in zip(header, values, strict=True):
        if _has_surrogates(value):
            return None, row.fail(str(path), name or "(unnamed column)", "value is not valid UTF-8")
    return dict(zip(header, values, strict=True)), None


def _has_surrogates(text: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in text)


def read_parquet(path: Path) -> Iterator[RawRow]:
    """Rows of a Parquet file as dicts, numbered from 1."""
    import pyarrow.parquet as pq

    read_bytes(path)
    try:
        table = pq.read_table(path)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several types for unreadable files
        raise file_error(path, f"not a readable Parquet file: {exc}") from None
    if table.num_rows == 0:
        raise file_error(path, "no rows")
    for index, data in enumerate(table.to_pylist()):
        yield RawRow(index, index + 1, "row", data=data)


def decode_utf8(path: Path, data: bytes) -> str:
    """`data` (the bytes of `path`) as text, a leading UTF-8 byte order mark dropped;
    SourceError naming the line and byte when it is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise file_error(path, f"not valid UTF-8 at line {line} (byte {exc.start})") from None


def source_files(name: str, path: Path | None, files: list[str] | None,
                 defaults: list[str] | None = None) -> list[Path]:
    """The files a source reads: `path` itself, or `files` (else `defaults`) inside dir `path`.

    Consumes the recipe's resolved `path`, its `[sources.options] files`, and the adapter's
    default file names; produces the paths in reading order. SourceError if `path` is unset or
    a directory is given without file names.
    """
    if path is None:
        raise SourceError(RowError(name, None, "path", "set `path` to the corpus file or folder"))
    if files:
        return [path / f for f in files]
    if path.is_dir():
        if not defaults:
            raise SourceError(RowError(str(path), None, "path",
                                       "is a folder: name the files in [sources.options] files"))
        return [path / f for f in defaults]
    return [path]
