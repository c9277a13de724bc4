"""The base of the unanswerable builders: seed selection, variant items, gates, counters.

A `VariantBuilder` consumes the whole stream (corpus-wide builders need every passage or entity,
and the near-duplicate gate needs every answerable item: it reads the stream first for compact
indexes (its seeds and the answerable items in one pass, plus whatever `prepare` reads), then a
window at a time to vary seeds; see `VariantBuilder.run`), passes every
item through unchanged, and after each eligible answerable seed inserts the variants that its
`make_variants` proposed and the gates let through. Rejected variants leave a Fate with reason
"gate:<slug>"; inconclusive ones carry label_status needs_review. A seed whose own English is not
fluent (builders/seed_fluency.py) passes on its wording to every variant, so its variants go to
review with queue_reason "seed_not_fluent" (counted as such in the step's stats); so do, with
"seed_wording_unchecked", the variants of every seed from a dataset named in the builder's
`unchecked_wording` (by default FalseQA's, whose questions no fluent writer checked). A seed that
keeps at least one variant flows on with the pair id it shares with its variants.

Seeing the stream (`prepare`, the answerable index) happens once, in this process; a `prepare`
that sums what it finds in each seed's parse reads the parses in the workers
(`SeedDocs.gather`). Making and judging the variants of each seed depends on that seed alone,
so runs of seeds go to the build's `workers` processes (pipeline/executor.py `WorkerPool`,
forked once per builder, after its indexes are built, at its first window of two runs or more;
each run of seeds is sent to a worker) and come back in seed order: the output is the same
whatever the number of workers.
"""

from __future__ import annotations

import functools
import inspect
import json
import re
from abc import abstractmethod
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from random import Random
from typing import Any, ClassVar, TypeVar

import numpy as np

from abstain_data import parsing
from abstain_data.builders.gates import (
    AnswerableIndex,
    AnswerableRows,
    GateResult,
    Verdict,
    answer_leak,
    answerable_index,
    decide,
    fluent,
    release_answerable_index,
    well_formed,
)
from abstain_data.builders.seed_fluency import (
    SPELLING_GAIN,
    UNCHECKED_WORDING,
    seed_problem,
    word_lists,
)
from abstain_data.items import Category, Domain, Item, LabelStatus, Transform, pair_id_for
from abstain_data.parsing.store import iter_docs
from abstain_data.pipeline.executor import WorkerPool, ordered_map
from abstain_data.pipeline.step import Batch, BuildContext, Step
from abstain_data.pipeline.stream import BatchItems, record_key

T = TypeVar("T")
SEED_STATUSES = frozenset({LabelStatus.SOURCE, LabelStatus.AUTO, LabelStatus.HUMAN_VERIFIED})
SEED_NOT_FLUENT = "seed_not_fluent"
SEED_WORDING_UNCHECKED = "seed_wording_unchecked"
SEED_GATES = (SEED_NOT_FLUENT, SEED_WORDING_UNCHECKED)  # counted by name in the step's stats


@dataclass
class Candidate:
    """A proposed variant of one seed, before the gates.

    `context` replaces the seed's passage when given (context swap); `checks` are the builder's
    own gate results (e.g. "the swapped entity is absent from the passage"); `edit` describes the
    change (it goes into transform.params next to the builder's params); `span` is the
    character range of the seed's prompt that the edit replaced, for the fluency gate.
    """

    prompt: str
    rationale: str
    confidence: float
    context: str | None = None
    checks: list[GateResult] = field(default_factory=list)
    edit: dict[str, Any] = field(default_factory=dict)
    span: tuple[int, int] | None = None


def is_seed(item: Item) -> bool:
    """An answerable, not-yet-derived item whose label is trusted: a builder may vary it."""
    return (
        item.category is Category.ANSWERABLE
        and not item.should_abstain
        and item.label_status in SEED_STATUSES
        and item.parent_id is None
        and item.transform is None
    )


CHUNKS_PER_WORKER = 8  # seed runs per worker: enough to even out slow runs, few parse shards
MAX_CHUNK = 2_048  # seeds per run at most: a run's parses are held while it is varied
# seeds per run at least: a shorter run costs more to send to a worker and back than to vary
# here (at 20k seeds, future_shift's 62 seeds took 0.37 s in the driver and 0.62 s forked)
MIN_CHUNK = 256
# seeds varied per window of the stream's second pass: the window's items, seeds' parses and
# variants are what a builder holds beyond its indexes; enough runs for every worker
WINDOW_SEEDS = 16_384
WINDOW_ITEMS = 32_768  # items per window at most, when seeds are sparse


def seed_chunks(n: int, workers: int) -> list[slice]:
    """Slices of `n` seeds for `workers` processes: one slice for one worker, else about
    CHUNKS_PER_WORKER per worker, each of at least MIN_CHUNK seeds (but the last, which
    holds the rest; fewer seeds than that make one slice, varied in this process until the
    builder's pool is forked, by a worker after) and at most MAX_CHUNK (the results do not
    depend on the slicing)."""
    count = 1 if workers <= 1 else workers * CHUNKS_PER_WORKER
    size = min(MAX_CHUNK, max(MIN_CHUNK, -(-n // count)))
    return [slice(i, min(n, i + size)) for i in range(0, n, size)]


class SeedDocs(Mapping[str, Any]):
    """Seed record -> the parse of its prompt (None for a builder that `needs_doc` False),
    read from the build's parse store when asked for, never all held at once: iterating
    `values()` takes the parses a run at a time (parsing.store.iter_docs)."""

    def __init__(self, ctx: BuildContext, prompts: Mapping[str, str], needs_doc: bool) -> None:
        self.ctx = ctx
        self.prompts = prompts  # seed record -> prompt, in seed order
        self.needs_doc = needs_doc

    def __contains__(self, record: object) -> bool:
        return record in self.prompts  # never parses (Mapping's would ask for the value)

    def __getitem__(self, record: str) -> Any:
        prompt = self.prompts[record]
        return parse(self.ctx, [prompt])[0] if self.needs_doc else None

    def __iter__(self) -> Iterator[str]:
        return iter(self.prompts)

    def __len__(self) -> int:
        return len(self.prompts)

    def values(self) -> Iterator[Any]:  # type: ignore[override]
        """The parses in seed order, a run at a time."""
        if not self.needs_doc:
            return iter([None] * len(self.prompts))
        return iter_docs(self.ctx, self.prompts.values())

    def gather(self, fn: Callable[[list[tuple[str, Any]]], T]) -> Iterator[T]:
        """`fn` over each run of seeds (`seed_chunks`) as (record, parse) pairs in seed order,
        the runs spread over the build's workers (`ordered_map`): what `fn` returned for each
        run, in run order, each as it comes (merge them as they come, so that only one run's
        result is held at a time). A `prepare` that only sums what it finds in each parse (counts,
        sets) gathers its runs this way and merges them, rather than reading every parse in
        this process."""
        records = list(self.prompts)

        def one_run(chunk: slice) -> T:
            run = records[chunk]
            docs = (iter_docs(self.ctx, [self.prompts[r] for r in run]) if self.needs_doc
                    else [None] * len(run))
            return fn(list(zip(run, docs, strict=True)))

        workers = self.ctx.workers
        return ordered_map(one_run, seed_chunks(len(records), workers), workers)


def parse(ctx: BuildContext, texts: list[str]) -> list[Any]:
    """spaCy Docs of `texts` from the build's parse store: each text parsed once per build,
    shared with the tagger and every other builder."""
    return parsing.parse(ctx, texts)


_OPEN_QUOTES = "\"'“‘"
_CLOSE_QUOTES = "\"'”’"


def entity_bounds(ent: Any) -> tuple[int, int]:
    """Character bounds of a spaCy entity without its quotes, a trailing possessive 's or
    trailing verbs (spaCy sometimes includes them: '"Locked Away', "Mark Anthony's",
    "the Second World War ended")."""
    while len(ent) > 1 and ent[-1].pos_ in ("VERB", "AUX"):
        ent = ent[:-1]
    start, end, text = ent.start_char, ent.end_char, ent.text
    for suffix in ("'s", "’s"):
        if text.endswith(suffix):
            end, text = end - len(suffix), text[: -len(suffix)]
    start += len(text) - len(text.lstrip(_OPEN_QUOTES))
    end -= len(text) - len(text.rstrip(_CLOSE_QUOTES))
    return start, end


def asks_a_question(text: str) -> bool:
    """Whether `text` reads as a question someone wrote with care: it starts with a capital
    letter, is not a "how to ..." fragment and not a "list ..." instruction (the templated,
    often garbled requests of some corpora). Builders that put a frame or a vague phrase around
    the seed skip the others: reviewers read the result as garbled."""
    words = text.split()
    return (len(words) >= 3 and text[:1].isupper()
            and words[0].lower() != "list"
            and not (words[0].lower() == "how" and words[1].lower() == "to"))


# the domains of advice, whose answers depend on the asker's case and jurisdiction
ADVICE_DOMAINS = frozenset({Domain.MEDICAL, Domain.LEGAL, Domain.FINANCE})
# a question about the asker's own case ("I am 70 and take warfarin", "my landlord")
FIRST_PERSON = re.compile(r"\b(I|I'm|I've|my|me|we|our)\b", re.IGNORECASE)


def is_open_domain(item: Item) -> bool:
    """A question asked without a passage that is not a math word problem."""
    return not item.context and item.domain is not Domain.MATH


# the seed-fluency verdicts of this process, by (model, prompt, spelling gain, has passage): a
# seed that several builders vary is checked once (it took 9 % of a 20k-seed build)
_SEED_PROBLEMS: dict[tuple[str, str, float, bool], str | None] = {}
MAX_REMEMBERED_SEEDS = 200_000


def remembered_seed_problems(ctx: BuildContext, seeds: list[Item],
                             spelling_gain: float) -> list[str | None]:
    """`seed_problem` of each of `seeds` (in order), parsing and checking only the seeds this
    process has not checked before with the same model and setting."""
    def key(seed: Item) -> tuple[str, str, float, bool]:
        return (ctx.spacy_model, seed.prompt, spelling_gain, bool(seed.context))

    todo = list({key(s): s for s in seeds if key(s) not in _SEED_PROBLEMS}.values())
    if len(_SEED_PROBLEMS) + len(todo) > MAX_REMEMBERED_SEEDS:
        _SEED_PROBLEMS.clear()
    for seed, doc in zip(todo, parse(ctx, [s.prompt for s in todo]), strict=True):
        _SEED_PROBLEMS[key(seed)] = seed_problem(doc, ctx.nlp, spelling_gain,
                                                     bool(seed.context))
    return [_SEED_PROBLEMS[key(seed)] for seed in seeds]


class VariantBuilder(Step):
    """Turns eligible answerable seeds into unanswerable variants of `category`.

    Subclasses set `name`, `category`, implement `accepts` (the family's seeds) and
    `make_variants`, and may override `prepare` to look at the whole stream first.
    Two parameters of every builder judge the seeds' English: `seed_spelling_gain`, the
    seed-fluency check's threshold (see seed_fluency.misspelt), and `unchecked_wording`, the
    source datasets (`source.dataset`) whose every seed sends its variants to review (default
    seed_fluency.UNCHECKED_WORDING). A subclass whose own `__init__` does not take them gets
    them added (`__init_subclass__`), so a recipe may set them on any builder.
    """

    category: ClassVar[Category]
    needs_doc: ClassVar[bool] = True  # False: make_variants gets doc=None (no parse of seeds)
    # True when make_variants carries state from one seed to the next (a passage sentence used
    # for one variant at most): the seeds are then varied in one process, in seed order
    in_seed_order: ClassVar[bool] = False

    def __init__(self, ctx: BuildContext, max_per_seed: int = 1,
                 seed_spelling_gain: float = SPELLING_GAIN,
                 unchecked_wording: Iterable[str] = UNCHECKED_WORDING) -> None:
        super().__init__(ctx)
        self.max_per_seed = max_per_seed
        self._set_seed_checks(seed_spelling_gain, unchecked_wording)

    def _set_seed_checks(self, seed_spelling_gain: float, unchecked_wording: Iterable[str]) -> None:
        """Store the two seed-check parameters every builder takes."""
        self.seed_spelling_gain = seed_spelling_gain
        self.unchecked_wording = sorted(unchecked_wording)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Let the subclass's own `__init__`, if it lacks them, take `seed_spelling_gain` and
        `unchecked_wording`."""
        super().__init_subclass__(**kwargs)
        init = cls.__dict__.get("__init__")
        if init is None or "seed_spelling_gain" in inspect.signature(init).parameters:
            return

        @functools.wraps(init)
        def with_seed_checks(self: VariantBuilder, *args: Any,
                             seed_spelling_gain: float = SPELLING_GAIN,
                             unchecked_wording: Iterable[str] = UNCHECKED_WORDING,
                             **params: Any) -> None:
            init(self, *args, **params)
            self._set_seed_checks(seed_spelling_gain, unchecked_wording)

        cls.__init__ = with_seed_checks  # type: ignore[method-assign]

    def data_paths(self) -> list[Path]:
        """The declared data files and the word lists of the seed-fluency check."""
        return super().data_paths() + word_lists()

    def accepts(self, seed: Item) -> bool:
        """Whether this family applies to `seed` (e.g. it has a passage); default: all seeds."""
        return True

    def prepare(self, items: Iterable[Item], docs: Mapping[str, Any]) -> None:
        """See the whole stream before any variant is made; `docs` maps seed record -> Doc
        (a `SeedDocs`: each parse is read from the store when asked for)."""

    @abstractmethod
    def make_variants(self, seed: Item, doc: Any, rng: Random) -> list[Candidate]:
        """Propose variants of `seed` (its prompt parsed as `doc`), choices drawn from `rng`."""

    def run(self, batches: Iterable[Batch]) -> Iterator[Batch]:
        """Two passes over `batches` (the runner's stream on disk, read again for each pass):
        the first finds the seeds, lets `prepare` see the stream and indexes its answerable
        items, keeping only what those need; the second takes the stream a window (at most
        WINDOW_SEEDS seeds or WINDOW_ITEMS items) at a time, varies the window's seeds
        (spread over the workers) and yields its batches with the variants inserted. A
        builder that varies its seeds `in_seed_order` varies them all, in record order, before
        the second pass. When done (or stopped) it puts back the attributes it had before
        `prepare`: what `prepare` and the seeds built is dropped."""
        batches = batches if isinstance(batches, Sequence) else list(batches)
        stream = BatchItems(batches)
        rows = AnswerableRows()
        prompts, copied = self._seed_records(rows.reading(stream))  # record -> prompt
        before = dict(vars(self))  # put back when done: the step object lives as long as the
        try:  # build, what `prepare` and the seeds built need not
            self.prepare(stream, SeedDocs(self.ctx, prompts, self.needs_doc))
            chosen = frozenset(prompts)
            del prompts
            index = answerable_index(rows) if chosen else None
            del rows
            yield from self._vary(batches, chosen, copied, index)
        finally:
            vars(self).clear()
            vars(self).update(before)

    def _vary(self, batches: Sequence[Batch], chosen: frozenset[str], copied: set[str],
              index: AnswerableIndex | None) -> Iterator[Batch]:
        """The second pass of `run`: the `chosen` seeds varied (those with copies, or all of
        them `in_seed_order`, first), the stream's batches with their variants inserted."""
        # the seeds judged before the second pass: every seed (in record order) of a builder
        # that carries state from seed to seed, else those whose content has copies elsewhere
        # in the stream (a copy ahead of its seed needs the seed's pairing when emitted)
        early = set(chosen) if self.in_seed_order else copied
        # one pool of workers for every run of seeds, forked at the first window worth it
        with WorkerPool(lambda run: self._judge_seeds(run, index), self.ctx.workers) as pool:
            judged = self._judge_all(self._read_seeds(BatchItems(batches), early), index,
                                     None if self.in_seed_order else pool)
            paired_early = self._paired(judged)
            window: list[Batch] = []
            seeds = items = 0
            for batch in batches:
                window.append(batch)
                seeds += sum(1 for item in batch.items if item.record in chosen)
                items += len(batch.items)
                if seeds >= WINDOW_SEEDS or items >= WINDOW_ITEMS:
                    yield from self._emit_window(window, chosen, early, (judged, paired_early),
                                                 index, pool)
                    window, seeds, items = [], 0, 0
            yield from self._emit_window(window, chosen, early, (judged, paired_early), index,
                                         pool)

    def finished(self, later: list[Step]) -> None:
        """Release the answerable index the builders share when no builder comes later."""
        if not any(isinstance(step, VariantBuilder) for step in later):
            release_answerable_index()

    def _emit_window(self, window: list[Batch], chosen: frozenset[str], early: set[str],
                     before: tuple[dict[str, list[tuple[Item, Verdict, GateResult | None]]],
                                   set[str]],
                     index: AnswerableIndex | None, pool: WorkerPool) -> Iterator[Batch]:
        """The window's batches with the variants of its seeds inserted: those judged now (in
        `pool`) and those judged before the second pass (`before`: their results and the
        content ids of those that kept a variant)."""
        judged, paired_early = before
        seeds = [item for batch in window for item in batch.items
                 if item.record in chosen and item.record not in early]
        mine = self._judge_all(seeds, index, pool)
        paired = paired_early | self._paired(mine) if mine else paired_early
        results = {**judged, **mine} if mine and judged else mine or judged
        for batch in window:
            yield self._emit(batch, results, paired)

    def _judge_all(self, seeds: list[Item], index: AnswerableIndex | None,
                   pool: WorkerPool | None
                   ) -> dict[str, list[tuple[Item, Verdict, GateResult | None]]]:
        """Seed record -> its judged variants, for `seeds`, in runs (`seed_chunks`) over the
        workers of `pool` (each run sent to a worker), or all in this process, in seed order,
        when `pool` is None."""
        runs = [seeds[chunk] for chunk in seed_chunks(len(seeds), pool.workers if pool else 1)]
        parts = (pool.map(runs) if pool is not None
                 else (self._judge_seeds(run, index) for run in runs))
        judged: dict[str, list[tuple[Item, Verdict, GateResult | None]]] = {}
        for part in parts:
            judged.update(part)
        return judged

    @staticmethod
    def _paired(judged: dict[str, list[tuple[Item, Verdict, GateResult | None]]]) -> set[str]:
        """The content ids of the seeds that kept a variant (every variant's parent id)."""
        return {variant.parent_id for results in judged.values()
                for variant, verdict, _ in results if verdict is not Verdict.FAIL}

    def _judge_seeds(self, seeds: list[Item], index: AnswerableIndex | None
                     ) -> dict[str, list[tuple[Item, Verdict, GateResult | None]]]:
        """Seed record -> its judged variants, for a run of seeds (one task of the pool):
        the seeds' parses (only this run's are held), the candidates of each seed, their
        prompts parsed in one call, the gates on each."""
        seed_docs = (parse(self.ctx, [s.prompt for s in seeds]) if self.needs_doc
                     else [None] * len(seeds))
        docs = dict(zip((s.record for s in seeds), seed_docs, strict=True))
        proposals = {s.record: (s, self._variants(s, docs[s.record])) for s in seeds}
        variants = [v for _, made in proposals.values() for v, _ in made]
        gate_docs = dict(zip((v.record for v in variants),
                             parse(self.ctx, [v.prompt for v in variants]), strict=True))
        varied = [seed for seed, made in proposals.values() if made]
        fluency = dict(zip((s.record for s in varied), self._seed_fluency(varied), strict=True))
        return {record: [self._judge(seed, v, cand, (docs[record], gate_docs[v.record]), index,
                                     fluency[record])
                         for v, cand in made]
                for record, (seed, made) in proposals.items()}

    def _seed_records(self, items: Iterable[Item]) -> tuple[dict[str, str], set[str]]:
        """The seeds this builder varies, as record -> prompt in record order: eligible,
        accepted, not varied by it before (the stream ran through it already), one per content
        id (the copy with the smallest record: a corpus listing a row twice would otherwise get
        identical variants twice); and the records of those whose content has other copies
        among the stream's seeds (accepted or not: every copy gets the seed's pair id)."""
        done: set[str] = set()
        best: dict[str, tuple[str, str]] = {}  # content id -> (smallest record, its prompt)
        copied: set[str] = set()
        others = array("q")  # keys of the content ids of the seeds this builder does not accept
        for item in items:
            if item.transform and item.transform.builder == self.name and item.parent_id:
                done.add(item.parent_id)
            elif not is_seed(item):
                continue
            elif not self.accepts(item):
                others.append(record_key(item.id))
            else:
                found = best.get(item.id)
                if found is not None:
                    copied.add(item.id)
                if found is None or item.record < found[0]:
                    best[item.id] = (item.record, item.prompt)
        kept = {seed_id: found for seed_id, found in best.items() if seed_id not in done}
        if others:  # a key shared by chance only makes a seed varied early: the same output
            ids = list(kept)
            shared = np.isin(np.fromiter((record_key(i) for i in ids), np.int64, len(ids)),
                             np.frombuffer(others, dtype=np.int64))
            copied.update(seed_id for seed_id, hit in zip(ids, shared, strict=True) if hit)
        return (dict(sorted(kept.values())),
                {kept[seed_id][0] for seed_id in copied if seed_id in kept})

    @staticmethod
    def _read_seeds(items: Iterable[Item], records: set[str]) -> list[Item]:
        """The items of `items` whose record is in `records`, in record order."""
        if not records:
            return []
        return sorted((item for item in items if item.record in records),
                      key=lambda item: item.record)

    def _variants(self, seed: Item, doc: Any) -> list[tuple[Item, Candidate]]:
        """The seed's candidates (at most max_per_seed) as variant items with their candidate."""
        rng = self.ctx.rng(seed.id, self.name)
        made = self.make_variants(seed, doc, rng)[: self.max_per_seed]
        return [(self._variant_item(seed, cand, k), cand) for k, cand in enumerate(made)]

    def _variant_item(self, seed: Item, cand: Candidate, k: int) -> Item:
        return seed.derive(
            prompt=cand.prompt,
            context=seed.context if cand.context is None else cand.context,
            category=self.category,
            should_abstain=True,
            reference_answers=[],
            rationale=cand.rationale,
            parent_id=seed.id,
            pair_id=pair_id_for(seed.id),
            transform=Transform(self.name, self.version, {**self.params(), **cand.edit},
                                self.ctx.seed),
            label_status=LabelStatus.AUTO,
            confidence=cand.confidence,
            review=None,
            split=None,
            record=f"{self.name}:{seed.record}#{k}",
        )

    def gates(self, seed: Item, variant: Item, cand: Candidate, docs: tuple[Any, Any],
              index: AnswerableIndex) -> list[GateResult]:
        """Every gate result of one variant (`docs`: the seed's and the variant's parses, the
        seed's None for builders that need none): form, fluency of the edit, answer leak,
        builder checks, near-duplicate."""
        seed_doc, doc = docs
        fluency = ([] if seed_doc is None or cand.context is not None
                   else [fluent(seed_doc, doc, cand.span)])
        return [
            well_formed(variant.prompt, doc),
            *fluency,
            answer_leak(seed.reference_answers, variant.prompt, cand.context, seed.prompt),
            *cand.checks,
            index.clash(variant),
        ]

    def _seed_fluency(self, seeds: list[Item]) -> list[GateResult]:
        """The seed-fluency result of each of `seeds`: unsure ("seed_wording_unchecked") for a
        seed from a dataset in `unchecked_wording`, unsure ("seed_not_fluent", with the reason)
        for a seed whose English is not fluent, else passed."""
        unchecked = set(self.unchecked_wording)
        checked = [seed for seed in seeds if seed.source.dataset not in unchecked]
        problems = {seed.record: problem for seed, problem in zip(
            checked, remembered_seed_problems(self.ctx, checked, self.seed_spelling_gain),
            strict=True)}
        return [GateResult.unsure_if(problems[seed.record] is not None, SEED_NOT_FLUENT,
                                     f"seed: {problems[seed.record]}")
                if seed.record in problems
                else GateResult.unsure(SEED_WORDING_UNCHECKED, f"seed from "
                                       f"{seed.source.dataset}, whose wording is unchecked")
                for seed in seeds]

    def _judge(self, seed: Item, variant: Item, cand: Candidate, docs: tuple[Any, Any],
               index: AnswerableIndex, seed_fluency: GateResult,
               ) -> tuple[Item, Verdict, GateResult | None]:
        """Run the gates on one variant, the seed's fluency result first among the unsure
        ones; an unsure variant gets label_status needs_review."""
        verdict, decider = decide([seed_fluency, *self.gates(seed, variant, cand, docs, index)])
        if verdict is Verdict.UNSURE:
            variant.label_status = LabelStatus.NEEDS_REVIEW
            variant.review = {"queue_reason": decider.gate, "detail": decider.detail}
        return variant, verdict, decider

    def _emit(self, batch: Batch,
              judged: dict[str, list[tuple[Item, Verdict, GateResult | None]]],
              paired: set[str]) -> Batch:
        """The batch with each seed followed by its surviving variants, fates for the rejected
        ones, and the pair id on every copy of a seed that kept a variant."""
        out: list[Item] = []
        for item in batch.items:
            if is_seed(item) and item.id in paired:
                out.append(replace(item, pair_id=pair_id_for(item.id)))
            else:
                out.append(item)
            results = judged.get(item.record)
            if results is None:
                continue
            batch.count("seeds_seen")
            for variant, verdict, decider in results:
                batch.count("variants_made")
                if verdict is Verdict.FAIL:
                    batch.reject(variant, self.name, f"gate:{decider.gate}")
                    continue
                batch.count("needs_review" if verdict is Verdict.UNSURE else "auto")
                if verdict is Verdict.UNSURE and decider.gate in SEED_GATES:
                    batch.count(decider.gate)
                out.append(variant)
        batch.items = out
        return batch


LEXICONS = Path(__file__).parent / "lexicons"


def load_lexicon(name: str) -> Any:
    """A data file of builders/lexicons: parsed JSON for *.json, non-comment lines for *.txt."""
    path = LEXICONS / name
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return json.loads(text)
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def splice(text: str, start: int, end: int, new: str) -> str:
    """`text` with characters [start, end) replaced by `new`, tidied as by `apply_edits`."""
    return apply_edits(text, [(start, end, new)])


def apply_edits(text: str, edits: list[tuple[int, int, str]]) -> str:
    """`text` with each non-overlapping (start, end, new) replacement applied, then tidied:
    no double spaces, no space before , . ? ! ; :, no leading comma, first letter upper-cased."""
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return tidy(text)


def tidy(text: str) -> str:
    """`text` mended after words were cut or replaced: no double spaces, no space before
    , . ? ! ; :, no leading comma, first letter upper-cased."""
    out = re.sub(r"\s{2,}", " ", text)
    out = re.sub(r"\s+([,.?!;:])", r"\1", out).strip()
    out = re.sub(r"^[,;:]\s*", "", out)
    return out[:1].upper() + out[1:]
