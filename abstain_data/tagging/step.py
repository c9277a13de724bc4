"""The tagging step: fills each item's domain and complexity unless its source stated them.

Consumes batches of items; yields the same items in the same order, with `domain` and
`complexity` set by the shipped classifiers (`classify.classify`) unless the field is in
`item.known`, and `tag_origin` saying for each field how it was obtained: `{"method": "source"}`
for a stated field, or the tagger's model, confidence and `guessed` flag. The prompts that need
a tag are parsed in one `ctx.nlp.pipe` call per batch (the shared pipeline, loaded once).
Counters per batch: "domain:<value>" and "complexity:<value>" for every item (tagged or
stated), "tagged:<field>" / "known:<field>" for the tags this step set or the source stated,
and "guessed:<field>" for the tagged ones whose confidence is below the guess threshold.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from spacy.tokens import Doc

from abstain_data.items import Complexity, Domain, Item
from abstain_data.parsing.store import parse
from abstain_data.pipeline.step import Batch, BatchStep, BuildContext
from abstain_data.tagging.classify import classify

TAGGED_FIELDS = ("domain", "complexity")
STATED = {"method": "source"}


class TagStep(BatchStep):
    """Domain and complexity tagger (runs after the sources, before the builders)."""

    name = "tag"
    data_files = ("tagging/lexicons.toml", "tagging/model/domain.json",
                  "tagging/model/complexity.json", "tagging/model/word_vectors.txt",
                  "tagging/model/word_vectors.npy")
    provides = frozenset(TAGGED_FIELDS)

    def __init__(self, ctx: BuildContext, pipe_batch_size: int = 256) -> None:
        super().__init__(ctx)
        self.pipe_batch_size = pipe_batch_size
        # equal tag_origin entries, shared by the items that have them (never changed in place)
        self._origins: dict[tuple[Any, ...], dict[str, Any]] = {}

    def _shared(self, origin: dict[str, Any]) -> dict[str, Any]:
        """The one dict equal to `origin` that this step hands out: a build tags every seed,
        and the entries repeat (a model, a confidence rounded to 4 places, a guess flag), so
        the items share a few thousand dicts rather than hold two each."""
        return self._origins.setdefault(tuple(origin.items()), origin)

    def process(self, batch: Batch) -> Batch:
        """Tag the items of `batch` whose domain or complexity the source did not state."""
        todo = [i for i, item in enumerate(batch.items)
                if any(name not in item.known for name in TAGGED_FIELDS)]
        docs = parse(self.ctx, [batch.items[i].prompt for i in todo])
        parsed = dict(zip(todo, docs, strict=True))
        for index, item in enumerate(batch.items):
            batch.items[index] = self._refine(self._tag(item, parsed.get(index)), batch)
        for item in batch.items:
            batch.count(f"domain:{item.domain.value}")
            batch.count(f"complexity:{item.complexity.value}")
            for name in TAGGED_FIELDS:
                batch.count(f"{'known' if name in item.known else 'tagged'}:{name}")
                if item.tag_origin[name].get("guessed"):
                    batch.count(f"guessed:{name}")
        return batch

    def _refine(self, item: Item, batch: Batch) -> Item:
        """A tagged item, as final (a subclass may re-tag guesses and count on `batch`)."""
        return item

    def _tag(self, item: Item, doc: Doc | None) -> Item:
        """`item` with its unknown fields tagged from `doc` (the parse of its prompt, if any)."""
        origin = {name: self._shared(dict(STATED)) for name in TAGGED_FIELDS if name in item.known}
        if doc is None:
            return replace(item, tag_origin=origin)
        tags = classify(item.prompt, doc, item.reference_answers)
        changes = {}
        if "domain" not in item.known:
            changes["domain"] = Domain(tags["domain"].value)
            origin["domain"] = self._shared(tags["domain"].origin())
        if "complexity" not in item.known:
            changes["complexity"] = Complexity(tags["complexity"].value)
            origin["complexity"] = self._shared(tags["complexity"].origin())
        return replace(item, tag_origin=origin, **changes)
