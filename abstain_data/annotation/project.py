"""The Label Studio project of a build: its title, creation with our config, and task export.

One project per build folder. Its default title is "abstain-data <folder name>" (Label Studio
titles are 3-50 characters). The project carries config.xml as its labeling config and
GUIDELINES.md, escaped, as the instructions annotators see before they start.
"""

from __future__ import annotations

import html
import json
from importlib import resources
from pathlib import Path
from typing import Any

from label_studio_sdk import LabelStudio

from abstain_data.annotation.client import Connection, call
from abstain_data.errors import UserError

TITLE_MIN, TITLE_MAX = 3, 50
PAGE_SIZE = 1000
_PREFIX = "abstain-data "


def label_config() -> str:
    """The labeling config (config.xml) as text."""
    return resources.files("abstain_data.annotation").joinpath("config.xml").read_text("utf-8")


def guidelines() -> str:
    """The annotation guidelines (GUIDELINES.md) as text."""
    return resources.files("abstain_data.annotation").joinpath("GUIDELINES.md").read_text("utf-8")


def project_title(build_dir: Path, title: str | None) -> str:
    """`title` if given, else "abstain-data <folder name>"; UserError if out of 3-50 chars."""
    if title is None:
        return (_PREFIX + build_dir.resolve().name)[:TITLE_MAX]
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        raise UserError(f"--project: a Label Studio title has {TITLE_MIN}-{TITLE_MAX} "
                        f"characters, got {len(title)}")
    return title


def find_project(client: LabelStudio, connection: Connection, title: str) -> int | None:
    """The id of the project named exactly `title`, or None."""
    projects = call(connection, lambda: list(client.projects.list(title=title)))
    matches = sorted(p.id for p in projects if p.title == title)
    return matches[0] if matches else None


def require_project(client: LabelStudio, connection: Connection, title: str) -> int:
    """The id of project `title`; UserError if it does not exist (nothing was pushed)."""
    project_id = find_project(client, connection, title)
    if project_id is None:
        raise UserError(f"no Label Studio project {title!r} at {connection.url}; "
                        "run `abstain-data annotate push` first or pass --project")
    return project_id


def ensure_project(client: LabelStudio, connection: Connection, title: str,
                   build_dir: Path) -> int:
    """The id of project `title`, created with our config and guidelines if it does not exist."""
    project_id = find_project(client, connection, title)
    if project_id is not None:
        return project_id
    project = call(connection, lambda: client.projects.create(
        title=title,
        description=(f"Review queue of the abstain-data build {build_dir.resolve().name}. "
                     "Guidelines: the Instructions panel (abstain_data/annotation/GUIDELINES.md)."),
        label_config=label_config(),
        expert_instruction=f"<pre>{html.escape(guidelines())}</pre>",
        show_instruction=True,
    ))
    return int(project.id)


def task_ids(client: LabelStudio, connection: Connection, project_id: int) -> dict[str, int]:
    """Item id -> task id of every task in the project (pages of 1,000; data only)."""
    def listing() -> dict[str, int]:
        pages = client.tasks.list(project=project_id, include="id,data", page_size=PAGE_SIZE)
        return {task.data.get("item_id"): task.id for task in pages}

    return call(connection, listing)


def export_annotated(client: LabelStudio, connection: Connection,
                     project_id: int) -> list[dict[str, Any]]:
    """The tasks that have annotations, with them (Label Studio JSON export)."""
    def download() -> bytes:
        return b"".join(client.projects.exports.download_sync(
            project_id, export_type="JSON", download_all_tasks=False))

    return list(json.loads(call(connection, download)))


def task_counts(client: LabelStudio, connection: Connection, project_id: int) -> tuple[int, int]:
    """(tasks, tasks with at least one annotation) of the project, as the server counts them."""
    project = call(connection, lambda: client.projects.get(project_id))
    return int(project.task_number or 0), int(project.num_tasks_with_annotations or 0)
