"""The generic `file` adapter over JSONL, JSON, CSV and Parquet, and its bad inputs."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from abstain_data.items import Category, Complexity, Domain, LabelStatus
from abstain_data.sources.base import SourceError, SourceSpec
from abstain_data.sources.file import FileSource

FIELDS = {"prompt": "question", "reference_answers": "answers",
          "should_abstain": "unanswerable", "context": "passage"}
ROWS = [
    {"question": "What is the capital of France?", "answers": ["Paris"], "unanswerable": False,
     "passage": None},
    {"question": "What did the passage say about Mars?", "answers": [], "unanswerable": True,
     "passage": "Venus is hot."},
]


def _write(path: Path, rows: list[dict]) -> Path:
    if path.suffix == ".jsonl":
        path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    elif path.suffix == ".json":
        path.write_text(json.dumps({"data": rows}))
    elif path.suffix == ".parquet":
        pq.write_table(pa.Table.from_pylist(rows), path)
    else:
        header = list(rows[0])
        lines = [",".join(header)]
        for row in rows:
            lines.append(",".join(json.dumps(str(row[k]) if row[k] is not None else "")
                                  for k in header))
        path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("suffix", [".jsonl", ".json", ".csv", ".parquet"])
def test_every_format_maps_the_same_rows(read, tmp_path: Path, suffix: str) -> None:
    path = _write(tmp_path / f"qa{suffix}", ROWS)
    items, errors = read("file", path, name="my-qa", license="cc-by-4.0", fields=FIELDS,
                         options={"unanswerable_category": "ctx.missing", "key": "data"})
    assert errors == []
    first, second = items
    assert first.category is Category.ANSWERABLE and first.reference_answers == ["Paris"]
    assert first.context is None and first.should_abstain is False
    assert second.category is Category.CTX_MISSING and second.reference_answers == []
    assert second.context == "Venus is hot."
    assert first.source.dataset == "my-qa" and first.source.license == "cc-by-4.0"
    assert [i.record for i in items] == ["my-qa#0", "my-qa#1"]
    assert [i.source.row for i in items] == [0, 1]


def test_category_column_and_optional_fields(read, tmp_path: Path) -> None:
    path = tmp_path / "qa.csv"
    path.write_text(
        "id,q,a,cat,dom,cx,top,why\n"
        "7,Who wrote Hamlet?,\"['Shakespeare', 'W. Shakespeare']\",answerable,culture,"
        "templated,plays,\n"
        "8,Who will win in 2090?,,unknown.future,sports,,,not yet played\n"
        "9,Is it fine?,,,,,,\n")
    fields = {"prompt": "q", "reference_answers": "a", "category": "cat", "domain": "dom",
              "complexity": "cx", "topic": "top", "original_id": "id", "rationale": "why"}
    items, errors = read("file", path, fields=fields)
    assert errors == []
    hamlet, future, fine = items
    assert hamlet.reference_answers == ["Shakespeare", "W. Shakespeare"]
    assert (hamlet.domain, hamlet.complexity, hamlet.source.topic, hamlet.source.original_id) == (
        Domain.CULTURE, Complexity.TEMPLATED, "plays", "7")
    assert hamlet.known == frozenset({"domain", "complexity"})
    assert future.category is Category.UNKNOWN_FUTURE and future.should_abstain
    assert future.rationale == "not yet played"
    assert fine.category is Category.ANSWERABLE and fine.known == frozenset({"complexity"})


def test_recipe_domain_is_stated_for_every_row(read, tmp_path: Path) -> None:
    path = _write(tmp_path / "qa.jsonl", ROWS[:1])
    items, _ = read("file", path, fields={"prompt": "question"}, domain="medical")
    assert items[0].domain is Domain.MEDICAL and "domain" in items[0].known


def test_bad_rows_are_row_errors_naming_file_row_and_field(read, tmp_path: Path) -> None:
    path = tmp_path / "qa.jsonl"
    path.write_bytes(
        b'{"question": "fine?", "cat": "answerable"}\n'
        b'{"question": "unknown code", "cat": "ctx.nowhere"}\n'
        b'{"question": 42}\n'
        b'{"text": "no question column"}\n'
        b'{"question": "bad flag", "u": "perhaps"}\n'
        b'{"question": "disagrees", "cat": "subjective", "u": false}\n'
        b'{"question": "bad domain", "d": "cooking"}\n'
        b'{"question": \n'
        b'{"question": "caf\xe9"}\n')
    fields = {"prompt": "question", "category": "cat", "should_abstain": "u", "domain": "d"}
    items, errors = read("file", path, fields=fields)
    assert len(items) == 1 and len(errors) == 8
    assert [(e.row, e.field) for e in errors] == [
        (2, "cat (-> category)"), (3, "question (-> prompt)"), (4, "question (-> prompt)"),
        (5, "u (-> should_abstain)"), (6, "u (-> should_abstain)"), (7, "d (-> domain)"),
        (8, None), (9, None)]
    assert str(errors[0]).startswith(
        f"{path}:2: cat (-> category): unknown category 'ctx.nowhere'")
    assert "expected a string, got int (line 3)" in str(errors[1])
    assert "column 'question' missing" in str(errors[2])


def test_unanswerable_row_without_a_code_stops_the_source(read, tmp_path: Path) -> None:
    path = _write(tmp_path / "qa.jsonl", ROWS)
    with pytest.raises(SourceError) as caught:
        read("file", path, fields=FIELDS)
    message = str(caught.value)
    assert message.startswith(f"{path}:2: should_abstain:")
    assert "[sources.options] unanswerable_category" in message


@pytest.mark.parametrize(("spec", "message"), [
    ({"fields": {"question": "q"}}, "fields.question: unknown item field"),
    ({"fields": {"context": "c"}}, "fields.prompt: map the prompt column"),
    ({"fields": {"prompt": "q"}, "options": {"unanswerable_category": "bait.homonym"}},
     "'bait.homonym' is not an unanswerable code"),
    ({"fields": {"prompt": "q"}, "options": {"unanswerable_category": "nope"}},
     "unknown category 'nope'"),
])
def test_bad_mappings_are_source_errors(read, tmp_path: Path, spec: dict, message: str) -> None:
    path = _write(tmp_path / "qa.jsonl", [{"q": "x"}])
    with pytest.raises(SourceError, match=message):
        read("file", path, **spec)


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_a_mapped_column_missing_from_a_table_is_a_source_error(read, tmp_path: Path,
                                                                suffix: str) -> None:
    path = _write(tmp_path / f"qa{suffix}", ROWS)
    with pytest.raises(SourceError, match="context: column 'text' not found"):
        read("file", path, fields={"prompt": "question", "context": "text"})


def test_several_files_limit_and_revision(read, tmp_path: Path) -> None:
    _write(tmp_path / "a.jsonl", ROWS[:1])
    _write(tmp_path / "b.jsonl", [{"question": "Second file?"}, {"question": "Third row?"}])
    spec = {"fields": {"prompt": "question"}, "options": {"files": ["a.jsonl", "b.jsonl"]}}
    items, _ = read("file", tmp_path, **spec)
    assert [i.prompt for i in items] == ["What is the capital of France?", "Second file?",
                                         "Third row?"]
    limited, _ = read("file", tmp_path, limit=2, **spec)
    assert len(limited) == 2
    source = FileSource(SourceSpec(name="s", adapter="file", path=tmp_path, **spec))
    revision = source.revision()
    (tmp_path / "b.jsonl").write_text('{"question": "changed"}\n')
    assert len(revision) == 16 and source.revision() != revision


def test_missing_file_is_a_source_error(read, tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="file not found"):
        read("file", tmp_path / "nope.jsonl", fields={"prompt": "q"})


def test_the_embedded_demo_corpus_reads_through_the_file_adapter(read) -> None:
    demo = Path(__file__).resolve().parents[2] / "abstain_data" / "demo"
    files = sorted(p.name for p in demo.glob("*.jsonl"))
    assert files, "the demo corpus is missing"
    fields = {"prompt": "question", "reference_answers": "answers", "context": "context",
              "topic": "topic", "domain": "domain", "complexity": "complexity",
              "original_id": "id"}
    items, errors = read("file", demo, name="demo", license="cc-by-4.0", fields=fields,
                         options={"files": files})
    rows = sum(len([x for x in (demo / f).read_text().splitlines() if x.strip()])
               for f in files)
    assert errors == [] and len(items) == rows
    assert all(i.category is Category.ANSWERABLE for i in items)
    assert all(i.label_status is LabelStatus.SOURCE for i in items)
    assert all(i.known >= {"domain", "complexity"} for i in items)
    assert any(i.context for i in items) and any(i.context is None for i in items)
    assert all(i.reference_answers or i.complexity is Complexity.OPEN_ENDED for i in items)
    assert len({i.source.original_id for i in items}) == rows
