"""SQuAD 2.0 (Hub `rajpurkar/squad_v2`, CC-BY-SA-4.0), read with `datasets.load_dataset`.

Features `id, title, context, question, answers{text, answer_start}`. A question whose
`answers.text` is empty is unanswerable from its passage -> `ctx.missing`; otherwise
`answerable` with the distinct answer texts. The passage is the context and the article
`title` the topic (siblings share it; a topic stays in one release split).
"""

from __future__ import annotations

from abstain_data.items import Category, Item
from abstain_data.sources.hub import HubCorpusSource
from abstain_data.sources.mapping import (
    FieldProblem,
    ItemFactory,
    answers,
    column,
    optional_text,
    text,
)
from abstain_data.sources.readers import RawRow

RATIONALE = "SQuAD 2.0: the passage does not contain the answer"


class SquadV2Source(HubCorpusSource):
    name = "squad_v2"
    default_license = "cc-by-sa-4.0"
    url = "https://huggingface.co/datasets/rajpurkar/squad_v2"
    dataset = "squad_v2"

    def item(self, factory: ItemFactory, row: RawRow) -> Item:
        """The Item of one SQuAD 2.0 row."""
        data = row.data or {}
        spans = column(data, "answers", "reference_answers")
        if not isinstance(spans, dict) or "text" not in spans:
            raise FieldProblem("reference_answers", "answers must be {text, answer_start}")
        found = list(dict.fromkeys(answers(spans["text"])))
        return factory.make(
            row, text(column(data, "question", "prompt"), "prompt"),
            Category.ANSWERABLE if found else Category.CTX_MISSING,
            config=self.spec.config or "squad_v2", split=self.spec.split,
            original_id=optional_text(data.get("id"), "original_id"),
            topic=optional_text(data.get("title"), "topic"),
            context=text(column(data, "context", "context"), "context"),
            reference_answers=found,
            rationale=RATIONALE,
        )
