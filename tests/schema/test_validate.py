"""validate_items: schema problems with JSON paths, every cross-field rule, and ValidateStep."""

from __future__ import annotations

import copy
import json
from typing import Any

import jsonschema
import pytest

from abstain_data.items import (
    Category,
    Complexity,
    Item,
    LabelStatus,
    Source,
    Transform,
    pair_id_for,
)
from abstain_data.pipeline.step import Batch, BuildContext, FateKind
from abstain_data.pipeline.stream import write_stream
from abstain_data.schema.validate import (
    SCHEMA_PATH,
    Problem,
    ValidateStep,
    item_schema,
    validate_items,
)


def answerable(prompt: str = "What is the capital of France?") -> Item:
    return Item(prompt=prompt, should_abstain=False, category=Category.ANSWERABLE,
                source=Source(dataset="demo", license="cc-by-4.0"), reference_answers=["Paris"],
                record=f"demo#{prompt}")


def variant_of(parent: Item) -> Item:
    """An unanswerable variant paired with `parent` (the parent gets the pair id too)."""
    parent.pair_id = pair_id_for(parent.id)
    return Item(prompt=parent.prompt.replace("France", "Atlantis"), should_abstain=True,
                category=Category.ENTITY_FABRICATED, source=parent.source,
                transform=Transform("fabricated_entity", "1", {"k": 1}, 13),
                parent_id=parent.id, pair_id=parent.pair_id, label_status=LabelStatus.AUTO,
                record=f"fabricated_entity:{parent.record}#0")


def with_changes(data: dict[str, Any], **changes: Any) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    changed.update(changes)
    return changed


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = item_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(json.loads(SCHEMA_PATH.read_text()))


def test_valid_items_have_no_problems() -> None:
    parent = answerable()
    variant = variant_of(parent)
    reading = Item(prompt="Who wrote it?", should_abstain=False, category=Category.ANSWERABLE,
                   context="Anna wrote the letter.", reference_answers=["Anna"],
                   source=Source(dataset="demo", license="cc-by-4.0", row=3, topic="letters"))
    missing = Item(prompt="Who read it?", should_abstain=True, category=Category.CTX_MISSING,
                   context="Anna wrote the letter.", source=reading.source)
    open_ended = Item(prompt="Explain how tides work.", should_abstain=False,
                      category=Category.ANSWERABLE, complexity=Complexity.OPEN_ENDED,
                      source=reading.source)
    dicts = [i.to_dict() for i in (parent, variant, reading, missing, open_ended)]
    assert validate_items(dicts) == []


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"prompt": ""}, "prompt", "must not be empty"),
    ({"prompt": "x" * 4001}, "prompt", "must be at most 4000 characters (has 4001)"),
    ({"prompt": "bell\u0007"}, "prompt", "contains control characters"),
    ({"should_abstain": "no"}, "should_abstain", 'expected boolean, got string "no"'),
    ({"category": "ctx.bogus"}, "category", '"ctx.bogus" is not one of "ctx.missing", '),
    ({"reference_answers": ["Paris", ""]}, "reference_answers[1]", "must not be empty"),
    ({"reference_answers": "Paris"}, "reference_answers", 'expected array, got string "Paris"'),
    ({"confidence": 1.5}, "confidence", "1.5 is greater than the maximum of 1"),
    ({"schema_version": "0.9"}, "schema_version", 'must be "1.0", got "0.9"'),
    ({"split": "dev"}, "split", '"dev" is not one of "train", "validation", "test", null'),
    ({"id": "item-1"}, "id", '"item-1" does not match ^ad-[0-9a-f]{16}$'),
    ({"pair_id": "pair-xyz"}, "pair_id", '"pair-xyz" does not match'),
    ({"extra": 1}, "extra", "unknown field"),
    ({"source": {"dataset": "demo"}}, "source.license", "missing"),
    ({"source": {"dataset": "demo", "license": "x", "row": -1}}, "source.row",
     "-1 is less than the minimum of 0"),
    ({"transform": {"builder": "", "builder_version": "1", "params": {}, "seed": 1}},
     "transform.builder", "must not be empty"),
])
def test_schema_problems_name_the_json_path(changes: dict, field: str, message: str) -> None:
    data = with_changes(answerable().to_dict(), **changes)
    problems = validate_items([data])
    assert problems and problems[0].row == 0
    assert (problems[0].field, problems[0].message[:len(message)]) == (field, message)
    assert all("\n" not in p.message for p in problems)


def test_missing_field_and_non_objects() -> None:
    data = answerable().to_dict()
    del data["prompt"]
    assert validate_items([data, [1, 2], "text"]) == [
        Problem(0, "prompt", "missing"),
        Problem(1, "$", "expected object, got array [1, 2]"),
        Problem(2, "$", 'expected object, got string "text"'),
    ]


def test_long_values_are_shortened_in_messages() -> None:
    data = with_changes(answerable().to_dict(), domain="d" * 500)
    (problem,) = validate_items([data])
    assert problem.field == "domain" and len(problem.message) < 300 and "…" in problem.message


def test_category_must_agree_with_should_abstain() -> None:
    data = with_changes(answerable().to_dict(), should_abstain=True, reference_answers=[])
    assert validate_items([data]) == [
        Problem(0, "should_abstain", "is true but category answerable means false")]


def test_no_reference_answers_on_unanswerable_items() -> None:
    parent = answerable()
    variant = variant_of(parent).to_dict()
    variant["reference_answers"] = ["Paris"]
    assert validate_items([parent.to_dict(), variant]) == [
        Problem(1, "reference_answers", "must be empty on an unanswerable item")]


def test_answerable_templated_items_need_an_answer() -> None:
    data = with_changes(answerable().to_dict(), reference_answers=[])
    assert validate_items([data]) == [Problem(
        0, "reference_answers", "an answerable templated item needs at least one answer")]
    open_ended = with_changes(data, complexity="open_ended")
    assert validate_items([open_ended]) == []


def test_ctx_categories_need_a_context() -> None:
    item = Item(prompt="Who read it?", should_abstain=True, category=Category.CTX_MISSING,
                context="  ", source=Source(dataset="demo", license="cc-by-4.0"))
    data = item.to_dict()
    assert validate_items([data]) == [
        Problem(0, "context", "category ctx.missing needs a context")]


def test_id_must_be_the_content_id() -> None:
    data = with_changes(answerable().to_dict(), prompt="What is the capital of Spain?")
    (problem,) = validate_items([data])
    assert problem.field == "id"
    assert problem.message.startswith(f"{data['id']} is not the content id")
    assert Item.from_dict(data).derive().id in problem.message


def test_a_human_relabel_keeps_the_id_of_the_category_it_was_built_with() -> None:
    data = with_changes(answerable().to_dict(), category="premise.false", should_abstain=True,
                        reference_answers=[], label_status="human_verified",
                        review={"category_before": "answerable"})
    assert validate_items([data]) == []
    data["review"] = {"category_before": "subjective"}
    (problem,) = validate_items([data])
    assert problem.field == "id"


def test_ids_must_be_unique() -> None:
    data = answerable().to_dict()
    assert validate_items([data, data, data], rows=[1, 2, 5]) == [
        Problem(2, "id", f"duplicate id {data['id']} (first at row 1)"),
        Problem(5, "id", f"duplicate id {data['id']} (first at row 1)"),
    ]


def test_parent_id_must_resolve_and_pair_id_must_be_shared() -> None:
    parent = answerable()
    variant = variant_of(parent)
    other = answerable("What is the capital of Peru?")
    assert validate_items([parent.to_dict(), variant.to_dict(), other.to_dict()]) == []
    # the parent is missing: the variant's parent_id dangles and its pair has one member
    assert validate_items([variant.to_dict(), other.to_dict()]) == [
        Problem(0, "pair_id", f"{variant.pair_id} is shared by no other item"),
        Problem(0, "parent_id", f"{parent.id} is not the id of any item"),
    ]


def test_validate_step_rejects_invalid_items_with_their_first_problem() -> None:
    """The first problem by field name is the reason; the whole stream resolves parents."""
    parent = answerable()
    variant = variant_of(parent)
    orphan = variant_of(answerable("What is the capital of Peru?"))
    bad_label = answerable("What is the capital of Chile?")
    bad_label.should_abstain, bad_label.reference_answers = True, []
    batches = [Batch([parent, orphan]), Batch([variant, bad_label], counters={"seen": 2})]
    out = list(ValidateStep(BuildContext()).run(batches))
    assert [[i.record for i in b.items] for b in out] == [[parent.record], [variant.record]]
    fates = [f for b in out for f in b.fates]
    assert [(f.record, f.kind, f.step, f.detail) for f in fates] == [
        (orphan.record, FateKind.REJECTED, "validate",
         f"schema:pair_id: {orphan.pair_id} is shared by no other item"),
        (bad_label.record, FateKind.REJECTED, "validate",
         "schema:should_abstain: is true but category answerable means false"),
    ]
    assert out[1].counters["seen"] == 2


@pytest.mark.parametrize("workers", [1, 2])
def test_validate_step_over_a_stream_on_disk_rejects_what_validate_items_finds(workers) -> None:
    items = [answerable(f"What is the capital of country {k}?") for k in range(9)]
    items += [variant_of(items[0]), variant_of(answerable("What is the capital of Peru?")),
              items[3], answerable("What is the capital of Chile?")]
    items[-1].should_abstain, items[-1].reference_answers = True, []
    first: dict[int, Problem] = {}
    for problem in validate_items([i.to_dict() for i in items]):
        first.setdefault(problem.row, problem)
    out = list(ValidateStep(BuildContext(workers=workers)).run(write_stream(items, 2)))
    fates = [f for b in out for f in b.fates]
    assert [f.detail for f in fates] == [f"schema:{p.field}: {p.message}"
                                         for _, p in sorted(first.items())]
    assert [f.record for f in fates] == [items[row].record for row in sorted(first)]
    assert len(fates) == 3 and [i.record for b in out for i in b.items] == [
        i.record for row, i in enumerate(items) if row not in first]


def test_workers_check_runs_of_items_apart_and_find_the_same_problems(monkeypatch) -> None:
    from abstain_data.schema import validate

    good = [answerable(f"What is the capital of country {k}?").to_dict() for k in range(9)]
    dicts = [*good, with_changes(good[0], id="ad-0000000000000000"), {"prompt": 3}, "not a dict",
             with_changes(good[1], should_abstain=True), good[2]]
    one = validate_items(dicts)
    monkeypatch.setattr(validate, "ITEM_RUN", 3)  # five runs, spread over two workers
    two = validate_items(dicts, workers=2)
    assert two == one
    assert {p.row for p in one} == {9, 10, 11, 12, 13} and len(one) > 5
