"""UMWP on the real file and on fixtures."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from abstain_data.items import Category, Domain


def test_real_file_counts_and_categories(read, corpora: Path) -> None:
    items, errors = read("umwp", corpora / "umwp")
    assert errors == [] and len(items) == 5200
    assert Counter(i.category for i in items) == {
        Category.ANSWERABLE: 2600,
        Category.UNDER_VARIABLES: 840 + 1263 + 103,
        Category.PREMISE_FALSE: 275,
        Category.UNDER_INTENT: 119,
    }
    assert all(i.domain is Domain.MATH and "domain" in i.known for i in items)
    first = items[0]
    assert first.reference_answers == ["460"] and first.source.topic == "umwp:1"
    variant = next(i for i in items if i.source.original_id == "2501")
    assert variant.source.topic == "umwp:1" and variant.reference_answers == []
    assert variant.rationale == "UMWP category 4: unrelated object"


def test_fixture_bad_rows(read, tmp_path: Path) -> None:
    rows = [
        {"id": 1, "question": "2 plus 2.5?", "answer": [4.5], "answerable": True,
         "category": None, "relevant_ids": None, "source": "SVAMP"},
        {"id": 2, "question": "Some apples. How many?", "answer": None, "answerable": False,
         "category": 9, "relevant_ids": [1], "source": "SVAMP"},
        {"id": 3, "question": "No answer given?", "answer": None, "answerable": True,
         "category": None, "relevant_ids": None, "source": "SVAMP"},
    ]
    path = tmp_path / "StandardDataset.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    items, errors = read("umwp", path)
    assert items[0].reference_answers == ["4.5"]
    assert [(e.row, e.field) for e in errors] == [(2, "category"), (3, "reference_answers")]
