"""SQuAD 2.0 through the real `datasets.load_dataset` on a local folder in the Hub format."""

from __future__ import annotations

from pathlib import Path

import datasets
import pytest

from abstain_data.items import Category
from abstain_data.sources.base import SourceError

FEATURES = datasets.Features({
    "id": datasets.Value("string"),
    "title": datasets.Value("string"),
    "context": datasets.Value("string"),
    "question": datasets.Value("string"),
    "answers": datasets.Sequence({"text": datasets.Value("string"),
                                  "answer_start": datasets.Value("int32")}),
})
PASSAGE = "Normandy is a region in France. The Normans gave their name to it in the 10th century."
ROWS = [
    {"id": "56ddde6b9a695914005b9628", "title": "Normans", "context": PASSAGE,
     "question": "In what country is Normandy located?",
     "answers": {"text": ["France", "France", "France"], "answer_start": [24, 24, 24]}},
    {"id": "5ad39d53604f3c001a3fe8d1", "title": "Normans", "context": PASSAGE,
     "question": "Who gave their name to Normandy in the 1000's?",
     "answers": {"text": [], "answer_start": []}},
    {"id": "broken", "title": "Normans", "context": PASSAGE, "question": "",
     "answers": {"text": ["x"], "answer_start": [0]}},
]


@pytest.fixture
def squad(tmp_path: Path) -> Path:
    folder = tmp_path / "squad_v2"
    (folder / "squad_v2").mkdir(parents=True)
    data = datasets.Dataset.from_list(ROWS, features=FEATURES)
    data.to_parquet(str(folder / "squad_v2" / "validation-00000-of-00001.parquet"))
    return folder


def test_squad_v2_fixture(read, squad: Path, tmp_path: Path) -> None:
    items, errors = read("squad_v2", squad, split="validation",
                         options={"cache_dir": str(tmp_path / "cache")})
    france, normans = items
    assert france.category is Category.ANSWERABLE and france.reference_answers == ["France"]
    assert normans.category is Category.CTX_MISSING and normans.should_abstain
    assert normans.reference_answers == [] and normans.context == PASSAGE
    assert normans.rationale == "SQuAD 2.0: the passage does not contain the answer"
    assert (normans.source.topic, normans.source.original_id, normans.source.split) == (
        "Normans", "5ad39d53604f3c001a3fe8d1", "validation")
    assert normans.source.license == "cc-by-sa-4.0"
    assert [(e.row, e.field) for e in errors] == [(3, "prompt")]


def test_squad_v2_unknown_split(read, squad: Path, tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="cannot load dataset"):
        read("squad_v2", squad, split="nosuchsplit",
             options={"cache_dir": str(tmp_path / "cache")})
