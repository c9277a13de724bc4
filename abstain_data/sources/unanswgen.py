"""UnAnswGen (Julien-ser/UnAnswGen): Final_Unanswerable_{Mutual_Exclusion,Number_Swap}.csv.

Columns `,qid,context,original_question,original_answer_span,potential_UQ_question`. Each row
yields the ANSWERABLE original SQuAD question with its passage as context and the answer span as
reference. The `potential_UQ_question` is NOT taken as an unanswerable item: it often still
contains the answer (measured on the real files, normalized answer span inside the question:
2,711 of 3,221 mutual-exclusion rows = 84.2 %, 146 of 2,255 number-swap rows = 6.5 %), so its
label cannot be trusted; our own builders make unanswerable variants from these seeds instead.
The SQuAD article is not in the files, so the topic is a stable hash of the passage
("passage:<12 hex>"), which keeps all questions on one passage in one release split.
config is the file's category ("mutual_exclusion", "number_swap"); a passage with several
rows yields repeated items that dedupe merges.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from abstain_data.items import Category, Item
from abstain_data.sources.corpus import CorpusSource
from abstain_data.sources.mapping import ItemFactory, column, optional_text, text
from abstain_data.sources.readers import RawRow


def passage_topic(context: str) -> str:
    """A stable topic key for a passage: "passage:" + 12 hex of its sha256."""
    return "passage:" + hashlib.sha256(context.encode("utf-8")).hexdigest()[:12]


class UnAnswGenSource(CorpusSource):
    name = "unanswgen"
    default_license = "none-stated"
    dataset = "unanswgen"
    url = "https://github.com/Julien-ser/UnAnswGen"
    default_files = ["Final_Unanswerable_Mutual_Exclusion.csv",
                     "Final_Unanswerable_Number_Swap.csv"]

    def item(self, factory: ItemFactory, row: RawRow, path: Path) -> Item:
        data = row.data or {}
        context = text(column(data, "context", "context"), "context")
        return factory.make(
            row, text(column(data, "original_question", "prompt"), "prompt"),
            Category.ANSWERABLE,
            config=path.stem.removeprefix("Final_Unanswerable_").lower(),
            original_id=optional_text(data.get("qid"), "original_id"),
            topic=passage_topic(context),
            context=context,
            reference_answers=[text(column(data, "original_answer_span", "reference_answers"),
                                    "reference_answers")],
        )
