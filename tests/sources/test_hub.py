"""The `hub` adapter through the real `datasets.load_dataset` on a local dataset folder."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from abstain_data.items import Category
from abstain_data.sources.base import SourceError, SourceSpec
from abstain_data.sources.hub import HubSource

ROWS = [
    {"q": "Who painted the Mona Lisa?", "a": ["Leonardo da Vinci"], "flag": 0},
    {"q": "Who will paint the next masterpiece?", "a": [], "flag": 1},
    {"q": None, "a": [], "flag": 0},
]


def _dataset(tmp_path: Path) -> Path:
    folder = tmp_path / "ds"
    (folder / "data").mkdir(parents=True)
    table = pa.Table.from_pylist(ROWS, schema=pa.schema(
        [("q", pa.string()), ("a", pa.list_(pa.string())), ("flag", pa.int64())]))
    pq.write_table(table.slice(0, 2), folder / "data" / "train-00000.parquet")
    pq.write_table(table.slice(2), folder / "data" / "test-00000.parquet")
    return folder


def _spec(tmp_path: Path, **extra) -> SourceSpec:
    options = {"cache_dir": str(tmp_path / "cache"),
               "unanswerable_category": "unknown.future"}
    return SourceSpec(name="hubqa", adapter="hub", path=_dataset(tmp_path), split="train",
                      fields={"prompt": "q", "reference_answers": "a", "should_abstain": "flag"},
                      options=options, **extra)


def test_hub_source_maps_rows_with_the_file_mapping(tmp_path: Path) -> None:
    source = HubSource(_spec(tmp_path))
    records = list(source.records())
    items = [r.item for r in records]
    assert [i.category for i in items] == [Category.ANSWERABLE, Category.UNKNOWN_FUTURE]
    assert items[0].reference_answers == ["Leonardo da Vinci"]
    assert items[0].source.split == "train" and items[0].source.dataset == "hubqa"
    assert len(source.revision()) >= 16


def test_hub_row_errors_and_pinned_revision(tmp_path: Path) -> None:
    source = HubSource(_spec(tmp_path, revision="abc123"))
    source.spec.split = "test"
    (record,) = list(source.records())
    assert record.error is not None and record.error.field == "q (-> prompt)"
    assert str(record.error).startswith(
        f"{source.spec.path}:1: q (-> prompt): missing value (row 1)")
    assert source.revision() == "abc123"


@pytest.mark.parametrize(("change", "message"), [
    ({"split": None}, "split: set `split` \\(one of: .*train"),
    ({"fields": {"prompt": "question"}}, "prompt: column 'question' not found"),
    ({"path": Path("/nonexistent/dataset/folder")}, "cannot load dataset"),
    ({"path": None}, "set `hub_id` or `path`"),
])
def test_hub_source_errors(tmp_path: Path, change: dict, message: str) -> None:
    spec = _spec(tmp_path)
    for key, value in change.items():
        setattr(spec, key, value)
    with pytest.raises(SourceError, match=message):
        list(HubSource(spec).records())
