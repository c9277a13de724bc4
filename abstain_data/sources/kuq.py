"""KUQ, Known-Unknown Questions (Hub `amayuelas/KUQ`, MIT per its dataset card).

Read with `datasets.load_dataset` (Hub id or a local folder; `[sources.options] data_files`
picks a file, e.g. "knowns_unknowns.jsonl"). Rows are `question, answer, unknown, source,
category`. Known rows -> `answerable` with `answer` (a list) as references. Unknown rows map
their category onto a code (`code_for`): future unknown -> `unknown.future`, unsolved problem
-> `unknown.unsolved`, controversial / debatable -> `subjective`, false assumption ->
`premise.false`, counterfactual -> `subjective` (a "what if" has no single answer; a guess, so
confidence GUESS and review), ambiguous -> `under.intent`. For unknowns `answer` holds the
source of uncertainty, kept as rationale. The row's `source` is kept as source.config.
"""

from __future__ import annotations

from abstain_data.items import Category, Item
from abstain_data.sources.hub import HubCorpusSource
from abstain_data.sources.mapping import (
    GUESS,
    UNCERTAIN,
    FieldProblem,
    ItemFactory,
    answers,
    column,
    flag,
    optional_text,
    text,
)
from abstain_data.sources.readers import RawRow

# a keyword of the normalized KUQ category -> (code, sure?)
KUQ_CATEGORIES: tuple[tuple[str, Category, bool], ...] = (
    ("future", Category.UNKNOWN_FUTURE, True),
    ("unsolved", Category.UNKNOWN_UNSOLVED, True),
    ("controvers", Category.SUBJECTIVE, True),
    ("debatable", Category.SUBJECTIVE, True),
    ("false assumption", Category.PREMISE_FALSE, True),
    ("counterfactual", Category.SUBJECTIVE, False),
    ("ambiguous", Category.UNDER_INTENT, True),
)


def code_for(category: str) -> tuple[Category, bool]:
    """The code of a KUQ category string (any case, "_" or "-" as spaces) and if it is sure."""
    key = " ".join(category.replace("_", " ").replace("-", " ").lower().split())
    for keyword, code, sure in KUQ_CATEGORIES:
        if keyword in key:
            return code, sure
    known = ", ".join(k for k, _, _ in KUQ_CATEGORIES)
    raise FieldProblem("category", f"unknown KUQ category {category!r} (known: {known})")


class KUQSource(HubCorpusSource):
    name = "kuq"
    default_license = "mit"
    url = "https://huggingface.co/datasets/amayuelas/KUQ"
    dataset = "kuq"

    def item(self, factory: ItemFactory, row: RawRow) -> Item:
        """The Item of one KUQ row."""
        data = row.data or {}
        question = text(column(data, "question", "prompt"), "prompt")
        unknown = flag(column(data, "unknown", "should_abstain"), "should_abstain")
        replies = answers(data.get("answer"))
        common = {"config": optional_text(data.get("source"), "config"), "split": self.spec.split}
        if not unknown:
            return factory.make(row, question, Category.ANSWERABLE, reference_answers=replies,
                                **common)
        code, sure = code_for(text(column(data, "category", "category"), "category"))
        return factory.make(row, question, code, rationale="; ".join(replies) or None,
                            confidence=1.0 if sure else GUESS,
                            review_reason=None if sure else UNCERTAIN, **common)
