"""The Ray executor: batch-local steps map over a `ray.data.Dataset`, the rest run in the driver.

Consumes a step and the runner's batches; produces the same output batches, in the same order,
as the local executor. A batch-local step (`BatchStep`) becomes one `map_batches` over a
dataset holding one block per runner batch (so Ray's batches are exactly the runner's), each
block a table of pickled items; a pool of actors (one spaCy pipeline each) runs the step's
`process` and returns a table of tagged rows: the batch's items, its fates and its counters.
Ray Data keeps the block order (`preserve_order`), so items, fates and the ledger come back
exactly as the local executor makes them. Steps that need the whole stream, and batch-local
steps not worth spreading (`BatchStep.spread` False), run in the driver.
"""

from __future__ import annotations

import copy
import pickle
from collections.abc import Iterator, Sequence
from dataclasses import replace

import pyarrow as pa
import ray
import ray.data

from abstain_data.pipeline.executor import Executor
from abstain_data.pipeline.step import Batch, BatchStep, Step

ITEM, FATE, COUNTERS = "item", "fate", "counters"


def encode_batch(batch: Batch) -> pa.Table:
    """One batch as rows (kind, payload): each item, each fate, then the counters, pickled."""
    kinds = [ITEM] * len(batch.items) + [FATE] * len(batch.fates) + [COUNTERS]
    payloads = ([pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL) for item in batch.items]
                + [pickle.dumps(fate, protocol=pickle.HIGHEST_PROTOCOL) for fate in batch.fates]
                + [pickle.dumps(batch.counters, protocol=pickle.HIGHEST_PROTOCOL)])
    return pa.table({"kind": pa.array(kinds, pa.string()),
                     "payload": pa.array(payloads, pa.binary())})


def decode_batch(table: pa.Table) -> Batch:
    """The batch that `encode_batch` made (several encoded batches merge into one)."""
    batch = Batch()
    for kind, payload in zip(table.column("kind").to_pylist(),
                             table.column("payload").to_pylist(), strict=True):
        value = pickle.loads(payload)
        if kind == ITEM:
            batch.items.append(value)
        elif kind == FATE:
            batch.fates.append(value)
        else:
            for key, n in value.items():
                batch.count(key, n)
    return batch


def detached(step: BatchStep) -> bytes:
    """`step` pickled (by Ray's cloudpickle, so a step defined in a script travels too) without
    the spaCy pipeline its build context may have loaded: each actor loads its own, once."""
    clone = copy.copy(step)
    clone.ctx = replace(step.ctx, workers=1)  # an actor is one worker: no nested processes
    return ray.cloudpickle.dumps(clone)


class StepActor:
    """A Ray Data actor: holds one unpickled step and applies its `process` to each block."""

    def __init__(self, step_blob: bytes) -> None:
        self.step: BatchStep = pickle.loads(step_blob)

    def __call__(self, table: pa.Table) -> pa.Table:
        return encode_batch(self.step.process(decode_batch(table)))


class RayExecutor(Executor):
    """Runs batch-local steps on Ray Data: a cluster at `address` ("auto", "ray://host:10001"),
    or, with no address, a local Ray started here with `num_cpus` CPUs. A Ray already
    initialized in this process is used as it is and left running."""

    name = "ray"

    def __init__(self, address: str | None = None, num_cpus: int | None = None) -> None:
        self.started = not ray.is_initialized()
        if self.started:
            ray.init(address=address, num_cpus=None if address else num_cpus,
                     include_dashboard=False, log_to_driver=False,
                     configure_logging=False)
        self.actors = max(1, int(ray.available_resources().get("CPU", 1)))

    def run_step(self, step: Step, batches: Sequence[Batch]) -> Iterator[Batch]:
        if not isinstance(step, BatchStep) or not step.spread or not batches:
            yield from step.run(batches)
            return
        context = ray.data.DataContext.get_current()
        context.execution_options.preserve_order = True
        context.enable_progress_bars = False  # the runner draws the build's own progress
        # each batch goes to Ray's object store as it is read from the stream on disk (the
        # store spills to disk past its memory): the driver holds one batch, not the stream
        dataset = ray.data.from_arrow_refs([ray.put(encode_batch(batch)) for batch in batches])
        outputs = dataset.map_batches(
            StepActor, fn_constructor_args=(detached(step),), batch_size=None,
            batch_format="pyarrow", concurrency=min(self.actors, len(batches)),
        )
        for table in outputs.iter_batches(batch_size=None, batch_format="pyarrow"):
            yield decode_batch(table)

    def close(self) -> None:
        if self.started and ray.is_initialized():
            ray.shutdown()
