"""FalseQA (thunlp/FalseQA): train/valid/test.csv with `question, answer, label`.

label 1 -> `premise.false` with the answer (the correction) as rationale; label 0 ->
`answerable` with the answer as reference and confidence UNCHECKED: FalseQA's annotators judged
the premise, not whether the question can be answered as it stands, and in two blind reviews
21 of 26 label-0 questions read as answerable ("What kind of bird is mammal?", "How much
nutrition does a person need every day?" did not), so twins are not built on them without
review. Answers are explanations, so items are open-ended. In test.csv `answer` is a
list-string ("['a', 'b']"): parsed safely; the first correction is the rationale. config and
split are the file stem. The 7 question strings that carry both labels come through as two
items with different categories; dedupe sends the conflict to review.
"""

from __future__ import annotations

from pathlib import Path

from abstain_data.items import Category, Complexity, Item
from abstain_data.sources.corpus import CorpusSource
from abstain_data.sources.mapping import (
    UNCHECKED,
    FieldProblem,
    ItemFactory,
    answers,
    column,
    text,
)
from abstain_data.sources.readers import RawRow


class FalseQASource(CorpusSource):
    name = "falseqa"
    default_license = "none-stated"
    dataset = "falseqa"
    url = "https://github.com/thunlp/FalseQA"
    default_files = ["train.csv", "valid.csv", "test.csv"]

    def item(self, factory: ItemFactory, row: RawRow, path: Path) -> Item:
        data = row.data or {}
        label = str(column(data, "label", "should_abstain")).strip()
        if label not in ("0", "1"):
            raise FieldProblem("should_abstain", f"label must be 0 or 1, got {label!r}")
        replies = answers(column(data, "answer", "reference_answers"))
        false_premise = label == "1"
        return factory.make(
            row, text(column(data, "question", "prompt"), "prompt"),
            Category.PREMISE_FALSE if false_premise else Category.ANSWERABLE,
            config=path.stem, split=path.stem,
            reference_answers=replies,
            rationale=replies[0] if false_premise and replies else None,
            complexity=Complexity.OPEN_ENDED,
            confidence=1.0 if false_premise else UNCHECKED,
        )
