"""status against a real server: tasks total and annotated, items resolved and open."""

from __future__ import annotations

from pathlib import Path

from label_studio_sdk import LabelStudio
from label_studio_server import LabelStudioServer
from test_pull import pushed_round

from abstain_data.annotation.pull import pull
from abstain_data.annotation.status import status


def test_status_counts_tasks_and_items_before_and_after_a_pull(
        client: LabelStudio, label_studio: LabelStudioServer, annotators: list[int],
        project_name: str, tmp_path: Path) -> None:
    build = tmp_path / "build"
    pushed_round(client, label_studio.connection, annotators, project_name, build)

    before = status(client, label_studio.connection, build, project_name)
    pull(client, label_studio.connection, build, project_name, min_annotators=2)
    after = status(client, label_studio.connection, build, project_name)

    assert (before.tasks, before.annotated, before.resolved, before.open, before.rounds) == (
        8, 8, 0, 8, 0)
    assert (after.tasks, after.annotated, after.open, after.rounds) == (8, 8, 3, 1)
    assert (after.verified, after.rejected, after.resolved) == (3, 2, 5)
