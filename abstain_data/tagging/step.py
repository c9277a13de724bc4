"""The tagging step: fills each item's domain and complexity unless its source stated them.

Consumes batches of items; yields the same items in the same order, with `domain` set by
`tag_domain` unless "domain" is in `item.known`, and `complexity` set by `tag_complexity` unless
"complexity" is in `item.known`. The prompts that need a tag are parsed in one `ctx.nlp.pipe`
call per batch (the shared pipeline, loaded once). Counters per batch: "domain:<value>" and
"complexity:<value>" for every item (tagged or stated), "tagged:domain" / "tagged:complexity"
for the tags this step set, "known:domain" / "known:complexity" for those the source stated.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc

from abstain_data.items import Item
from abstain_data.parsing.store import parse
from abstain_data.pipeline.step import Batch, BatchStep, BuildContext
from abstain_data.tagging.complexity import tag_complexity
from abstain_data.tagging.domain import tag_domain

TAGGED_FIELDS = ("domain", "complexity")


class TagStep(BatchStep):
    """Domain and complexity tagger (runs after the sources, before the builders)."""

    name = "tag"
    data_files = ("tagging/lexicons.toml",)
    provides = frozenset(TAGGED_FIELDS)

    def __init__(self, ctx: BuildContext, pipe_batch_size: int = 256) -> None:
        super().__init__(ctx)
        self.pipe_batch_size = pipe_batch_size

    def process(self, batch: Batch) -> Batch:
        """Tag the items of `batch` whose domain or complexity the source did not state."""
        todo = [i for i, item in enumerate(batch.items)
                if any(name not in item.known for name in TAGGED_FIELDS)]
        docs = parse(self.ctx, [batch.items[i].prompt for i in todo])
        for index, doc in zip(todo, docs, strict=True):
            batch.items[index] = self._tag(batch.items[index], doc)
        for item in batch.items:
            batch.count(f"domain:{item.domain.value}")
            batch.count(f"complexity:{item.complexity.value}")
            for name in TAGGED_FIELDS:
                batch.count(f"{'known' if name in item.known else 'tagged'}:{name}")
        return batch

    def _tag(self, item: Item, doc: Doc) -> Item:
        """`item` with its unknown fields tagged from `doc` (the parse of its prompt)."""
        changes = {}
        if "domain" not in item.known:
            changes["domain"] = tag_domain(item.prompt, doc)
        if "complexity" not in item.known:
            changes["complexity"] = tag_complexity(item.prompt, doc, item.reference_answers)
        return replace(item, **changes)
