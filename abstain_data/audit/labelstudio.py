"""`audit push` / `audit pull`: an audit sample as a blind Label Studio project.

push consumes an audit folder's `tasks.jsonl` and produces one project (title
"abstain-audit <folder name>" unless given) with config.xml as its labeling config and GUIDE.md
as its instructions, and one task per sample line whose data is only `rid`, `prompt` and
`context`: no prediction, label, category, builder or rationale ever reaches the server. Again-
safe: tasks already in the project (by rid) are not imported twice.

pull consumes the project's export and produces `labels.jsonl` in the format `audit score`
reads, one line per (task, annotator), `reviewer` = "label-studio:<user id>"; skipped
annotations and annotations without a label are left out.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from label_studio_sdk import LabelStudio

from abstain_data import buildfolder
from abstain_data.annotation.client import Connection, call
from abstain_data.annotation.project import (
    PAGE_SIZE,
    TITLE_MAX,
    export_annotated,
    find_project,
    project_title,
)
from abstain_data.audit.folder import AuditFolder
from abstain_data.audit.labels import LABELS
from abstain_data.errors import UserError
from abstain_data.jsonfiles import read_objects

TITLE_PREFIX = "abstain-audit "
TASK_FIELDS = ("rid", "prompt", "context")
FLAGS = ("malformed", "looks_unsafe")


def audit_config() -> str:
    """The blind labeling config (config.xml) as text."""
    return resources.files("abstain_data.audit").joinpath("config.xml").read_text("utf-8")


def audit_guide() -> str:
    """The reviewers' guide (GUIDE.md) as text."""
    return resources.files("abstain_data.audit").joinpath("GUIDE.md").read_text("utf-8")


def audit_title(root: Path, title: str | None) -> str:
    """`title` if given (3-50 characters), else "abstain-audit <folder name>"."""
    if title is None:
        return (TITLE_PREFIX + root.resolve().name)[:TITLE_MAX]
    return project_title(root, title)


def blind_task(line: dict[str, Any]) -> dict[str, Any]:
    """The import payload of one tasks.jsonl line: its rid, prompt and context, nothing else."""
    return {"data": {"rid": line["rid"], "prompt": line["prompt"],
                     "context": line.get("context") or ""}}


@dataclass(frozen=True)
class PushReport:
    project_id: int
    title: str
    tasks: int
    already_present: int
    imported: int


def _rids(client: LabelStudio, connection: Connection, project_id: int) -> set[str]:
    return call(connection, lambda: {
        task.data.get("rid") for task in client.tasks.list(
            project=project_id, include="id,data", page_size=PAGE_SIZE)})


def push_sample(client: LabelStudio, connection: Connection, root: Path,
                title: str | None = None) -> PushReport:
    """Create or reuse the blind project of the audit folder `root`; import missing tasks."""
    folder = AuditFolder(root)
    lines = read_objects(folder.tasks)
    for number, line in enumerate(lines, 1):
        if set(line) != set(TASK_FIELDS):
            raise UserError(f"{folder.tasks}:{number}: expected exactly the fields "
                            f"{', '.join(TASK_FIELDS)} (a blind task), got {', '.join(line)}")
    title = audit_title(root, title)
    project_id = find_project(client, connection, title)
    if project_id is None:
        project = call(connection, lambda: client.projects.create(
            title=title,
            description="Blind audit sample (abstain-data audit). Reviewers see only the "
                        "prompt and its passage; guide in the Instructions panel.",
            label_config=audit_config(),
            expert_instruction=f"<pre>{html.escape(audit_guide())}</pre>",
            show_instruction=True))
        project_id = int(project.id)
    present = _rids(client, connection, project_id)
    new = [blind_task(line) for line in lines if line["rid"] not in present]
    if new:
        call(connection, lambda: client.projects.import_tasks(
            id=project_id, request=new, request_options={"max_retries": 0}))
    return PushReport(project_id, title, len(lines), len(lines) - len(new), len(new))


def label_of(rid: str, annotation: dict[str, Any]) -> dict[str, Any] | None:
    """The labels.jsonl line of one exported annotation, or None if it holds no label."""
    chosen: dict[str, list[str]] = {}
    for region in annotation.get("result", []):
        chosen[region.get("from_name", "")] = list(region.get("value", {}).get("choices", []))
    label = (chosen.get("label") or [None])[0]
    if label not in LABELS:
        return None
    completed_by = annotation.get("completed_by")
    user = completed_by.get("id") if isinstance(completed_by, dict) else completed_by
    flags = set(chosen.get("flags", []))
    return {
        "rid": rid, "reviewer": f"label-studio:{user}", "label": label,
        "reason": (chosen.get("reason") or [None])[0] if label == "abstain" else None,
        "malformed": "malformed" in flags, "looks_unsafe": "looks_unsafe" in flags,
        "domain": (chosen.get("domain") or [None])[0],
        "complexity": (chosen.get("complexity") or [None])[0],
    }


def pull_labels(client: LabelStudio, connection: Connection, root: Path,
                title: str | None = None) -> tuple[Path, int]:
    """Write the project's annotations to `root/labels.jsonl`; (path, lines written)."""
    folder = AuditFolder(root)
    title = audit_title(root, title)
    project_id = find_project(client, connection, title)
    if project_id is None:
        raise UserError(f"no Label Studio project {title!r} at {connection.url}; "
                        "run `abstain-data audit push` first or pass --project")
    lines = []
    for task in export_annotated(client, connection, project_id):
        for annotation in task.get("annotations", []):
            if annotation.get("was_cancelled"):
                continue
            line = label_of(task["data"]["rid"], annotation)
            if line is not None:
                lines.append(line)
    lines.sort(key=lambda line: (line["rid"], line["reviewer"]))
    buildfolder.write_jsonl(folder.labels, lines)
    return folder.labels, len(lines)
