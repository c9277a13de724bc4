"""FalseQA on the real files and on fixtures."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from abstain_data.items import Category, Complexity


def test_real_files_row_and_label_counts(read, corpora: Path) -> None:
    items, errors = read("falseqa", corpora / "falseqa")
    assert errors == []
    counts = Counter((i.source.split, i.category) for i in items)
    assert counts == {
        ("train", Category.PREMISE_FALSE): 1187, ("train", Category.ANSWERABLE): 1187,
        ("valid", Category.PREMISE_FALSE): 491, ("valid", Category.ANSWERABLE): 491,
        ("test", Category.PREMISE_FALSE): 687, ("test", Category.ANSWERABLE): 687,
    }
    assert {i.source.license for i in items} == {"none-stated"}
    assert all(i.rationale for i in items if i.should_abstain)
    # label 0 judges the premise, not answerability: shipped as source, with confidence 0.8
    assert {(i.category, i.confidence, i.label_status.value) for i in items} == {
        (Category.PREMISE_FALSE, 1.0, "source"), (Category.ANSWERABLE, 0.8, "source")}


def test_the_seven_double_labelled_questions_come_through_with_both_categories(
        read, corpora: Path) -> None:
    items, _ = read("falseqa", corpora / "falseqa")
    by_prompt: dict[str, set[Category]] = defaultdict(set)
    for item in items:
        by_prompt[item.prompt].add(item.category)
    both = {p for p, cats in by_prompt.items() if len(cats) > 1}
    assert len(both) == 7
    assert all(by_prompt[p] == {Category.PREMISE_FALSE, Category.ANSWERABLE} for p in both)


def test_test_split_list_string_answers_are_parsed(read, corpora: Path) -> None:
    items, _ = read("falseqa", corpora / "falseqa", options={"files": ["test.csv"]})
    premise = next(i for i in items if i.prompt == "Why carbon dioxide is composed of oxygen?")
    assert premise.rationale == (
        "Carbon dioxide is composed of two oxygen atoms and one carbon atom.")
    assert premise.source.config == premise.source.split == "test"


def test_fixture_mapping_and_bad_label(read, tmp_path: Path) -> None:
    (tmp_path / "train.csv").write_text(
        "question,answer,label\n"
        "What do fish breathe?,\"['Oxygen from water', 'Dissolved oxygen']\",0\n"
        "Why do fish fly to school?,Fish cannot fly.,1\n"
        "Broken?,x,2\n")
    items, errors = read("falseqa", tmp_path, options={"files": ["train.csv"]})
    fish, flying = items
    assert fish.category is Category.ANSWERABLE and fish.complexity is Complexity.OPEN_ENDED
    assert fish.reference_answers == ["Oxygen from water", "Dissolved oxygen"]
    assert flying.category is Category.PREMISE_FALSE and flying.rationale == "Fish cannot fly."
    assert flying.reference_answers == []
    (error,) = errors
    assert (error.row, error.field) == (4, "should_abstain") and "got '2'" in error.message
