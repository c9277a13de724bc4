"""The step contract (after datatrove): a step consumes batches of items and yields batches.

A step never prints or writes files. It changes the stream in two ways only:
- items it yields go on to the next step (new items may appear, e.g. a builder's variants);
- items it takes out of the stream get a `Fate` appended to the batch that carries them,
  saying why (rejected with a reason, merged as a duplicate of another id, excluded by policy).
The runner collects fates into the ledger, times steps and counts what went in and out.
"""

from __future__ import annotations

import hashlib
import random
from abc import ABC, ABCMeta, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Any, ClassVar

import abstain_data
from abstain_data.items import Item
from abstain_data.pipeline.identity import (
    PACKAGE_DIR,
    IdentityError,
    StepIdentity,
    code_hash,
    data_hashes,
    installed_model_version,
    step_params,
)


class FateKind(StrEnum):
    KEPT = "kept"
    DUPLICATE_OF = "duplicate_of"
    REJECTED = "rejected"
    NEEDS_REVIEW = "needs_review"
    EXCLUDED = "excluded"


@dataclass(slots=True)
class Fate:
    """What became of one record: `record` is the ledger key (Item.record or "<source>#<row>").
    Its fields are slots: the ledger holds a fate for every record of the build.

    `detail` is the reason (rejected/excluded/needs_review) or the kept item id (duplicate_of);
    `method` and `score` describe dedupe decisions; `item_id` is the item's content id if any;
    `item` keeps a rejected item whole (rejects.jsonl), so a rejected variant can be inspected.
    """

    record: str
    kind: FateKind
    step: str
    detail: str = ""
    item_id: str | None = None
    method: str | None = None
    score: float | None = None
    item: dict[str, Any] | None = field(default=None, repr=False)  # a rejected item, for rejects

    def to_row(self) -> dict[str, Any]:
        return {
            "record": self.record,
            "item_id": self.item_id,
            "fate": self.kind.value,
            "step": self.step,
            "detail": self.detail,
            "method": self.method,
            "score": self.score,
        }


@dataclass
class Batch:
    """Items that flow on, plus the fates of the records this batch took out of the stream.

    `counters` lets a step report named counts (e.g. "seeds_seen", "gate:answer_leak") that the
    runner sums into stats.json under the step's name.
    """

    items: list[Item] = field(default_factory=list)
    fates: list[Fate] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=dict)

    def count(self, key: str, n: int = 1) -> None:
        self.counters[key] = self.counters.get(key, 0) + n

    def reject(self, item: Item, step: str, reason: str) -> None:
        """Take `item` out of the stream as rejected with `reason` (a slug: "gate:answer_leak")."""
        self.fates.append(Fate(item.record, FateKind.REJECTED, step, reason, item.id,
                               item=item.to_dict()))
        self.count(f"rejected:{reason}")


@dataclass(frozen=True)
class BuildContext:
    """Build-wide settings a step may read: the seed, the spaCy model, the reference year.

    `reference_year` is the "now" of a build (for future-shift builders); it comes from the
    recipe, never from the clock, so that a build is reproducible.
    """

    seed: int = 0
    spacy_model: str = "en_core_web_sm"
    reference_year: int = 2026
    workers: int = 1
    spacy_model_version: str = ""  # of the loaded model; "" = the installed package's version
    parse_dir: str | None = None  # the build's parse store (parsing/store.py); None: a temp one

    def rng(self, item_id: str, step: str) -> random.Random:
        """An RNG seeded by (recipe seed, item id, step name): independent of order and batching."""
        digest = hashlib.sha256(f"{self.seed}\x1f{item_id}\x1f{step}".encode()).digest()
        return random.Random(int.from_bytes(digest[:8], "big"))

    @cached_property
    def nlp(self):  # noqa: ANN201 - spacy.Language, imported lazily
        """The shared spaCy pipeline (loaded once per process)."""
        from abstain_data.nlp import load_nlp

        return load_nlp(self.spacy_model)


class StepMeta(ABCMeta):
    """Checks at construction that a step's identity can be derived (see `Step.params`)."""

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        step = super().__call__(*args, **kwargs)
        step.params()
        return step


class Step(ABC, metaclass=StepMeta):
    """One small contract: `run(batches) -> batches`.

    Subclasses set `name` and take their parameters as keyword arguments of `__init__`, each
    stored as the attribute of the same name (construction fails otherwise): they are the step's
    parameters. `data_files` (paths relative to the abstain_data package, unioned over the class
    and its bases) names the package data the step reads; `data_paths` may add files that
    depend on parameters. `requires` and `provides` name the item fields the step reads from
    its input and fills for the steps after it (checked against the recipe before a build).
    """

    name: ClassVar[str]
    # False for a step whose output is not a function of its signature (it asks an outside
    # service): the runner then passes on a content hash of its output as the next step's input
    repeatable: ClassVar[bool] = True
    data_files: ClassVar[tuple[str, ...]] = ()
    requires: ClassVar[frozenset[str]] = frozenset()
    provides: ClassVar[frozenset[str]] = frozenset()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Refuse, at class definition, a declared data file that the package does not hold."""
        super().__init_subclass__(**kwargs)
        missing = [name for name in vars(cls).get("data_files", ())
                   if not (PACKAGE_DIR / name).is_file()]
        if missing:
            raise IdentityError(f"{cls.__name__}: data_files: no package file {missing[0]!r}")

    def __init__(self, ctx: BuildContext) -> None:
        self.ctx = ctx

    def params(self) -> dict[str, Any]:
        """The declared parameters and their values (canonical JSON data)."""
        return step_params(self)

    @property
    def version(self) -> str:
        """The package version and a short hash of the step's code: "0.1.0+1a2b3c4d"."""
        return f"{abstain_data.__version__}+{code_hash(type(self))[:8]}"

    def data_paths(self) -> list[Path]:
        """Every data file the step reads: its `data_files` and those of its bases."""
        names = dict.fromkeys(name for klass in type(self).__mro__
                              for name in vars(klass).get("data_files", ()))
        return [PACKAGE_DIR / name for name in names]

    def identity(self, input_hash: str) -> StepIdentity:
        """What this step's output depends on, given what its input stream is (`input_hash`
        of the sources' stream for the first step, else the signature of the step before)."""
        return StepIdentity(
            step=self.name, params=self.params(), package_version=abstain_data.__version__,
            code=code_hash(type(self)), data=data_hashes(self.data_paths()),
            model={"name": self.ctx.spacy_model,
                   "version": (self.ctx.spacy_model_version
                               or installed_model_version(self.ctx.spacy_model))},
            seed=self.ctx.seed, reference_year=self.ctx.reference_year, input=input_hash,
        )

    def signature(self, input_hash: str) -> str:
        """The cache key of this step on the input stream that `input_hash` names."""
        return self.identity(input_hash).signature

    def finished(self, later: list[Step]) -> None:
        """Called by the runner once the step's output is complete (computed or from the
        cache), with the steps still to run: a step may release what it shares with steps of
        its kind when none is left (the builders' answerable index). Nothing by default."""
        return None

    @abstractmethod
    def run(self, batches: Iterable[Batch]) -> Iterator[Batch]:
        """Consume batches and yield batches (see the module docstring). The runner passes its
        stream on disk (pipeline/stream.py), a sequence a step may read more than once, each
        read giving fresh items; a step that needs two passes and is given a one-shot iterable
        makes a list of it first."""


class BatchStep(Step):
    """A step whose output for one batch depends on that batch alone (safe to parallelize).

    `spread` is False for a step whose work on an item costs less than sending the item to
    another process and back (pickling it both ways): executors then run it where the stream
    is. Routing is one: at 20k items, forking it to 2 workers took it from 0.04 s to 1.4 s.
    """

    spread: ClassVar[bool] = True

    def run(self, batches: Iterable[Batch]) -> Iterator[Batch]:
        for batch in batches:
            yield self.process(batch)

    @abstractmethod
    def process(self, batch: Batch) -> Batch:
        """Consume one batch, return the batch that flows on (with any new fates appended)."""
