"""Value readers and the ItemFactory."""

from __future__ import annotations

from pathlib import Path

import pytest

from abstain_data.items import Category, Complexity, Domain, LabelStatus
from abstain_data.sources.base import SourceError, SourceSpec
from abstain_data.sources.file import FileSource
from abstain_data.sources.mapping import (
    FieldProblem,
    ItemFactory,
    answers,
    code,
    flag,
    format_number,
    optional_text,
    text,
)
from abstain_data.sources.readers import RawRow


@pytest.mark.parametrize(("value", "expected"), [
    (None, []),
    ("", []),
    ("Paris", ["Paris"]),
    ("['a', 'b', '']", ["a", "b"]),
    ('["x"]', ["x"]),
    (["a", 2, 3.0, 0.5], ["a", "2", "3", "0.5"]),
    (460.0, ["460"]),
])
def test_answers_accepts_strings_lists_numbers_and_list_strings(value, expected) -> None:
    assert answers(value) == expected


@pytest.mark.parametrize("value", ["[__import__('os').system('true')]", "['a', 'b']]", {"a": 1},
                                   True, [None]])
def test_answers_rejects_code_and_wrong_types(value) -> None:
    with pytest.raises(FieldProblem) as caught:
        answers(value)
    assert caught.value.field == "reference_answers"


def test_scalar_readers() -> None:
    assert format_number(7) == "7" and format_number(2.50) == "2.5"
    assert [flag(v, "f") for v in (True, 0, 1.0, "TRUE", " no ", "1")] == [
        True, False, True, True, False, True]
    with pytest.raises(FieldProblem, match="expected true/false"):
        flag("maybe", "should_abstain")
    assert text("  hi ", "prompt") == "hi"
    for bad, message in ((None, "missing"), ("  ", "empty"), (3, "expected a string")):
        with pytest.raises(FieldProblem, match=message):
            text(bad, "prompt")
    assert optional_text(12, "original_id") == "12" and optional_text("", "topic") is None
    assert code("math", Domain, "domain") is Domain.MATH and code(None, Domain, "domain") is None
    with pytest.raises(FieldProblem, match="unknown domain 'maths'"):
        code("maths", Domain, "domain")


def _factory(tmp_path: Path, **spec) -> ItemFactory:
    return ItemFactory(FileSource(SourceSpec(name="s", adapter="file", path=tmp_path, **spec)),
                       "corpus", "https://example.org")


def test_factory_fills_source_facts_and_rules(tmp_path: Path) -> None:
    factory = _factory(tmp_path, license="cc0-1.0", domain="legal")
    row = RawRow(4, 5, "line")
    item = factory.make(row, "Q?", Category.PREMISE_FALSE, config="c", split="s",
                        original_id="9", reference_answers=["dropped"], rationale="why")
    assert item.reference_answers == [] and item.rationale == "why"
    assert item.domain is Domain.LEGAL and "domain" in item.known
    assert item.to_dict()["source"] == {"dataset": "corpus", "license": "cc0-1.0", "config": "c",
                                 "split": "s", "original_id": "9", "url": "https://example.org",
                                 "row": 4, "topic": None}
    open_item = factory.make(row, "Explain tides.", Category.ANSWERABLE, rationale="x")
    assert open_item.complexity is Complexity.OPEN_ENDED and "complexity" in open_item.known
    assert open_item.rationale is None
    guess = factory.make(row, "Q?", Category.SUBJECTIVE, confidence=0.5,
                         review_reason="uncertain_mapping")
    assert guess.label_status is LabelStatus.NEEDS_REVIEW and guess.confidence == 0.5
    assert guess.review == {"queue_reason": "uncertain_mapping"}


def test_factory_rejects_an_unknown_recipe_domain(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="domain: unknown domain 'cooking'"):
        _factory(tmp_path, domain="cooking")
