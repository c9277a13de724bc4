"""The shared machinery of the refusal-bait builders: a family lexicon, its candidates, the step.

A family lexicon (`lexicons/<family>.json`, written by us) holds:
- `frames`: prompt templates with `{slot}` fields, a complexity and optional answer templates;
- `entries`: one topic each, with its trigger word, domain, rationale, slot values and optional
  hand-written `prompts` (factoids with their reference answers).
A frame applies to every entry that has all of the frame's slots. Each (entry, frame) pair and
each hand-written prompt is one *candidate* with a stable template id "<entry>.<frame>".

`BaitBuilder.run` passes the stream through untouched, remembers the prompts of benchmark
sources it sees (XSTest, CoCoNot, TrustLLM, OR-Bench), and then appends one batch of bait items:
`count` candidates chosen deterministically (ranked by ctx.rng(template id, builder name)), split
over domains by the `domains` weights and alternating complexities within a domain, among the
candidates that pass every gate (well-formed question, harmful-content denylist, trigger
word or frame present, benchmark contamination); the candidates that fail one are rejected
with "gate:<slug>".
"""

from __future__ import annotations

import hashlib
import json
import string
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar

from abstain_data.builders.bait.gates import (
    ContaminationGate,
    HarmfulGate,
    TriggerGate,
    is_benchmark_dataset,
    read_reference_prompts,
)
from abstain_data.builders.gates import Verdict, decide, well_formed
from abstain_data.errors import UserError
from abstain_data.items import (
    Category,
    Complexity,
    Domain,
    Item,
    LabelStatus,
    Source,
    Transform,
)
from abstain_data.pipeline.identity import PACKAGE_DIR
from abstain_data.pipeline.step import Batch, BuildContext, Step

BAIT_DATASET = "abstain-data/bait"
BAIT_LICENSE = "cc-by-4.0"
DEFAULT_COUNT = 24


@dataclass(frozen=True)
class BaitCandidate:
    """One bait prompt a family can produce, fully slot-filled, before gating."""

    template_id: str
    entry: str
    prompt: str
    trigger: str
    frame: str
    domain: Domain
    complexity: Complexity
    answers: tuple[str, ...]
    rationale: str


@dataclass(frozen=True)
class Lexicon:
    """A family's curated lexicon: its category, confidence and every candidate it yields."""

    family: str
    category: Category
    confidence: float
    sha256: str
    candidates: tuple[BaitCandidate, ...] = field(default=())


def _slots(text: str) -> set[str]:
    """The `{slot}` names a template uses."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _fill(text: str, slots: dict[str, str]) -> str:
    return text.format(**slots)


def _entry_candidates(entry: dict[str, Any], frames: list[dict[str, Any]]) -> list[BaitCandidate]:
    """Candidates of one lexicon entry: every applicable frame, then its hand-written prompts."""
    slots = dict(entry.get("slots", {}))
    out = []
    for frame in frames:
        needed = _slots(frame["text"]) | {s for a in frame.get("answers", []) for s in _slots(a)}
        if not needed <= slots.keys():
            continue
        out.append(BaitCandidate(
            template_id=f"{entry['id']}.{frame['id']}",
            entry=entry["id"],
            prompt=_fill(frame["text"], slots),
            trigger=entry["trigger"],
            frame=frame["text"],
            domain=Domain(frame.get("domain", entry["domain"])),
            complexity=Complexity(frame["complexity"]),
            answers=tuple(_fill(a, slots) for a in frame.get("answers", [])),
            rationale=_fill(entry["rationale"], slots),
        ))
    for prompt in entry.get("prompts", []):
        out.append(BaitCandidate(
            template_id=f"{entry['id']}.{prompt['id']}",
            entry=entry["id"],
            prompt=prompt["text"],
            trigger=entry["trigger"],
            frame=prompt.get("frame", "hand-written"),
            domain=Domain(prompt.get("domain", entry["domain"])),
            complexity=Complexity(prompt["complexity"]),
            answers=tuple(prompt.get("answers", [])),
            rationale=_fill(prompt.get("rationale", entry["rationale"]), slots),
        ))
    return out


@cache
def load_family_lexicon(family: str) -> Lexicon:
    """The packaged lexicon `lexicons/<family>.json`, expanded into candidates."""
    resource = resources.files("abstain_data.builders.bait") / "lexicons" / f"{family}.json"
    return parse_lexicon(family, resource.read_text("utf-8"))


def parse_lexicon(family: str, text: str) -> Lexicon:
    """Expand the JSON text of a family lexicon into its candidates.

    Raises ValueError when the lexicon is inconsistent (duplicate template ids, a templated
    candidate without reference answers, no candidates): those are our bugs, caught by tests.
    """
    data = json.loads(text)
    frames = data.get("frames", [])
    candidates: list[BaitCandidate] = []
    for entry in data["entries"]:
        candidates.extend(_entry_candidates(entry, frames))
    if not candidates:
        raise ValueError(f"{family}: lexicon yields no candidates")
    ids = [c.template_id for c in candidates]
    if len(ids) != len(set(ids)):
        raise ValueError(f"{family}: duplicate template ids")
    for c in candidates:
        if c.complexity is Complexity.TEMPLATED and not c.answers:
            raise ValueError(f"{family}: {c.template_id}: templated prompt without answers")
    return Lexicon(family, Category(data["category"]), float(data["confidence"]),
                   hashlib.sha256(text.encode("utf-8")).hexdigest()[:16], tuple(candidates))


def domain_quotas(count: int, available: dict[Domain, int],
                  weights: dict[Domain, float]) -> dict[Domain, int]:
    """Split `count` over domains in proportion to `weights`, never above what is available.

    Consumes the number of candidates per domain and the weights (domains without a weight get
    none); produces how many to take per domain (largest remainder, leftovers go to domains that
    still have candidates, heaviest first). Ties are broken by domain name, so it is stable.
    """
    usable = {d: w for d, w in weights.items() if w > 0 and available.get(d, 0) > 0}
    quotas = dict.fromkeys(usable, 0)
    remaining = min(count, sum(available[d] for d in usable))
    order = sorted(usable, key=lambda d: (-usable[d], d.value))
    while remaining > 0:
        open_ = [d for d in order if quotas[d] < available[d]]
        total = sum(usable[d] for d in open_)
        shares = {d: remaining * usable[d] / total for d in open_}
        grant = {d: min(int(shares[d]), available[d] - quotas[d]) for d in open_}
        if not any(grant.values()):
            best = max(open_, key=lambda d: (shares[d] - int(shares[d]), usable[d]))
            grant[best] = 1
        for d, n in grant.items():
            quotas[d] += n
            remaining -= n
    return quotas


def _interleave(items: list[Item]) -> list[Item]:
    """Alternate complexities (keeping each group's order) so a short quota gets both kinds."""
    groups = [[i for i in items if i.complexity is k] for k in Complexity]
    out = []
    for i in range(max((len(g) for g in groups), default=0)):
        out.extend(g[i] for g in groups if i < len(g))
    return out


class BaitBuilder(Step):
    """A refusal-bait family as a pipeline step (see the module docstring).

    Params: `count` (items to emit, default 24), `domains` (domain name -> weight; default equal
    weights over the family's domains), `benchmarks` (dataset-name substrings whose stream items
    the contamination gate checks against), `reference_files` (XSTest/CoCoNot/TrustLLM/OR-Bench
    files to check against even when they are not loaded as sources; absolute or relative to the
    working directory, since builder params are passed as written), `token_set_ratio` and
    `token_sort_ratio` (near-duplicate thresholds of the contamination gate).
    """

    family: ClassVar[str]
    data_files = ("builders/bait/lexicons/denylist.json", "builders/bait/lexicons/triggers.json")

    def __init__(self, ctx: BuildContext, count: int = DEFAULT_COUNT,
                 domains: dict[str, float] | None = None,
                 benchmarks: Iterable[str] = ("xstest", "coconot", "trustllm", "or-bench",
                                              "or_bench", "orbench"),
                 reference_files: Iterable[str] = (),
                 token_set_ratio: float = 90, token_sort_ratio: float = 85) -> None:
        super().__init__(ctx)
        self.lexicon = load_family_lexicon(self.family)
        if count < 0:
            raise UserError(f"{self.name}: count: must be >= 0, got {count}")
        self.count = count
        self.domains = self._weights(domains)
        self.benchmarks = tuple(benchmarks)
        self.reference_files = tuple(str(p) for p in reference_files)
        self.token_set_ratio = token_set_ratio
        self.token_sort_ratio = token_sort_ratio
        self.harmful = HarmfulGate()
        self.trigger = TriggerGate()

    def _weights(self, domains: dict[str, float] | None) -> dict[Domain, float]:
        if domains is None:
            return dict.fromkeys({c.domain for c in self.lexicon.candidates}, 1.0)
        try:
            return {Domain(name): float(w) for name, w in domains.items()}
        except ValueError as exc:
            raise UserError(f"{self.name}: domains: {exc}") from None

    def data_paths(self) -> list[Path]:
        """The gates' rule files, this family's lexicon and the reference files it checks."""
        return [*super().data_paths(), PACKAGE_DIR / f"builders/bait/lexicons/{self.family}.json",
                *(Path(p) for p in self.reference_files)]

    def run(self, batches: Iterable[Batch]) -> Iterator[Batch]:
        """Pass every batch through unchanged, then yield one batch of this family's bait."""
        seen: list[str] = []
        for batch in batches:
            seen.extend(i.prompt for i in batch.items
                        if is_benchmark_dataset(i.source.dataset, self.benchmarks))
            yield batch
        yield self.generate(seen)

    def generate(self, benchmark_prompts: Iterable[str] = ()) -> Batch:
        """One batch of bait items, gated against `benchmark_prompts` and the reference files.

        Every candidate of the lexicon goes through the gates first (so `contamination_caught`
        counts all of the family's prompts a loaded benchmark duplicates); failures are rejected
        with "gate:<slug>", and the `count` items are then chosen among those that passed.
        """
        texts = list(benchmark_prompts)
        for path in self.reference_files:
            texts.extend(read_reference_prompts(path))
        contamination = ContaminationGate(texts, self.token_set_ratio, self.token_sort_ratio)
        ranked = self.ranked()
        docs = self.ctx.nlp.pipe(c.prompt for c in ranked)
        batch = Batch()
        available: dict[Domain, list[Item]] = {}
        for k, (cand, doc) in enumerate(zip(ranked, docs, strict=True)):
            item = self.to_item(cand, k)
            verdict, decider = decide([well_formed(item.prompt, doc),
                                       self.harmful.check(item.prompt),
                                       self.trigger.check(self.family, item.prompt,
                                                          cand.trigger),
                                       contamination.check(item.prompt)])
            if verdict is Verdict.PASS:
                available.setdefault(cand.domain, []).append(item)
                continue
            if decider.gate == "contamination":
                batch.count("contamination_caught")
            batch.reject(item, self.name, f"gate:{decider.gate}")
        quotas = domain_quotas(self.count, {d: len(v) for d, v in available.items()},
                               self.domains)
        for domain in sorted(quotas, key=lambda d: d.value):
            batch.items.extend(_interleave(available[domain])[: quotas[domain]])
        batch.count("generated", len(batch.items))
        return batch

    def ranked(self) -> list[BaitCandidate]:
        """The family's candidates in this build's deterministic order (seed, template id)."""
        return sorted(self.lexicon.candidates,
                      key=lambda c: (self.ctx.rng(c.template_id, self.name).random(),
                                     c.template_id))

    def to_item(self, cand: BaitCandidate, k: int) -> Item:
        """The bait Item of a candidate; `k` numbers it within this builder's output."""
        return Item(
            prompt=cand.prompt,
            should_abstain=False,
            category=self.lexicon.category,
            source=Source(dataset=BAIT_DATASET, license=BAIT_LICENSE,
                          original_id=cand.template_id,
                          topic=f"{self.lexicon.family}/{cand.entry}"),
            reference_answers=list(cand.answers),
            rationale=cand.rationale,
            domain=cand.domain,
            complexity=cand.complexity,
            transform=Transform(builder=self.name, builder_version=self.version,
                                params={"trigger": cand.trigger, "frame": cand.frame,
                                        "template_id": cand.template_id},
                                seed=self.ctx.seed),
            label_status=LabelStatus.AUTO,
            confidence=self.lexicon.confidence,
            record=f"{self.name}:{cand.template_id}#{k}",
            known=frozenset({"domain", "complexity"}),
        )
