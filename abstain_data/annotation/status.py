"""`annotate status`: how far the annotation of a build has come.

Consumes the project's counters and the build folder; produces counts: tasks in the project,
tasks with at least one annotation (as Label Studio counts them), items resolved by people
(human_verified in items.parquet plus human_rejected in the ledger) and items still open
(review_queue.jsonl).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from label_studio_sdk import LabelStudio

from abstain_data import buildfolder
from abstain_data.annotation.client import Connection
from abstain_data.annotation.project import project_title, require_project, task_counts
from abstain_data.annotation.state import read_queue, round_numbers
from abstain_data.items import LabelStatus


@dataclass(frozen=True)
class Status:
    """Counts of one build's annotation: tasks total/annotated, items resolved/open, rounds."""

    title: str
    tasks: int
    annotated: int
    verified: int
    rejected: int
    open: int
    rounds: int

    @property
    def resolved(self) -> int:
        return self.verified + self.rejected


def status(client: LabelStudio, connection: Connection, build_dir: Path,
           title: str | None = None) -> Status:
    """The annotation status of `build_dir` and its project."""
    queue = read_queue(build_dir)
    title = project_title(build_dir, title)
    tasks, annotated = task_counts(client, connection,
                                   require_project(client, connection, title))
    folder = buildfolder.BuildFolder(build_dir)
    verified = sum(1 for d in buildfolder.read_item_dicts(folder.items)
                   if d["label_status"] == LabelStatus.HUMAN_VERIFIED.value)
    rejected = sum(1 for row in buildfolder.read_ledger(folder.ledger)
                   if row["detail"] == "human_rejected")
    return Status(title, tasks, annotated, verified, rejected, len(queue),
                  len(round_numbers(build_dir)))
