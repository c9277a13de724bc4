"""KUQ through the real `datasets.load_dataset` on a local folder in the Hub format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from abstain_data.items import Category, LabelStatus
from abstain_data.sources.kuq import code_for

ROWS = [
    {"question": "What is the capital of Peru?", "answer": ["Lima"], "unknown": False,
     "source": "squad", "category": None},
    {"question": "Who will win the 2100 World Cup?", "answer": ["not yet happened"],
     "unknown": True, "source": "turk", "category": "future unknown"},
    {"question": "What if Rome never fell?", "answer": ["hypothetical"], "unknown": True,
     "source": "turk", "category": "counterfactual"},
    {"question": "Why is the moon made of cheese?", "answer": ["false premise"],
     "unknown": True, "source": "turk", "category": "question with false assumption"},
    {"question": "Is this odd?", "answer": [], "unknown": True, "source": "turk",
     "category": "mystery"},
]


def test_kuq_fixture(read, tmp_path: Path) -> None:
    folder = tmp_path / "kuq"
    folder.mkdir()
    (folder / "knowns_unknowns.jsonl").write_text("".join(json.dumps(r) + "\n" for r in ROWS))
    (folder / "unknowns_all.jsonl").write_text(json.dumps({"other": 1, "schema": "x"}) + "\n")
    items, errors = read("kuq", folder, split="train",
                         options={"data_files": "knowns_unknowns.jsonl",
                                  "cache_dir": str(tmp_path / "cache")})
    assert [i.category for i in items] == [Category.ANSWERABLE, Category.UNKNOWN_FUTURE,
                                           Category.SUBJECTIVE, Category.PREMISE_FALSE]
    peru, future, what_if, _ = items
    assert peru.reference_answers == ["Lima"] and peru.source.config == "squad"
    assert future.rationale == "not yet happened" and future.reference_answers == []
    assert future.label_status is LabelStatus.SOURCE
    assert what_if.label_status is LabelStatus.NEEDS_REVIEW and what_if.confidence == 0.5
    assert {i.source.license for i in items} == {"mit"}
    assert [(e.row, e.field) for e in errors] == [(5, "category")]


@pytest.mark.parametrize(("category", "code"), [
    ("Future Unknown", Category.UNKNOWN_FUTURE),
    ("unsolved_problem", Category.UNKNOWN_UNSOLVED),
    ("controversial/debatable", Category.SUBJECTIVE),
    ("ambiguous", Category.UNDER_INTENT),
])
def test_category_names_in_any_spelling(category: str, code: Category) -> None:
    assert code_for(category)[0] is code
