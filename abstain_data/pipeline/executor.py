"""Executors: where a step's batches are computed, kept outside the steps (after datatrove).

An `Executor` consumes one step and the batches of its input stream and produces the step's
output batches in input order. Steps never know which executor runs them: the local executor
runs them in this process (forking workers for batch-local steps worth spreading, see
`BatchStep.spread`), the Ray executor (pipeline/ray_executor.py) maps them over a
`ray.data.Dataset`. Steps that need the whole stream (builders, dedupe, validation) always run
where the stream is, in the driver; the per-item work they do (reading the seeds' parses,
varying seeds, checking items) goes to forked workers that inherit the step's state
(`WorkerPool`: a builder forks one for all its windows; `ordered_map` is a pool for one map),
so they use every core too.
"""

from __future__ import annotations

import gc
import multiprocessing
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

from abstain_data.errors import UserError
from abstain_data.pipeline.step import Batch, BatchStep, Step

EXECUTORS = ("local", "ray")

T = TypeVar("T")
R = TypeVar("R")


class Executor(ABC):
    """Runs steps over batches; `close` releases whatever the executor started."""

    name: str

    @abstractmethod
    def run_step(self, step: Step, batches: Sequence[Batch]) -> Iterator[Batch]:
        """The output batches of `step` over `batches` (the runner's stream on disk,
        pipeline/stream.py, or any sequence of batches), in input order."""

    def close(self) -> None:
        """Release workers or clusters this executor started (nothing by default)."""
        return None

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class LocalExecutor(Executor):
    """This process; `workers` > 1 forks a pool for batch-local steps worth spreading (results
    in order)."""

    name = "local"

    def __init__(self, workers: int = 1) -> None:
        self.workers = workers

    def run_step(self, step: Step, batches: Sequence[Batch]) -> Iterator[Batch]:
        if (self.workers > 1 and isinstance(step, BatchStep) and step.spread
                and len(batches) > 1):
            # each worker inherits the batches (a stream on disk) through fork: only a batch's
            # position is sent, and the worker reads that batch itself
            yield from ordered_map(lambda k: step.process(batches[k]), range(len(batches)),
                                   self.workers)
        else:
            yield from step.run(batches)


def make_executor(name: str, *, workers: int = 1, address: str | None = None) -> Executor:
    """The executor called `name` ("local" or "ray"); `address` is the Ray cluster to join
    (None: start a local Ray with `workers` CPUs, at least 2). Raises ValueError on another
    name, UserError when Ray is not installed or the cluster cannot be reached."""
    if name == "local":
        if address is not None:
            raise ValueError("--address needs --executor ray")
        return LocalExecutor(workers)
    if name == "ray":
        try:
            from abstain_data.pipeline.ray_executor import RayExecutor
        except ImportError:
            raise UserError("--executor ray: Ray is not installed; pip install "
                            "'abstain-data[ray]'") from None
        try:
            return RayExecutor(address=address, num_cpus=None if address else max(workers, 2))
        except ConnectionError as exc:
            raise UserError(f"--address {address}: cannot join the Ray cluster: {exc}") from None
    raise ValueError(f"expected one of {', '.join(EXECUTORS)}, got {name!r}")


_FORKED_FN: Callable[[Any], Any] | None = None  # in a worker: the function its pool maps


def _set_forked_fn(fn: Callable[[Any], Any]) -> None:
    """A pool worker's initializer: the function to map (inherited through fork, not
    pickled; a worker the pool starts again after one died gets it too)."""
    global _FORKED_FN
    _FORKED_FN = fn


def _call_forked(task: Any) -> Any:
    assert _FORKED_FN is not None
    return _FORKED_FN(task)


class WorkerPool:
    """`workers` forked processes that compute `fn(task)` for the tasks of many `map` calls,
    forked once, at the first call worth spreading (at least two tasks), and kept until `close`.

    `fn` and everything it reaches (a step and the corpus-wide state it built) are inherited
    through fork, never pickled: build that state before the first `map`, as later changes in
    this process do not reach the workers. Only each task and its result cross a process
    boundary. The inherited heap is frozen for the fork (`gc.freeze`), so a worker's garbage
    collections never walk, and so never copy, the driver's indexes. Everything runs in this
    process when `workers` <= 1 or this is already a worker."""

    def __init__(self, fn: Callable[[T], R], workers: int) -> None:
        self.fn = fn
        self.workers = workers
        self.pool: Any = None

    def map(self, tasks: Iterable[T]) -> Iterator[R]:
        """`fn(task)` for each task, in task order (computed here while the pool is not
        forked and there is at most one task). Results come back in task order and each
        depends on its task alone: the output does not depend on `workers`."""
        tasks = list(tasks)
        if (self.workers <= 1 or multiprocessing.parent_process() is not None
                or (self.pool is None and len(tasks) <= 1)):
            yield from map(self.fn, tasks)
            return
        if self.pool is None:
            self.pool = self._fork()
        yield from self.pool.imap(_call_forked, tasks)

    def _fork(self) -> Any:
        frozen_already = gc.get_freeze_count() > 0  # then the host froze its heap: leave it
        gc.freeze()
        try:
            return multiprocessing.get_context("fork").Pool(
                self.workers, initializer=_set_forked_fn, initargs=(self.fn,))
        finally:
            if not frozen_already:
                gc.unfreeze()

    def close(self) -> None:
        """Stop the workers, if they were forked."""
        if self.pool is not None:
            self.pool.terminate()
            self.pool = None

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def ordered_map(fn: Callable[[T], R], tasks: Iterable[T], workers: int) -> Iterator[R]:
    """`fn(task)` for each task, in task order, computed by at most `workers` forked processes
    forked for this call (a `WorkerPool` used once; in this process when `workers` <= 1,
    there is at most one task, or this is already a worker)."""
    tasks = list(tasks)
    with WorkerPool(fn, min(workers, len(tasks))) as pool:
        yield from pool.map(tasks)
