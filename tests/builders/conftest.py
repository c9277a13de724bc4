"""Fixtures for the unanswerable-builder tests: a build context, seed items, a runner."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest

from abstain_data.items import Category, Domain, Item, Source
from abstain_data.pipeline.step import Batch, BuildContext, Fate, Step


@dataclass
class Outcome:
    """What a builder step did to a stream: items out, fates, summed counters."""

    items: list[Item]
    fates: list[Fate]
    counters: Counter[str] = field(default_factory=Counter)

    def variants(self, builder: str) -> list[Item]:
        return [i for i in self.items if i.transform and i.transform.builder == builder]


class WalkedDocs(Mapping[str, Any]):
    """Seed record -> parse, as `SeedDocs` gives them to `prepare`, counting the walks over
    the parses and the single look-ups (in a build, each reads parses from the parse store)."""

    def __init__(self, docs: dict[str, Any]) -> None:
        self.docs = docs
        self.walks = self.lookups = 0

    def __getitem__(self, record: str) -> Any:
        self.lookups += 1
        return self.docs[record]

    def __iter__(self) -> Iterator[str]:
        return iter(self.docs)

    def __len__(self) -> int:
        return len(self.docs)

    def values(self) -> Iterator[Any]:  # type: ignore[override]
        self.walks += 1
        return iter(self.docs.values())

    def gather(self, fn: Callable[[list[tuple[str, Any]]], Any]) -> list[Any]:
        """As `SeedDocs.gather`, each seed a run of its own: what a prepare learns from
        different runs must merge into what one walk learns."""
        self.walks += 1
        return [fn([(record, doc)]) for record, doc in self.docs.items()]


def make_seed(prompt: str, answers: list[str], context: str | None = None,
              topic: str | None = None, domain: Domain = Domain.GENERAL,
              record: str = "t#0", dataset: str = "test") -> Item:
    """An answerable seed item as a source adapter would produce it."""
    item = Item(prompt=prompt, should_abstain=False, category=Category.ANSWERABLE,
                source=Source(dataset=dataset, license="cc-by-4.0", topic=topic),
                context=context, reference_answers=answers, domain=domain, record=record)
    return item


def run_step(step: Step, items: list[Item], batch_size: int = 512) -> Outcome:
    """Run `step` over `items` cut into batches of `batch_size`; collect what came out."""
    batches = [Batch(items=list(items[i:i + batch_size]))
               for i in range(0, len(items), batch_size)]
    out = Outcome([], [])
    for batch in step.run(batches):
        out.items.extend(batch.items)
        out.fates.extend(batch.fates)
        out.counters.update(batch.counters)
    return out


@pytest.fixture
def ctx() -> BuildContext:
    return BuildContext(seed=13, reference_year=2026)


@pytest.fixture
def seed() -> Callable[..., Item]:
    return make_seed


@pytest.fixture
def run() -> Callable[..., Outcome]:
    return run_step
