"""Executors: where a step's batches are computed, kept outside the steps (after datatrove).

An `Executor` consumes one step and the batches of its input stream and produces the step's
output batches in input order. Steps never know which executor runs them: the local executor
runs them in this process (forking workers for batch-local steps worth spreading, see
`BatchStep.spread`), the Ray executor (pipeline/ray_executor.py) maps them over a
`ray.data.Dataset`. Steps that need the whole stream (builders, dedupe, validation) always run
where the stream is, in the driver; the per-item work they do (reading the seeds' parses,
varying seeds, checking items) goes through `ordered_map` (forked workers that inherit the
step's state), so they use every core too.
"""

from __future__ import annotations

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


_FORKED_FN: Callable[[Any], Any] | None = None


def _call_forked(task: Any) -> Any:
    assert _FORKED_FN is not None
    return _FORKED_FN(task)


def ordered_map(fn: Callable[[T], R], tasks: Iterable[T], workers: int) -> Iterator[R]:
    """`fn(task)` for each task, in task order, computed by `workers` forked processes (in
    this process when `workers` <= 1, there is at most one task, or this is already a worker).

    `fn` and everything it reaches (a step and the corpus-wide state it built) are inherited
    through fork, never pickled; only each task and its result cross a process boundary. Since
    results come back in task order and each depends on its task alone, the output is the same
    whatever `workers` is."""
    tasks = list(tasks)
    if workers <= 1 or len(tasks) <= 1 or multiprocessing.parent_process() is not None:
        yield from map(fn, tasks)
        return
    global _FORKED_FN
    _FORKED_FN = fn
    try:
        with multiprocessing.get_context("fork").Pool(min(workers, len(tasks))) as pool:
            yield from pool.imap(_call_forked, tasks)
    finally:
        _FORKED_FN = None
