"""UMWP (Yuki-Asuuna/UMWP): StandardDataset.jsonl, unanswerable math word problems.

Rows are `id, question, answer (list of numbers or null), answerable, category (1-5 or null),
relevant_ids, source`. Answerable -> `answerable`, answers as strings without a trailing ".0".
The unanswerable categories of the UMWP paper (Sun et al., LREC-COLING 2024; checked against the
rows) map as `CATEGORIES` says: 1 key information missing, 2 ambiguous key information ("some
storks", "less than 53 blocks") and 4 unrelated object (asks about a thing the problem never
mentions) leave a needed quantity unknown -> `under.variables`; 3 unrealistic conditions
(negative counts, removing more than there is) -> `premise.false`; 5 question missing (no
question is asked) -> `under.intent`. Domain is math (stated). An unanswerable variant shares the
topic "umwp:<id of its answerable original>" with that original, so a pair stays in one split.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from abstain_data.items import Category, Domain, Item
from abstain_data.sources.corpus import CorpusSource
from abstain_data.sources.mapping import (
    FieldProblem,
    ItemFactory,
    answers,
    boolean,
    column,
    optional_text,
    text,
)
from abstain_data.sources.readers import RawRow

CATEGORIES: dict[int, tuple[Category, str]] = {
    1: (Category.UNDER_VARIABLES, "key information missing"),
    2: (Category.UNDER_VARIABLES, "ambiguous key information"),
    3: (Category.PREMISE_FALSE, "unrealistic conditions"),
    4: (Category.UNDER_VARIABLES, "unrelated object"),
    5: (Category.UNDER_INTENT, "question missing"),
}


class UMWPSource(CorpusSource):
    name = "umwp"
    default_license = "cc-by-sa-4.0"
    dataset = "umwp"
    url = "https://github.com/Yuki-Asuuna/UMWP"
    default_files = ["StandardDataset.jsonl"]

    def item(self, factory: ItemFactory, row: RawRow, path: Path) -> Item:
        data = row.data or {}
        question = text(column(data, "question", "prompt"), "prompt")
        answerable = boolean(column(data, "answerable", "should_abstain"), "should_abstain",
                             "answerable")
        own_id = optional_text(data.get("id"), "original_id")
        common = {"original_id": own_id, "config": optional_text(data.get("source"), "config"),
                  "domain": Domain.MATH}
        if answerable:
            found = answers(column(data, "answer", "reference_answers"))
            if not found:
                raise FieldProblem("reference_answers", "answerable row without an answer")
            return factory.make(row, question, Category.ANSWERABLE, reference_answers=found,
                                topic=f"umwp:{own_id}", **common)
        number = data.get("category")
        if number not in CATEGORIES or isinstance(number, bool):
            raise FieldProblem("category", f"unanswerable category must be 1-5, got {number!r}")
        category, meaning = CATEGORIES[number]
        original = _first_id(data.get("relevant_ids")) or own_id
        return factory.make(row, question, category, topic=f"umwp:{original}",
                            rationale=f"UMWP category {number}: {meaning}", **common)


def _first_id(value: Any) -> str | None:
    """The first of UMWP's `relevant_ids` (the answerable original), if any."""
    if isinstance(value, list) and value and isinstance(value[0], int):
        return str(value[0])
    return None
