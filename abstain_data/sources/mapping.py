"""Turning native row values into Item fields, shared by every adapter.

- `ItemFactory` builds the Item of one row with the source facts every adapter must record
  (dataset, license, url, config/split, original id, row) and the recipe's stated domain.
- the value readers (`text`, `answers`, `flag`, `code`, `format_number`) check one value and
  raise `FieldProblem` naming the item field when it is missing or has the wrong type; adapters
  turn that into a `RowError` for the row.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Iterator
from enum import Enum
from typing import Any, TypeVar

from abstain_data.items import Category, Complexity, Domain, Item, LabelStatus, Source
from abstain_data.sources.base import RowError, SourceAdapter, SourceError
from abstain_data.sources.readers import RawRow

E = TypeVar("E", bound=Enum)


class FieldProblem(ValueError):
    """A value that cannot fill item field `field`."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def text(value: Any, field: str) -> str:
    """A non-empty string (outer whitespace stripped); FieldProblem otherwise."""
    if value is None:
        raise FieldProblem(field, "missing value")
    if not isinstance(value, str):
        raise FieldProblem(field, f"expected a string, got {type(value).__name__}")
    if not value.strip():
        raise FieldProblem(field, "empty")
    return value.strip()


def optional_text(value: Any, field: str) -> str | None:
    """A string or None (for None or ""); integers are accepted and written in decimal (ids)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise FieldProblem(field, f"expected a string, got {type(value).__name__}")
    return str(value).strip()


def format_number(value: int | float) -> str:
    """A number as an answer string: 460.0 -> "460", 0.5 -> "0.5"."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def answers(value: Any, field: str = "reference_answers") -> list[str]:
    """Reference answers from a string, a list, a number, or a list-string like "['a', 'b']".

    Consumes a native value; produces the non-empty answers as strings, in order. A list-string
    is parsed with `ast.literal_eval` (literals only, never code).
    """
    if value is None:
        return []
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            try:
                value = ast.literal_eval(stripped)
            except (ValueError, SyntaxError, MemoryError, RecursionError):
                raise FieldProblem(field, "looks like a list but is not a valid literal") from None
        else:
            return [stripped] if stripped else []
    if isinstance(value, bool):
        raise FieldProblem(field, "expected a string or a list of strings, got bool")
    if isinstance(value, int | float):
        return [format_number(value)]
    if not isinstance(value, list | tuple):
        raise FieldProblem(field, f"expected a string or a list, got {type(value).__name__}")
    result = []
    for element in value:
        if isinstance(element, str):
            if element.strip():
                result.append(element.strip())
        elif isinstance(element, int | float) and not isinstance(element, bool):
            result.append(format_number(element))
        else:
            raise FieldProblem(field, f"list holds a {type(element).__name__}, not a string")
    return result


_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f"}


def flag(value: Any, field: str) -> bool:
    """A boolean from a bool, 0/1, or "true"/"false"/"yes"/"no"/"1"/"0"."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise FieldProblem(field, f"expected true/false or 1/0, got {value!r}")


def boolean(value: Any, field: str, column_name: str) -> bool:
    """A JSON true/false (no 0/1 or strings: corpora that store booleans store them as such)."""
    if not isinstance(value, bool):
        raise FieldProblem(field, f"{column_name} must be true/false, got {value!r}")
    return value


def code(value: Any, enum: type[E], field: str) -> E | None:
    """The enum member whose value is `value` (None for None or ""); FieldProblem if unknown."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return enum(value.strip() if isinstance(value, str) else value)
    except ValueError:
        allowed = ", ".join(m.value for m in enum)
        raise FieldProblem(field, f"unknown {field} {value!r} (allowed: {allowed})") from None


# the confidence of a label mapping that is a guess (such items also go to review)
GUESS = 0.5
# the confidence of an answerable label that the corpus gave for another reason than the
# question being answerable as it stands (FalseQA labels premises): shipped, but builders do not
# pass it on to answerable twins without review
UNCHECKED = 0.8
UNCERTAIN = "uncertain_mapping"


# one frozenset per distinct set of stated fields, shared by the items that state them
KNOWN_SETS: dict[frozenset[str], frozenset[str]] = {}


class ItemFactory:
    """Builds the Items of one adapter with its source facts filled in.

    Consumes the adapter (for spec, license) plus the corpus' dataset name and url; `make()`
    produces one Item per row. The recipe's `domain` (if any) is validated here, once.
    """

    def __init__(self, adapter: SourceAdapter, dataset: str, url: str | None = None) -> None:
        self.adapter = adapter
        self.dataset = dataset
        self.url = url
        try:
            self.domain = code(adapter.spec.domain, Domain, "domain")
        except FieldProblem as exc:
            raise SourceError(RowError(adapter.spec.name, None, "domain", str(exc))) from None

    def make(self, row: RawRow, prompt: str, category: Category, *,
             config: str | None = None, split: str | None = None,
             original_id: str | None = None, topic: str | None = None,
             context: str | None = None, reference_answers: list[str] | None = None,
             rationale: str | None = None, domain: Domain | None = None,
             complexity: Complexity | None = None, known: set[str] | None = None,
             confidence: float = 1.0, review_reason: str | None = None) -> Item:
        """One Item. Answerable items without answers are `open_ended` (stated, not tagged).

        `confidence` below 1 says the label mapping is uncertain; `review_reason` (e.g.
        UNCERTAIN, "dangling_pronoun") makes the label status needs_review with
        review = {"queue_reason": review_reason}.
        """
        self._check_lengths(prompt=prompt, context=context,
                            reference_answers=reference_answers or [])
        known = set(known or ())
        answers_ = [] if category.should_abstain else list(reference_answers or [])
        if domain is None and self.domain is not None:
            domain = self.domain
        if domain is not None:
            known.add("domain")
        if complexity is None and not category.should_abstain and not answers_:
            complexity = Complexity.OPEN_ENDED
        if complexity is not None:
            known.add("complexity")
        reason = review_reason
        return Item(
            prompt=prompt,
            context=context,
            should_abstain=category.should_abstain,
            category=category,
            reference_answers=answers_,
            rationale=rationale if category.should_abstain else None,
            domain=domain or Domain.GENERAL,
            complexity=complexity or Complexity.TEMPLATED,
            source=Source(dataset=self.dataset, license=self.adapter.license, config=config,
                          split=split, original_id=original_id, url=self.url, row=row.index,
                          topic=topic),
            label_status=LabelStatus.NEEDS_REVIEW if reason else LabelStatus.SOURCE,
            confidence=confidence,
            review={"queue_reason": reason} if reason else None,
            known=KNOWN_SETS.setdefault(frozenset(known), frozenset(known)),
        )


    def _check_lengths(self, *, prompt: str, context: str | None,
                       reference_answers: list[str]) -> None:
        """FieldProblem for the first text longer than the recipe's `max_text_chars`."""
        limit = self.adapter.spec.max_text_chars
        texts = [("prompt", prompt), ("context", context or "")]
        texts += [("reference_answers", answer) for answer in reference_answers]
        for field, value in texts:
            if len(value) > limit:
                raise FieldProblem(field, f"{len(value):,} characters, over the limit of "
                                          f"{limit:,} (recipe max_text_chars)")


def column(data: dict[str, Any], name: str, field: str) -> Any:
    """The value of column `name` of a row (for item field `field`); FieldProblem if absent."""
    if name not in data:
        raise FieldProblem(field, f"column {name!r} missing")
    return data[name]


def map_rows(rows: Iterable[RawRow], file: str, make: Callable[[RawRow], Item]
             ) -> Iterator[Item | RowError]:
    """`make(row)` for every readable row; a reader error or a FieldProblem becomes a RowError.

    Consumes raw rows of one file; produces exactly one Item or RowError per row, in order.
    """
    for row in rows:
        if row.error is not None:
            yield row.error
            continue
        try:
            yield make(row)
        except FieldProblem as exc:
            yield row.fail(file, exc.field, str(exc))
