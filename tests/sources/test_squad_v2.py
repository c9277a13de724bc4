"""SQuAD 2.0 through the real `datasets.load_dataset` on a local folder in the Hub format."""

from __future__ import annotations

import json
from pathlib import Path

import datasets
import pytest

from abstain_data.items import Category
from abstain_data.sources.base import SourceError
from abstain_data.sources.squad_v2 import RATIONALE

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


OFFICIAL = {
    "version": "v2.0",
    "data": [{
        "title": "Normans",
        "paragraphs": [{
            "context": PASSAGE,
            "qas": [
                {"question": "In what country is Normandy located?",
                 "id": "56ddde6b9a695914005b9628",
                 "answers": [{"text": "France", "answer_start": 24},
                             {"text": "France", "answer_start": 24}],
                 "is_impossible": False},
                {"plausible_answers": [{"text": "Normans", "answer_start": 36}],
                 "question": "Who gave their name to Normandy in the 1000's?",
                 "id": "5ad39d53604f3c001a3fe8d1", "answers": [], "is_impossible": True},
            ],
        }, {
            "context": "The Norman dynasty had a major political influence on Europe.",
            "qas": [
                {"question": "What kind of influence did the Norman dynasty have?",
                 "id": "56dde0379a695914005b9636",
                 "answers": [{"text": "major political", "answer_start": 25}],
                 "is_impossible": True},
            ],
        }],
    }],
}


def test_squad_v2_reads_the_official_json_file(read, tmp_path: Path) -> None:
    path = tmp_path / "dev-v2.0.json"
    path.write_text(json.dumps(OFFICIAL), encoding="utf-8")

    items, errors = read("squad_v2", path, split="validation")

    france, normans = items
    assert (france.prompt, france.category, france.reference_answers) == (
        "In what country is Normandy located?", Category.ANSWERABLE, ["France"])
    assert normans.category is Category.CTX_MISSING and normans.reference_answers == []
    assert normans.context == PASSAGE and normans.rationale == RATIONALE
    assert (normans.source.topic, normans.source.original_id, normans.source.row) == (
        "Normans", "5ad39d53604f3c001a3fe8d1", 1)
    [mismatch] = errors
    assert (mismatch.file, mismatch.row, mismatch.field) == (str(path), 3, "should_abstain")
    assert "is_impossible is True but the question has 1 answers" in mismatch.message


def test_squad_v2_official_file_of_another_shape_is_a_source_error(read, tmp_path: Path) -> None:
    path = tmp_path / "dev-v2.0.json"
    path.write_text(json.dumps({"data": [{"title": "x", "paragraphs": {"context": "y"}}]}),
                    encoding="utf-8")

    with pytest.raises(SourceError, match=r"dev-v2\.0\.json: paragraphs: expected a list of "
                                          r"objects at data\[0\]\.paragraphs"):
        read("squad_v2", path, split="validation")
