"""`annotate push`: import the review queue of a build into its Label Studio project.

Consumes `review_queue.jsonl` of a build folder; produces tasks in the project (created on
first push). Idempotent: the item id travels in the task data, items already in the project
are not imported again. Imports go in batches with the SDK's retries switched off, because a
retried POST can import a batch twice; a failed push is simply run again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from label_studio_sdk import LabelStudio

from abstain_data.annotation.client import Connection, call
from abstain_data.annotation.project import ensure_project, project_title, task_ids
from abstain_data.annotation.settings import BATCH_SIZE
from abstain_data.annotation.state import read_queue
from abstain_data.annotation.tasks import task_for


@dataclass(frozen=True)
class PushReport:
    """What a push did: the project, how many items were queued, already there, imported."""

    project_id: int
    title: str
    queued: int
    already_present: int
    imported: int


def push(client: LabelStudio, connection: Connection, build_dir: Path,
         title: str | None = None, batch_size: int = BATCH_SIZE) -> PushReport:
    """Create or reuse the project of `build_dir` and import its queued items not yet there."""
    queue = read_queue(build_dir)
    title = project_title(build_dir, title)
    project_id = ensure_project(client, connection, title, build_dir)
    present = task_ids(client, connection, project_id)
    new = [item for item in queue if item.id not in present]
    for start in range(0, len(new), batch_size):
        batch = [task_for(item) for item in new[start:start + batch_size]]
        call(connection, lambda batch=batch: client.projects.import_tasks(
            id=project_id, request=batch, request_options={"max_retries": 0}))
    return PushReport(project_id, title, len(queue), len(queue) - len(new), len(new))
