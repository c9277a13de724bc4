"""The native readers: row numbering, row-level errors and file-level errors."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from abstain_data.sources.base import SourceError
from abstain_data.sources.readers import file_revision, read_rows, source_files


def test_jsonl_numbers_lines_skips_blank_ones_and_reports_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"q": "one"}\n\n{"q": \n[1, 2]\n{"q": "caf\xe9"}\n{"q": "two"}\n')
    rows = list(read_rows(path))
    assert [(r.index, r.number) for r in rows] == [(0, 1), (1, 3), (2, 4), (3, 5), (4, 6)]
    assert rows[0].data == {"q": "one"} and rows[4].data == {"q": "two"}
    assert "malformed JSON" in str(rows[1].error) and str(rows[1].error).startswith(f"{path}:3:")
    assert "expected a JSON object, got list" in str(rows[2].error)
    assert "not valid UTF-8" in str(rows[3].error) and rows[3].error.row == 5
    assert str(rows[3].error).endswith("(line 5)")


def test_csv_rows_are_numbered_by_their_first_line_and_bad_bytes_name_the_column(
        tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(b'question,answer\n"multi\nline",x\nbad,\xff\xfe\nshort\nlast,y\n')
    rows = list(read_rows(path))
    assert [r.number for r in rows] == [2, 4, 5, 6]
    assert rows[0].data == {"question": "multi\nline", "answer": "x"}
    assert rows[1].error.field == "answer" and "not valid UTF-8" in rows[1].error.message
    assert "1 fields, the header has 2" in rows[2].error.message
    assert rows[3].data == {"question": "last", "answer": "y"}


def test_json_reads_a_list_or_the_list_under_a_key(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"example": [{"q": 1}, "oops"]}))
    rows = list(read_rows(path, key="example"))
    assert rows[0].data == {"q": 1} and rows[0].unit == "list item"
    assert "expected a JSON object, got str" in str(rows[1].error)
    with pytest.raises(SourceError, match="expected a JSON list, got dict.*options"):
        list(read_rows(path))
    with pytest.raises(SourceError, match="no key 'items'"):
        list(read_rows(path, key="items"))


def test_parquet_rows(tmp_path: Path) -> None:
    path = tmp_path / "a.parquet"
    pq.write_table(pa.table({"q": ["a", "b"], "n": [1, 2]}), path)
    assert [(r.number, r.data) for r in read_rows(path)] == [(1, {"q": "a", "n": 1}),
                                                            (2, {"q": "b", "n": 2})]


@pytest.mark.parametrize(("name", "content", "message"), [
    ("missing.jsonl", None, "file not found"),
    ("empty.jsonl", b"\n\n", "file is empty"),
    ("empty.csv", b"", "file is empty"),
    ("header.csv", b"a,b\n", "no rows after the header"),
    ("latin.json", b'[{"q": "caf\xe9"}]', "not valid UTF-8 at line 1"),
    ("broken.json", b'[{"q": 1},\n', "malformed JSON at line 2"),
    ("empty.json", b"[]", "the list is empty"),
    ("data.txt", b"hello", "unknown file type '.txt'"),
    ("bad.parquet", b"not parquet", "not a readable Parquet file"),
])
def test_unreadable_files_are_source_errors_naming_the_file(
        tmp_path: Path, name: str, content: bytes | None, message: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(SourceError, match=message) as caught:
        list(read_rows(path))
    assert caught.value.error.file == str(path)


def test_source_files_and_revision(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("x\n1\n")
    (tmp_path / "b.csv").write_text("x\n2\n")
    assert source_files("s", tmp_path, None, ["a.csv", "b.csv"]) == [tmp_path / "a.csv",
                                                                   tmp_path / "b.csv"]
    assert source_files("s", tmp_path, ["b.csv"], ["a.csv"]) == [tmp_path / "b.csv"]
    assert source_files("s", tmp_path / "a.csv", None, ["zzz"]) == [tmp_path / "a.csv"]
    with pytest.raises(SourceError, match="is a folder"):
        source_files("s", tmp_path, None)
    with pytest.raises(SourceError, match="set `path`"):
        source_files("s", None, None)
    before = file_revision([tmp_path / "a.csv"])
    assert len(before) == 16 and before == file_revision([tmp_path / "a.csv"])
    (tmp_path / "a.csv").write_text("x\n3\n")
    assert file_revision([tmp_path / "a.csv"]) != before


BOM_FILES = {
    ".jsonl": '{"q": "Who wrote Faust?", "a": "Goethe"}\n{"q": "Où est Lyon ?", "a": "France"}\n',
    ".json": '[{"q": "Who wrote Faust?", "a": "Goethe"}, {"q": "Où est Lyon ?", "a": "France"}]',
    ".csv": 'q,a\r\nWho wrote Faust?,Goethe\r\nOù est Lyon ?,France\r\n',
}


@pytest.mark.parametrize("suffix", sorted(BOM_FILES))
def test_a_utf8_byte_order_mark_is_accepted(read, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"excel{suffix}"
    path.write_bytes(codecs.BOM_UTF8 + BOM_FILES[suffix].encode("utf-8"))

    rows = list(read_rows(path))
    items, errors = read("file", path, fields={"prompt": "q", "reference_answers": "a"})

    assert [r.error for r in rows] == [None, None]
    assert [r.data for r in rows] == [{"q": "Who wrote Faust?", "a": "Goethe"},
                                      {"q": "Où est Lyon ?", "a": "France"}]
    assert errors == []
    assert [(i.prompt, i.reference_answers) for i in items] == [
        ("Who wrote Faust?", ["Goethe"]), ("Où est Lyon ?", ["France"])]
