"""The `[cue_filter]` step: adversarial filtering of the items a bag of words predicts best.

Consumes the whole stream after dedupe (so it scores the items the build folder will hold, and
`audit artifacts` with the build's seed reads back its figures); per source, runs
`cues/filter.py` on the prompt-only out-of-fold scores of `cues/classifier.py` (the classifier
and grouping of `audit artifacts`) and produces the stream without the removed items, each with
Fate(rejected, "cue_extreme", score = its unit's predictability), or, with action "review",
with those items queued for review (queue_reason "cue_extreme"; an item already queued keeps its
reason and gains `cue_predictability`).

Removal units keep minimal pairs whole: a builder's variant goes together with the other
variants of its builder on the same seed and with their answerable twins (a twin builder's
items count as its sibling's family), so no twin is left without the variant it contrasts.
Source (corpus) items are eligible only with `include_sources`; one goes with every item that
shares its pair_id or names it as parent. With `max_builder_auc`, a source at its target goes on
removing the most predictable units of any builder whose AUC against its minimal pairs is above
that within the source (`audit artifacts`: sources.<name>.builders). A survivor left alone in
its pair loses its pair_id (as dedupe does). Stats: removed (or queued) per source and per
builder, each source's prompt-only AUC before and after (in thousandths), each builder's AUC
against its pairs before and after (in thousandths,
"builder_auc_permille_before:<source>:<builder>"), rounds and why they stopped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import Literal

from abstain_data.cues.classifier import Record, pair_key
from abstain_data.cues.filter import SourceFilter, filter_source
from abstain_data.items import Item, LabelStatus, written_order
from abstain_data.pipeline.step import Batch, BuildContext, Fate, FateKind, Step

REASON = "cue_extreme"
SOURCE_ITEMS = "(source)"  # the builder column of an item a corpus gave


def twin_siblings(builders: Iterable[str]) -> dict[str, str]:
    """For each twin builder among `builders`, the unanswerable sibling whose family it joins."""
    from abstain_data.builders import BUILDERS, builder_class

    pairs = {name: getattr(builder_class(name), "sibling", None)
             for name in sorted(set(builders)) if name in BUILDERS}
    return {name: sibling for name, sibling in pairs.items() if sibling}


class CueFilterStep(Step):
    """Removes (or queues for review) the items whose prompt gives their label away, per source,
    until the source's prompt-only AUC is at most `max_auc` (and, if set, each builder's AUC
    against its pairs at most `max_builder_auc`) or `max_share` of it is gone."""

    name = "cue_filter"

    def __init__(self, ctx: BuildContext, action: Literal["drop", "review"] = "drop",
                 max_auc: float = 0.70, max_share: float = 0.25, step_share: float = 0.05,
                 include_sources: bool = False, max_builder_auc: float | None = None) -> None:
        super().__init__(ctx)
        self.action = action
        self.max_auc = max_auc
        self.max_share = max_share
        self.step_share = step_share
        self.include_sources = include_sources
        self.max_builder_auc = max_builder_auc

    def run(self, batches: Iterable[Batch]) -> Iterator[Batch]:
        """Materialize the stream, choose per source, yield the batches again (same order)."""
        inputs = list(batches)
        items = [item for batch in inputs for item in batch.items]
        chosen, counters = self.choose(items)
        lone = _lone_pairs(items, chosen) if self.action == "drop" else set()
        position = 0
        for k, batch in enumerate(inputs):
            out = Batch(fates=list(batch.fates), counters=dict(batch.counters))
            for key, n in (sorted(counters.items()) if k == 0 else ()):
                out.count(key, n)
            for item in batch.items:
                score = chosen.get(position)
                position += 1
                if score is None:
                    out.items.append(replace(item, pair_id=None)
                                     if item.pair_id in lone else item)
                elif self.action == "drop":
                    out.fates.append(Fate(item.record, FateKind.REJECTED, self.name, REASON,
                                          item.id, score=round(score, 4), item=item.to_dict()))
                    out.count(f"rejected:{REASON}")
                else:
                    out.items.append(_queued(item, score))
            yield out

    def choose(self, items: Sequence[Item]) -> tuple[dict[int, float], dict[str, int]]:
        """The positions to remove (-> their unit's predictability) and the counters."""
        siblings = twin_siblings(i.transform.builder for i in items if i.transform)
        by_source: dict[str, list[int]] = defaultdict(list)
        for n, item in enumerate(items):
            by_source[item.source.dataset].append(n)
        chosen: dict[int, float] = {}
        counters: dict[str, int] = defaultdict(int)
        for source, positions in sorted(by_source.items()):
            # in the order of the build folder: the folds depend on it, and `audit artifacts`
            # reads the build back in that order
            positions.sort(key=lambda n: written_order(items[n]))
            records = [_record(items[n]) for n in positions]
            result = filter_source(records, self.units([items[n] for n in positions], siblings),
                                   max_auc=self.max_auc, max_share=self.max_share,
                                   step_share=self.step_share, seed=self.ctx.seed,
                                   max_builder_auc=self.max_builder_auc)
            _report(source, result, counters)
            for k, score in result.removed.items():
                chosen[positions[k]] = score
                builder = items[positions[k]].transform
                counters[f"{REASON}:builder:{builder.builder if builder else SOURCE_ITEMS}"] += 1
        return chosen, dict(counters)

    def units(self, items: Sequence[Item], siblings: dict[str, str]) -> list[list[int]]:
        """The removal units of one source's items, as index lists (module docstring)."""
        family: dict[tuple[str, ...], list[int]] = defaultdict(list)
        by_pair: dict[str, list[int]] = defaultdict(list)
        by_parent: dict[str, list[int]] = defaultdict(list)
        for k, item in enumerate(items):
            if item.pair_id:
                by_pair[item.pair_id].append(k)
            if item.parent_id:
                by_parent[item.parent_id].append(k)
            if item.transform is not None:
                builder = item.transform.builder
                key = (("family", item.pair_id, siblings.get(builder, builder))
                       if item.pair_id else ("item", item.record))
                family[key].append(k)
        units = list(family.values())
        if self.include_sources:
            for k, item in enumerate(items):
                if item.transform is None:
                    members = {k, *by_parent.get(item.id, ()),
                               *(by_pair.get(item.pair_id, ()) if item.pair_id else ())}
                    units.append(sorted(members))
        return units


def _record(item: Item) -> Record:
    """The classifier's view of an item, as `audit artifacts` reads it from a build (the same
    ids name the same groups, so both split the folds alike)."""
    return Record(item.id, item.prompt, item.context or "", item.should_abstain,
                  item.source.dataset, item.transform.builder if item.transform else "",
                  pair_key(item.pair_id, item.parent_id))


def _report(source: str, result: SourceFilter, counters: dict[str, int]) -> None:
    """Add one source's figures to the step counters."""
    counters[REASON] += len(result.removed)
    counters[f"{REASON}:source:{source}"] += len(result.removed)
    for when, value in (("before", result.auc_before), ("after", result.auc_after)):
        if value is not None:
            counters[f"auc_prompt_permille_{when}:{source}"] = round(value * 1000)
    for when, figures in (("before", result.builders_before), ("after", result.builders_after)):
        for builder, value in figures.items():
            counters[f"builder_auc_permille_{when}:{source}:{builder}"] = round(value * 1000)
    counters[f"rounds:{source}"] = result.rounds
    counters[f"stopped:{source}:{result.stopped}"] = 1


def _lone_pairs(items: Sequence[Item], removed: dict[int, float]) -> set[str]:
    """Pair ids that lost a member to removal and that only one kept item still carries."""
    lost = {items[n].pair_id for n in removed if items[n].pair_id}
    members: dict[str, int] = defaultdict(int)
    for n, item in enumerate(items):
        if n not in removed and item.pair_id in lost:
            members[item.pair_id] += 1
    return {pair for pair, count in members.items() if count == 1}


def _queued(item: Item, score: float) -> Item:
    """`item` queued for review as cue_extreme (an item already queued keeps its reason)."""
    review = {**(item.review or {}), "cue_predictability": round(score, 4)}
    if item.label_status != LabelStatus.NEEDS_REVIEW:
        review["queue_reason"] = REASON
    return replace(item, label_status=LabelStatus.NEEDS_REVIEW, review=review)
