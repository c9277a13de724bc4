"""The runner: ledger accounting per step, source errors, caching, parallel determinism."""

from __future__ import annotations

import gc
import platform
import sys
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import replace

import pytest

from abstain_data.errors import UserError
from abstain_data.items import Category, Item, Source
from abstain_data.pipeline.ledger import LedgerImbalance
from abstain_data.pipeline.runner import Runner, _malloc_trim, release_free_memory
from abstain_data.pipeline.step import Batch, BatchStep, BuildContext, Fate, FateKind, Step
from abstain_data.sources.base import RowError, SourceAdapter, SourceSpec


class ListSource(SourceAdapter):
    """A source over a list of prompts; a prompt of None is a bad row."""

    name = "list"

    def __init__(self, prompts: list[str | None], name: str = "toy") -> None:
        super().__init__(SourceSpec(name=name, adapter="list", license="cc0-1.0"))
        self.prompts = prompts

    def rows(self) -> Iterator[Item | RowError]:
        for i, prompt in enumerate(self.prompts):
            if prompt is None:
                yield RowError("toy.jsonl", i + 1, "prompt", "missing")
            else:
                yield Item(prompt=prompt, should_abstain=False, category=Category.ANSWERABLE,
                           source=Source(dataset="toy", license="cc0-1.0"),
                           reference_answers=["x"])


class RejectOdd(BatchStep):
    """Rejects items whose prompt length is odd; tags the others with an rng draw."""

    name = "reject_odd"

    def process(self, batch: Batch) -> Batch:
        kept = []
        for item in batch.items:
            if len(item.prompt) % 2:
                batch.reject(item, self.name, "odd")
            else:
                item.confidence = self.ctx.rng(item.id, self.name).random()
                kept.append(item)
        batch.items = kept
        return batch


class AddVariant(Step):
    """Adds one variant per item (a new record) to exercise 'created' accounting."""

    name = "add_variant"
    calls = 0

    def run(self, batches: Iterable[Batch]) -> Iterator[Batch]:
        for batch in batches:
            AddVariant.calls += 1
            extra = [item.derive(prompt=item.prompt + " really?", record=item.record + ":v")
                     for item in batch.items]
            batch.items = batch.items + extra
            yield batch


class LosesItems(BatchStep):
    name = "loses_items"

    def process(self, batch: Batch) -> Batch:
        batch.items = batch.items[1:]
        return batch


def prompts(n: int) -> list[str | None]:
    return [f"What is question number {i}{'?' if i % 3 else ' now?'}" for i in range(n)]


def test_every_record_gets_exactly_one_fate():
    ctx = BuildContext(seed=1)
    result = Runner(batch_size=4).run([ListSource(prompts(20))], [RejectOdd(ctx), AddVariant(ctx)])
    balance = result.ledger.balance()
    assert balance["records"] == 20 + len(result.items) // 2
    assert balance["fates"]["rejected"] + balance["fates"]["kept"] == balance["records"]
    assert {f.record for f in result.ledger.fates} >= {f"toy#{i}" for i in range(20)}


def test_a_step_that_drops_items_silently_fails_loudly():
    with pytest.raises(LedgerImbalance, match="loses_items"):
        Runner(batch_size=5).run([ListSource(prompts(10))], [LosesItems(BuildContext())])


def test_bad_row_fails_with_file_row_field_and_hint():
    with pytest.raises(UserError) as err:
        Runner().run([ListSource(["ok?", None, "fine?"])], [])
    message = str(err.value)
    assert "toy.jsonl:2: prompt: missing" in message and "--on-error skip" in message


def test_bad_row_skipped_goes_to_rejects_and_balances():
    result = Runner(on_error="skip").run([ListSource(["ok?", None, "fine?"])], [])
    assert list(result.rejects) == [{"record": "toy#1", "source": "toy", "file": "toy.jsonl",
                               "row": 2, "field": "prompt", "reason": "missing"}]
    assert result.ledger.balance() == {
        "entered": {"source:toy": 3}, "records": 3,
        "fates": {"kept": 2, "duplicate_of": 0, "rejected": 1, "needs_review": 0, "excluded": 0},
    }


@pytest.mark.parametrize("batch_size", [1, 3, 64])
def test_output_does_not_depend_on_batch_size(batch_size):
    ctx = BuildContext(seed=7)
    reference = Runner(batch_size=2).run([ListSource(prompts(30))], [RejectOdd(ctx)])
    other = Runner(batch_size=batch_size).run([ListSource(prompts(30))], [RejectOdd(ctx)])
    assert [i.to_dict() for i in other.items] == [i.to_dict() for i in reference.items]


def test_forked_workers_give_the_same_items():
    ctx = BuildContext(seed=7)
    one = Runner(batch_size=4, workers=1).run([ListSource(prompts(40))], [RejectOdd(ctx)])
    two = Runner(batch_size=4, workers=2).run([ListSource(prompts(40))], [RejectOdd(ctx)])
    assert [i.to_dict() for i in two.items] == [i.to_dict() for i in one.items]
    assert sorted(f.to_row().values().__repr__() for f in two.ledger.fates) == sorted(
        f.to_row().values().__repr__() for f in one.ledger.fates)


def test_cache_skips_finished_steps_on_rerun(tmp_path):
    ctx = BuildContext(seed=3)
    AddVariant.calls = 0
    first = Runner(batch_size=5, cache_dir=tmp_path).run([ListSource(prompts(10))],
                                                         [AddVariant(ctx)])
    calls_after_first = AddVariant.calls
    second = Runner(batch_size=5, cache_dir=tmp_path).run([ListSource(prompts(10))],
                                                          [AddVariant(ctx)])
    assert AddVariant.calls == calls_after_first > 0
    assert second.steps[0].cached and not first.steps[0].cached
    assert [i.to_dict() for i in second.items] == [i.to_dict() for i in first.items]
    # a changed input invalidates the cache
    third = Runner(batch_size=5, cache_dir=tmp_path).run([ListSource(prompts(11))],
                                                         [AddVariant(ctx)])
    assert not third.steps[0].cached


def test_the_sources_are_hashed_once_and_each_later_step_reads_the_one_before(monkeypatch):
    from abstain_data.pipeline import runner

    calls = []
    real = runner.input_hash

    def counted(items, fates=()):
        items = list(items)
        calls.append(len(items))
        return real(items, fates)

    monkeypatch.setattr(runner, "input_hash", counted)
    ctx = BuildContext(seed=3)
    source = ListSource(prompts(10))
    result = Runner(batch_size=5).run([source], [AddVariant(ctx), RejectOdd(ctx)])
    assert calls == [10]
    first, second = (stats.identity for stats in result.steps)
    assert first.input == real([r.item for r in ListSource(prompts(10)).records()], [])
    assert second.input == first.signature
    # a different source stream changes the first step's input and so every signature after it
    other = Runner(batch_size=5).run([ListSource(prompts(11))], [AddVariant(ctx), RejectOdd(ctx)])
    assert [s.identity.signature for s in other.steps] != [first.signature, second.signature]
    assert other.steps[1].identity.input == other.steps[0].identity.signature


class AsksOutside(AddVariant):
    """AddVariant, as if its output came from an outside service (not decided by its
    signature)."""

    name = "asks_outside"
    repeatable = False


def test_a_step_an_outside_service_decides_passes_on_a_hash_of_its_output(monkeypatch):
    from abstain_data.pipeline import runner

    hashed = []
    real = runner.input_hash

    def counted(items, fates=()):
        items = list(items)
        digest = real(items, fates)
        hashed.append((len(items), digest))
        return digest

    monkeypatch.setattr(runner, "input_hash", counted)
    ctx = BuildContext(seed=3)
    result = Runner(batch_size=5).run([ListSource(prompts(10))], [AsksOutside(ctx), RejectOdd(ctx)])
    asked, after = (stats.identity for stats in result.steps)
    assert [n for n, _ in hashed] == [10, 20]  # the sources, then the step's 20 items
    assert after.input == hashed[1][1] != asked.signature


def test_torn_cache_file_is_recomputed(tmp_path):
    ctx = BuildContext(seed=3)
    Runner(cache_dir=tmp_path).run([ListSource(prompts(4))], [AddVariant(ctx)])
    for path in tmp_path.iterdir():
        path.write_bytes(b"\x80\x05torn")
    again = Runner(cache_dir=tmp_path).run([ListSource(prompts(4))], [AddVariant(ctx)])
    assert not again.steps[0].cached and len(again.items) == 8


def test_rng_depends_on_seed_item_and_step_only():
    a, b = BuildContext(seed=1), BuildContext(seed=1, workers=4)
    assert a.rng("ad-1", "s").random() == b.rng("ad-1", "s").random()
    assert a.rng("ad-1", "s").random() != a.rng("ad-1", "t").random()
    assert a.rng("ad-1", "s").random() != BuildContext(seed=2).rng("ad-1", "s").random()


def test_duplicate_fate_for_one_record_is_refused():
    class DoubleFate(BatchStep):
        name = "double"

        def process(self, batch: Batch) -> Batch:
            batch.fates.append(Fate(batch.items[0].record, FateKind.REJECTED, self.name, "x"))
            return batch

    with pytest.raises(LedgerImbalance, match="twice"):
        Runner().run([ListSource(prompts(3))], [DoubleFate(BuildContext())])


def test_rejects_keep_the_rejected_item_whole():
    result = Runner().run([ListSource(["odd", "even"])], [RejectOdd(BuildContext())])
    (reject,) = result.rejects
    assert reject["reason"] == "odd" and reject["step"] == "reject_odd"
    assert reject["item"]["prompt"] == "odd" and reject["item"]["id"] == reject["item_id"]


class ReplaceAll(BatchStep):
    """Replaces every item by an equal copy (as the tagger does) and, at each batch, counts
    how many of the items it replaced before are still alive somewhere."""

    name = "replace_all"

    def __init__(self, ctx: BuildContext) -> None:
        super().__init__(ctx)
        self.replaced: list[weakref.ref[Item]] = []
        self.alive: list[int] = []

    def process(self, batch: Batch) -> Batch:
        gc.collect()
        self.alive.append(sum(ref() is not None for ref in self.replaced))
        self.replaced += [weakref.ref(item) for item in batch.items]
        batch.items = [replace(item) for item in batch.items]
        return batch


def test_items_a_step_replaces_are_freed_as_it_goes():
    step = ReplaceAll(BuildContext())
    result = Runner(batch_size=4).run([ListSource(prompts(12))], [step])
    assert len(result.items) == 12 and step.alive == [0, 0, 0]  # the runner keeps no old copy


def test_free_memory_is_released_where_the_c_library_allows():
    release_free_memory()  # a no-op without glibc; never fails
    if sys.platform == "linux" and platform.libc_ver()[0] == "glibc":
        assert _malloc_trim() is not None


class SeesItsInput(Step):
    """Remembers the type of what the runner hands it and reads it twice."""

    name = "sees_its_input"
    seen: list[type] = []

    def run(self, batches: Iterable[Batch]) -> Iterator[Batch]:
        SeesItsInput.seen.append(type(batches))
        first = [item.record for batch in batches for item in batch.items]
        second = [item.record for batch in batches for item in batch.items]
        assert first == second
        yield from batches


@pytest.mark.parametrize("workers", [1, 2])
def test_a_whole_stream_step_is_handed_the_stream_on_disk(workers):
    from abstain_data.pipeline.stream import Stream

    SeesItsInput.seen.clear()
    result = Runner(batch_size=3, workers=workers).run([ListSource(prompts(10))],
                                                       [SeesItsInput(BuildContext())])
    assert SeesItsInput.seen == [Stream] and len(result.items) == 10
