"""The local executor: which steps it spreads over forked workers, and in what order."""

from __future__ import annotations

import gc
import os

from abstain_data.items import Category, Item, Source
from abstain_data.pipeline.executor import LocalExecutor, WorkerPool
from abstain_data.pipeline.step import Batch, BatchStep, BuildContext


class RecordPid(BatchStep):
    """Counts each batch under the id of the process that ran it."""

    name = "record_pid"

    def process(self, batch: Batch) -> Batch:
        batch.count(f"pid:{os.getpid()}")
        return batch


class RecordPidHere(RecordPid):
    name = "record_pid_here"
    spread = False


def batches(n: int) -> list[Batch]:
    return [Batch([Item(prompt=f"Question {k}?", should_abstain=False,
                        category=Category.ANSWERABLE,
                        source=Source(dataset="toy", license="cc0-1.0"))]) for k in range(n)]


def pids(step: BatchStep, workers: int, n: int = 6) -> list[str]:
    out = LocalExecutor(workers).run_step(step, batches(n))
    return [key for batch in out for key in batch.counters]


def test_a_step_worth_spreading_runs_in_forked_workers_in_order():
    ctx = BuildContext()
    assert f"pid:{os.getpid()}" not in pids(RecordPid(ctx), workers=2)
    assert pids(RecordPid(ctx), workers=1) == [f"pid:{os.getpid()}"] * 6
    out = LocalExecutor(2).run_step(RecordPid(ctx), batches(40))
    assert [item.prompt for batch in out for item in batch.items] == [
        f"Question {k}?" for k in range(40)]


def test_a_step_not_worth_spreading_runs_here_at_any_number_of_workers():
    assert pids(RecordPidHere(BuildContext()), workers=2) == [f"pid:{os.getpid()}"] * 6


def test_a_worker_pool_forks_once_for_many_maps_and_keeps_task_order():
    with WorkerPool(lambda n: (n * n, os.getpid()), 2) as pool:
        first = list(pool.map(range(20)))
        second = list(pool.map(range(20, 23)))
        third = list(pool.map([5]))  # one task: still the pool's, once it is forked
    assert [square for square, _ in first + second + third] == [n * n for n in range(23)] + [25]
    workers = {pid for _, pid in first + second + third}
    assert os.getpid() not in workers and len(workers) <= 2
    assert pool.pool is None  # closed on leaving the block
    assert gc.get_freeze_count() == 0  # the heap frozen for the fork only


def test_a_worker_pool_computes_here_until_a_map_is_worth_spreading():
    one = WorkerPool(lambda n: os.getpid(), 1)
    assert set(one.map(range(5))) == {os.getpid()} and one.pool is None
    with WorkerPool(lambda n: os.getpid(), 2) as two:
        assert list(two.map([0])) == [os.getpid()] and two.pool is None
        assert list(two.map([])) == []


def test_a_worker_keeps_the_state_it_inherited_at_the_fork():
    state = {"seen": "before"}
    with WorkerPool(lambda _: state["seen"], 2) as pool:
        assert list(pool.map(range(2))) == ["before", "before"]
        state["seen"] = "after"
        assert list(pool.map(range(2))) == ["before", "before"]
