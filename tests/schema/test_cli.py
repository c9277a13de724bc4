"""`abstain-data schema` and `abstain-data validate`: output format, exit codes, bad inputs."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from abstain_data.buildfolder import ITEMS, write_items
from abstain_data.cli import app
from abstain_data.items import Category, Item, Source
from abstain_data.schema.validate import SCHEMA_PATH

runner = CliRunner()


def items(n: int = 3) -> list[Item]:
    return [Item(prompt=f"What is {k} plus {k}?", should_abstain=False,
                 category=Category.ANSWERABLE, reference_answers=[str(2 * k)],
                 source=Source(dataset="demo", license="cc-by-4.0", row=k)) for k in range(n)]


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_schema_prints_the_item_schema() -> None:
    code, out, _ = invoke("schema")
    assert code == 0
    assert json.loads(out) == json.loads(SCHEMA_PATH.read_text())


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_valid_file_exits_0_with_a_count(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"items{suffix}"
    write_items(path, items())
    code, out, err = invoke("validate", str(path))
    assert (code, out, err) == (0, "3 items valid\n", "")


def test_a_build_folder_is_validated_through_its_items_parquet(tmp_path: Path) -> None:
    write_items(tmp_path / ITEMS, items(2))
    assert invoke("validate", str(tmp_path)) == (0, "2 items valid\n", "")
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, err = invoke("validate", str(empty))
    assert (code, out) == (1, "")
    assert err == f"error: {empty}: no {ITEMS} in this folder (is it a build folder?)\n"


def test_jsonl_problems_use_1_based_line_numbers(tmp_path: Path) -> None:
    good, second, third = (i.to_dict() for i in items())
    second["source"]["license"] = ""
    third["reference_answers"] = []
    lines = [json.dumps(good), "", json.dumps(second), '{"id": ', json.dumps(third),
             json.dumps(good)]
    path = tmp_path / "items.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = invoke("validate", str(path))
    assert code == 1
    assert out.splitlines() == [
        f"{path}:3: source.license: must not be empty",
        f"{path}:4: $: malformed JSON: Expecting value at column 8",
        f"{path}:5: reference_answers: an answerable templated item needs at least one answer",
        f"{path}:6: id: duplicate id {good['id']} (first at row 1)",
    ]
    assert err == "4 of 5 items invalid\n"


def test_undecodable_line_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "items.jsonl"
    path.write_bytes(json.dumps(items(1)[0].to_dict()).encode() + b"\n\xff\xfe{}\n")
    code, out, _ = invoke("validate", str(path))
    assert code == 1
    assert out == f"{path}:2: $: not UTF-8 (byte 1)\n"


def test_parquet_problems_use_0_based_rows(tmp_path: Path) -> None:
    path = tmp_path / "items.parquet"
    bad = items()
    bad[2].should_abstain = True
    bad[2].reference_answers = []
    write_items(path, bad)
    code, out, _ = invoke("validate", str(path))
    assert code == 1
    assert out == f"{path}:2: should_abstain: is true but category answerable means false\n"


def test_parquet_with_malformed_json_cell_and_missing_columns(tmp_path: Path) -> None:
    rows = [{"id": "ad-0000000000000000", "prompt": "Hi?", "review": "{not json"},
            {"id": "ad-0000000000000001", "prompt": "Yo?", "review": None}]
    path = tmp_path / "odd.parquet"
    pq.write_table(pa.Table.from_pylist(rows), path)
    code, out, _ = invoke("validate", str(path))
    lines = out.splitlines()
    assert code == 1
    assert lines[0].startswith(f"{path}:0: review: malformed JSON: ")
    assert f"{path}:1: category: missing" in lines
    assert all(line.startswith(f"{path}:1: ") for line in lines[1:])


@pytest.mark.parametrize(("name", "content", "message"), [
    ("missing.jsonl", None, "no such file"),
    ("broken.parquet", b"PAR1 this is not parquet", "not a readable Parquet file"),
    ("items.csv", b"prompt\nhi\n", "unknown format '.csv'; expected .jsonl, .parquet"),
])
def test_unreadable_files_are_one_line_errors(tmp_path: Path, name: str, content: bytes | None,
                                              message: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    code, out, err = invoke("validate", str(path))
    assert (code, out) == (1, "")
    assert err.startswith(f"error: {path}: {message}")
    assert err.count("\n") == 1 and "Traceback" not in err


def test_empty_jsonl_has_no_items_to_fail(tmp_path: Path) -> None:
    path = tmp_path / "none.jsonl"
    path.write_text("\n", encoding="utf-8")
    assert invoke("validate", str(path)) == (0, "0 items valid\n", "")


def test_help_says_which_row_numbering_applies() -> None:
    code, out, _ = invoke("validate", "--help")
    assert code == 0
    flat = " ".join(out.split())
    assert "1-based line number in a JSONL file" in flat and "0-based row index" in flat
