"""Validation of item dicts: the JSON Schema, then the cross-field rules below.

The bulk goes through `jsonschema_rs` (compiled, fast); only items it rejects are validated again
with `jsonschema` (Draft 2020-12) for messages with JSON paths. Rules JSON Schema cannot say are
checked in Python and reported the same way, as `Problem(row, field, message)`:
- category agrees with should_abstain; no reference answers on unanswerable items, at least one
  on answerable templated items; `ctx.*` categories need a context; id is the content id;
- across the whole collection: ids unique, every parent_id is the id of an item, every pair_id
  is shared by at least two items.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
from jsonschema.exceptions import ValidationError, best_match

from abstain_data.items import Category, Complexity, item_id
from abstain_data.pipeline.executor import ordered_map
from abstain_data.pipeline.step import Batch, Step

SCHEMA_PATH = Path(__file__).with_name("item.schema.json")
MAX_SHOWN = 60  # characters of an offending value quoted in a message
ITEM_RUN = 4_096  # items checked in one task of a worker (fewer make one run, checked here)

_REQUIRED = re.compile(r"^'(.+)' is a required property$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one item: its row, the JSON path of the field, what is wrong."""

    row: int
    field: str
    message: str

    def line(self, file: str) -> str:
        """The report line "FILE:ROW: field: message"."""
        return f"{file}:{self.row}: {self.field}: {self.message}"


@lru_cache(maxsize=1)
def item_schema() -> dict[str, Any]:
    """The item JSON Schema, checked against the Draft 2020-12 metaschema."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


@lru_cache(maxsize=1)
def _validators() -> tuple[Any, jsonschema.Draft202012Validator]:
    schema = item_schema()
    return jsonschema_rs.Draft202012Validator(schema), jsonschema.Draft202012Validator(schema)


def validate_items(dicts: Sequence[Any], rows: Sequence[int] | None = None,
                   workers: int = 1) -> list[Problem]:
    """Every problem of the item dicts, ordered by row then field.

    `rows` are the row numbers to report for each dict (default: 0-based positions). Cross-field
    rules run on dicts that pass the schema; the collection rules see every id in `dicts`.
    `workers` > 1 checks runs of ITEM_RUN dicts one by one in forked workers (the result is
    the same).
    """
    rows = list(range(len(dicts))) if rows is None else list(rows)
    runs = [slice(start, start + ITEM_RUN) for start in range(0, len(dicts), ITEM_RUN)]
    _validators()  # compiled once, here, and inherited by the workers
    problems = [problem for found in ordered_map(
        lambda run: _item_problems(dicts[run], rows[run]), runs, workers) for problem in found]
    problems.extend(_collection_problems(dicts, rows))
    problems.sort(key=lambda p: (p.row, p.field, p.message))
    return problems


def _item_problems(dicts: Sequence[Any], rows: Sequence[int]) -> list[Problem]:
    """The problems of each dict on its own: the schema, then (if it passes) the cross-field
    rules; `rows` are their row numbers."""
    fast, rich = _validators()
    problems: list[Problem] = []
    for row, data in zip(rows, dicts, strict=True):
        if fast.is_valid(data):
            problems.extend(Problem(row, field, message)
                            for field, message in item_rule_errors(data))
        else:
            problems.extend(Problem(row, path, message)
                            for path, message in _schema_errors(rich, data))
    return problems


def _schema_errors(validator: jsonschema.Draft202012Validator,
                   data: Any) -> Iterator[tuple[str, str]]:
    """(JSON path, one-line message) for each schema error of `data`, most specific first."""
    for error in validator.iter_errors(data):
        shown = best_match([error])
        yield _field(shown), _message(shown)


def _field(error: ValidationError) -> str:
    """The JSON path of an error ("source.license", "reference_answers[0]", "$" for the root);
    for a missing or unexpected property, the path of that property."""
    parts = list(error.absolute_path)
    if error.validator == "required" and (found := _REQUIRED.match(error.message)):
        parts.append(found.group(1))
    elif error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = error.schema.get("properties", {})
        extra = sorted(key for key in error.instance if key not in allowed)
        parts.append(extra[0] if len(extra) == 1 else "{" + ",".join(extra) + "}")
    path = ""
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "$"


def _message(error: ValidationError) -> str:
    """A short one-line message for a schema error."""
    kind, value, instance = error.validator, error.validator_value, error.instance
    if kind == "required":
        return "missing"
    if kind == "additionalProperties":
        return "unknown field"
    if kind == "type":
        expected = " or ".join(value) if isinstance(value, list) else value
        return f"expected {expected}, got {_json_type(instance)} {_shown(instance)}"
    if kind == "enum":
        return f"{_shown(instance)} is not one of {', '.join(json.dumps(v) for v in value)}"
    if kind == "const":
        return f"must be {json.dumps(value)}, got {_shown(instance)}"
    if kind == "minLength" and value == 1:
        return "must not be empty"
    if kind in ("minLength", "maxLength"):
        bound = "at least" if kind == "minLength" else "at most"
        return f"must be {bound} {value} characters (has {len(instance)})"
    if kind == "pattern":
        if error.path and error.path[-1] == "prompt":
            return "contains control characters"
        return f"{_shown(instance)} does not match {value}"
    return " ".join(error.message.split())[:200]


def _json_type(value: Any) -> str:
    names = {bool: "boolean", int: "integer", float: "number", str: "string", list: "array",
             dict: "object", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN - 1] + "…"


def item_rule_errors(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(field, message) for each cross-field rule a schema-valid item dict breaks."""
    category = Category(data["category"])
    abstain = data["should_abstain"]
    answers = data["reference_answers"]
    if category.should_abstain != abstain:
        yield "should_abstain", (f"is {json.dumps(abstain)} but category {category.value} "
                                 f"means {json.dumps(category.should_abstain)}")
    if abstain and answers:
        yield "reference_answers", "must be empty on an unanswerable item"
    if not abstain and not answers and data["complexity"] == Complexity.TEMPLATED.value:
        yield "reference_answers", "an answerable templated item needs at least one answer"
    if category.value.startswith("ctx.") and not (data["context"] or "").strip():
        yield "context", f"category {category.value} needs a context"
    # people may relabel an item; it keeps the id of the category it was built with, which
    # its review records (annotation pull), so ids stay stable across annotation rounds
    built_as = (data.get("review") or {}).get("category_before") or category
    expected = item_id(data["prompt"], data["context"], built_as)
    if data["id"] != expected:
        yield "id", f"{data['id']} is not the content id of prompt, context and category " \
                    f"({expected})"


def _collection_problems(dicts: Sequence[Any], rows: Sequence[int]) -> Iterator[Problem]:
    """Problems of ids, parent_ids and pair_ids across all dicts."""
    return collection_problems([collection_keys(data) for data in dicts], rows)


Keys = tuple[str | None, str | None, str | None]  # an item dict's id, parent_id and pair_id


def collection_keys(data: Any) -> Keys:
    """What the collection rules read of an item dict: its id, parent_id and pair_id (None
    where absent or not a string)."""
    def get(key: str) -> str | None:
        value = data.get(key) if isinstance(data, dict) else None
        return value if isinstance(value, str) else None

    return get("id"), get("parent_id"), get("pair_id")


def collection_problems(keys: Sequence[Keys], rows: Sequence[int]) -> Iterator[Problem]:
    """Problems of ids, parent_ids and pair_ids across all items (`keys`: each one's
    `collection_keys`, reported at its row of `rows`)."""
    first_row: dict[str, int] = {}
    for position, (identifier, _, _) in enumerate(keys):
        if identifier is not None:
            if identifier in first_row:
                yield Problem(rows[position], "id",
                              f"duplicate id {identifier} (first at row {first_row[identifier]})")
            else:
                first_row[identifier] = rows[position]
    pairs = Counter(pair for _, _, pair in keys)
    for position, (_, parent, pair) in enumerate(keys):
        if parent is not None and parent not in first_row:
            yield Problem(rows[position], "parent_id", f"{parent} is not the id of any item")
        if pair is not None and pairs[pair] < 2:
            yield Problem(rows[position], "pair_id", f"{pair} is shared by no other item")


def _batch_checks(batch: Batch) -> tuple[list[Problem], list[Keys]]:
    """The problems of each item of `batch` on its own (rows 0-based in the batch) and what
    the collection rules read of each."""
    dicts = [item.to_dict() for item in batch.items]
    return (_item_problems(dicts, range(len(dicts))),
            [collection_keys(data) for data in dicts])


class ValidateStep(Step):
    """Rejects items that break the schema or a cross-field rule.

    Consumes the whole stream (ids, parent_ids and pair_ids are checked across it); produces the
    valid items in input order and batch size, and a rejected fate "schema:<field>: <message>"
    (the item's first problem) for each invalid one.
    """

    name = "validate"
    data_files = ("schema/item.schema.json",)

    def run(self, batches: Iterable[Batch]) -> Iterator[Batch]:
        """Two passes over `batches` (the runner's stream on disk): the first checks each batch
        on its own (in the build's workers, each reading its batch) and keeps what the
        collection rules read (three strings an item); the second yields the batches with each
        item's first problem, if any, as its rejection."""
        batches = batches if isinstance(batches, Sequence) else list(batches)
        _validators()  # compiled once, here, and inherited by the workers
        first: dict[int, Problem] = {}
        keys: list[Keys] = []
        for found, batch_keys in ordered_map(lambda k: _batch_checks(batches[k]),
                                             range(len(batches)), self.ctx.workers):
            for problem in found:
                shifted = replace(problem, row=problem.row + len(keys))
                first[shifted.row] = min(first.get(shifted.row, shifted), shifted,
                                         key=_problem_order)
            keys.extend(batch_keys)
        for problem in collection_problems(keys, range(len(keys))):
            first[problem.row] = min(first.get(problem.row, problem), problem,
                                     key=_problem_order)
        del keys
        position = 0
        for batch in batches:
            out = Batch(fates=list(batch.fates), counters=dict(batch.counters))
            for item in batch.items:
                problem = first.get(position)
                position += 1
                if problem is None:
                    out.items.append(item)
                else:
                    out.reject(item, self.name, f"schema:{problem.field}: {problem.message}")
            yield out


def _problem_order(problem: Problem) -> tuple[str, str]:
    """An item's problems in the order `validate_items` reports them: by field, then message."""
    return problem.field, problem.message
