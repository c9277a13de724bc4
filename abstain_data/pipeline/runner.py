"""The runner: reads sources, runs steps over batches, keeps the ledger, stats and the cache.

Steps only transform batches; the runner owns everything around them: batching, the executor
that computes each step (pipeline/executor.py: this process, forked workers, or Ray), progress,
timing, per-step stats, the ledger checks, and a cache that lets a rerun redo only the steps
whose signature (see pipeline/identity.py) is new: an unchanged rerun reuses every step; a
change recomputes the first changed step and every later one (a later step's input is the
signature of the step before it, so the stream is hashed once per build).
"""

from __future__ import annotations

import ctypes
import functools
import json
import os
import pickle
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from abstain_data.errors import UserError
from abstain_data.items import written_order
from abstain_data.pipeline.executor import Executor, LocalExecutor
from abstain_data.pipeline.identity import StepIdentity, input_hash
from abstain_data.pipeline.ledger import Ledger
from abstain_data.pipeline.step import Fate, FateKind, Step
from abstain_data.pipeline.stream import Stream, StreamItems, StreamWriter, sorted_stream
from abstain_data.sources.base import SourceAdapter, SourceError

OnError = Literal["fail", "skip"]

# progress(step_name, done, total): the CLI draws bars from it; None means silent
Progress = Callable[[str, int, int], None]


@dataclass
class StepStats:
    """What one step did: items in and out, records created, fates by kind and reason, time."""

    name: str
    version: str
    identity: StepIdentity
    items_in: int = 0
    items_out: int = 0
    created: int = 0
    fates: Counter[str] = field(default_factory=Counter)
    counters: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    cached: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "version": self.version, "params": self.identity.params,
            "signature": self.identity.signature, "in": self.items_in, "out": self.items_out,
            "created": self.created, "fates": dict(sorted(self.fates.items())),
            "counters": dict(sorted(self.counters.items())),
        }


@dataclass
class SourceStats:
    """What one source gave: rows read, items made, rows rejected, the data revision."""

    name: str
    adapter: str
    license: str
    rows: int = 0
    items: int = 0
    rejected: int = 0
    revision: str | None = None
    seconds: float = 0.0


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's `malloc_trim`, or None where the C library has none (macOS)."""
    try:
        return ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):
        return None


def release_free_memory() -> None:
    """Give the C heap's free pages back to the system (glibc `malloc_trim(0)`; nothing where
    the C library has no such call). spaCy's parses of long texts (math word problems) leave
    free memory in the heap that long-lived objects allocated meanwhile keep from being
    returned: at 100k seeds the heap held 445 MiB free beside 164 MiB in use by dedupe."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


class SpilledRows:
    """Rows (JSON objects) appended one at a time and kept in an unnamed temporary file rather
    than in memory (a build's rejects hold whole rejected variants); iterating reads them back
    in order, as equal dicts."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 - lives on
        self.count = 0

    def append(self, row: dict[str, Any]) -> None:
        self._file.write(json.dumps(row, ensure_ascii=False) + "\n")
        self.count += 1

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[dict[str, Any]]:
        self._file.flush()
        self._file.seek(0)
        try:
            for line in self._file:
                yield json.loads(line)
        finally:
            self._file.seek(0, os.SEEK_END)


@dataclass
class RunResult:
    """The outcome of a run: the final items (on disk, in written order, read back a batch at a
    time), the ledger, rejects (read back from a temporary file) and the stats of each stage."""

    items: StreamItems
    ledger: Ledger
    rejects: SpilledRows
    sources: list[SourceStats]
    steps: list[StepStats]


class Runner:
    """Runs sources then steps. `cache_dir` enables resume; `executor` computes the steps
    (default: this process, `workers` > 1 forking for BatchSteps)."""

    def __init__(self, *, batch_size: int = 512, workers: int = 1, on_error: OnError = "fail",
                 cache_dir: Path | None = None, progress: Progress | None = None,
                 executor: Executor | None = None) -> None:
        self.batch_size = batch_size
        self.workers = workers
        self.executor = executor or LocalExecutor(workers)
        self.on_error = on_error
        self.cache_dir = cache_dir
        self.progress = progress

    def run(self, sources: list[SourceAdapter], steps: list[Step]) -> RunResult:
        ledger = Ledger()
        stream, rejects, source_stats = self._read_sources(sources, ledger)
        step_stats = []
        upstream = input_hash(stream.items(), ledger.fates)  # the sources' stream, hashed once
        for k, step in enumerate(steps):
            stream, stats = self._run_step(step, stream, ledger, rejects, upstream)
            step.finished(steps[k + 1:])
            step_stats.append(stats)
            # the next step's input: what decides this step's output, or the output itself
            upstream = (stats.identity.signature if step.repeatable
                        else input_hash(stream.items(), ledger.fates))
        for item in stream.items():
            queued = item.label_status == "needs_review"
            kind = FateKind.NEEDS_REVIEW if queued else FateKind.KEPT
            detail = (item.review or {}).get("queue_reason", "") if queued else ""
            ledger.fates.append(Fate(item.record, kind, "final", str(detail), item.id))
        items = sorted_stream(stream, written_order, self.batch_size)
        return RunResult(StreamItems(items), ledger, rejects, source_stats, step_stats)

    # sources ------------------------------------------------------------------------------

    def _read_sources(self, sources: list[SourceAdapter], ledger: Ledger
                      ) -> tuple[Stream, SpilledRows, list[SourceStats]]:
        items = StreamWriter(self.batch_size)
        rejects = SpilledRows()
        all_stats = []
        for adapter in sources:
            spec = adapter.spec
            stats = SourceStats(spec.name, spec.adapter, adapter.license)
            started = time.perf_counter()
            try:
                for record in adapter.records():
                    stats.rows += 1
                    if self.progress and stats.rows % 1000 == 0:
                        self.progress(f"source {spec.name}", stats.rows, 0)
                    if record.item is not None:
                        stats.items += 1
                        items.extend((record.item,))
                        continue
                    error = record.error
                    if self.on_error == "fail":
                        raise UserError(
                            f"{error} (source {spec.name!r}; rerun with --on-error skip to send "
                            "bad rows to rejects.jsonl and carry on)"
                        )
                    stats.rejected += 1
                    reason = f"bad_row: {error.field or '-'}: {error.message}"
                    ledger.fates.append(Fate(record.record, FateKind.REJECTED, "source", reason))
                    rejects.append({"record": record.record, "source": spec.name,
                                    "file": error.file, "row": error.row, "field": error.field,
                                    "reason": error.message})
            except SourceError as exc:
                raise UserError(f"{exc} (source {spec.name!r})") from None
            stats.revision = adapter.revision()
            stats.seconds = time.perf_counter() - started
            ledger.entered[f"source:{spec.name}"] += stats.rows
            all_stats.append(stats)
        return items.finish(), rejects, all_stats

    # steps --------------------------------------------------------------------------------

    def _run_step(self, step: Step, stream: Stream, ledger: Ledger,
                  rejects: SpilledRows, upstream: str) -> tuple[Stream, StepStats]:
        """The output stream of `step` over `stream`, whose identity is `upstream` (from the
        cache when the step's signature is known), and its stats; its fates go to the ledger,
        rejected items to `rejects`. Only the batches the step is working on are in memory: the
        output is written to disk as it comes."""
        identity = step.identity(upstream)
        signature = identity.signature
        stats = StepStats(step.name, step.version, identity, items_in=stream.item_count)
        started = time.perf_counter()
        cached = self._cache_load(step, signature)
        if cached is not None:
            (fates, counters, rejected), out = cached
            stats.cached = True
        else:
            rejected = SpilledRows()
            out, fates, counters = self._execute(step, stream, rejected)
            if self.cache_dir is not None:
                self._cache_store(step, signature, out, (fates, counters, list(rejected)))
        for row in rejected:
            rejects.append(row)
        release_free_memory()  # what the step freed, before the next one allocates
        created = ledger.check_step_keys(step.name, stream.keys, out.keys, fates)
        if created is None:  # raises LedgerImbalance naming the records
            created = ledger.check_step(step.name, stream.records(), out.records(), fates)
        stats.created = created
        for fate in fates:
            stats.fates[f"{fate.kind.value}:{fate.detail}" if fate.kind is FateKind.REJECTED
                        else fate.kind.value] += 1
        stats.counters.update(counters)
        stats.items_out = out.item_count
        stats.seconds = time.perf_counter() - started
        return out, stats

    def _execute(self, step: Step, stream: Stream, rejects: SpilledRows
                 ) -> tuple[Stream, list[Fate], Counter]:
        """Run `step` over `stream`: its output stream, fates and counters. A rejected item
        goes to `rejects` (a file) as soon as its batch leaves the step; its fate keeps no
        copy."""
        out = StreamWriter(self.batch_size)
        fates: list[Fate] = []
        counters: Counter[str] = Counter()
        total = stream.item_count
        done = 0
        for batch in self.executor.run_step(step, stream):
            out.extend(batch.items)
            for fate in batch.fates:
                if fate.kind is FateKind.REJECTED:
                    rejects.append({"record": fate.record, "item_id": fate.item_id,
                                    "step": step.name, "reason": fate.detail, "item": fate.item})
                    fate.item = None  # on disk now: the ledger keeps the fate, not the item
            fates.extend(batch.fates)
            counters.update(batch.counters)
            done = min(total, done + self.batch_size)
            if self.progress:
                self.progress(step.name, done, total)
        return out.finish(), fates, counters

    # cache --------------------------------------------------------------------------------

    def _cache_path(self, step: Step, signature: str) -> Path | None:
        if self.cache_dir is None:
            return None
        return self.cache_dir / f"{step.name}-{signature}.pickle"

    def _cache_load(self, step: Step, signature: str) -> tuple[Any, Stream] | None:
        path = self._cache_path(step, signature)
        if path is None or not path.exists():
            return None
        try:
            return Stream.load(path)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError,
                TypeError):
            return None  # a torn or stale cache file is recomputed, never trusted

    def _cache_store(self, step: Step, signature: str, stream: Stream, header: Any) -> None:
        path = self._cache_path(step, signature)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        stream.save(path, header)
