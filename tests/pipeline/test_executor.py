"""The local executor: which steps it spreads over forked workers, and in what order."""

from __future__ import annotations

import os

from abstain_data.items import Category, Item, Source
from abstain_data.pipeline.executor import LocalExecutor
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
