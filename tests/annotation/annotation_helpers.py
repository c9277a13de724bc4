"""Small build folders and items for the annotation tests."""

from __future__ import annotations

from pathlib import Path

from label_studio_sdk import LabelStudio

from abstain_data import buildfolder
from abstain_data.annotation.aggregate import Judgement
from abstain_data.annotation.tasks import result_for
from abstain_data.items import Category, Complexity, Item, LabelStatus, Source, Transform


def make_item(prompt: str, category: Category, *, context: str | None = None,
              answers: tuple[str, ...] = (), builder: str | None = "negate",
              queued: bool = True, confidence: float = 0.6) -> Item:
    """A small item; queued ones are needs_review with a queue reason, like a build makes them."""
    return Item(
        prompt=prompt, should_abstain=category.should_abstain, category=category,
        source=Source(dataset="toy", license="cc-by-4.0", row=0), context=context,
        reference_answers=list(answers), complexity=Complexity.TEMPLATED,
        transform=None if builder is None else Transform(builder, "1", {}, 7),
        label_status=LabelStatus.NEEDS_REVIEW if queued else LabelStatus.AUTO,
        confidence=confidence, review={"queue_reason": "low_confidence"} if queued else None,
    )


def write_build(root: Path, items: list[Item]) -> Path:
    """A build folder holding `items`: items.parquet, a balanced ledger, the review queue."""
    root.mkdir(parents=True, exist_ok=True)
    folder = buildfolder.BuildFolder(root)
    buildfolder.write_items(folder.items, items)
    buildfolder.write_ledger(folder.ledger, [
        {"record": f"toy#{n}", "item_id": item.id,
         "fate": "needs_review" if item.label_status is LabelStatus.NEEDS_REVIEW else "kept",
         "step": "final",
         "detail": (item.review or {}).get("queue_reason", ""), "method": None, "score": None}
        for n, item in enumerate(items)])
    buildfolder.write_jsonl(folder.rejects, [])
    buildfolder.write_jsonl(folder.review_queue, [
        item.to_dict() for item in items if item.label_status is LabelStatus.NEEDS_REVIEW])
    return root


def vote(client: LabelStudio, task_id: int, annotator: int, judgement: Judgement,
         code: Category | None = None, note: str = "") -> None:
    """Post one annotation on behalf of `annotator` (the admin sets completed_by)."""
    client.annotations.create(id=task_id, result=result_for(judgement, code, note),
                              completed_by=annotator)


def task_data(client: LabelStudio, project_id: int) -> dict[str, tuple[int, dict]]:
    """Item id -> (task id, task data) of every task in a project, as the server stores them."""
    return {task.data["item_id"]: (task.id, task.data)
            for task in client.tasks.list(project=project_id, include="id,data")}


def snapshot(build: Path) -> dict[str, bytes]:
    """Every file of a build folder (relative path -> bytes)."""
    return {str(p.relative_to(build)): p.read_bytes() for p in sorted(build.rglob("*"))
            if p.is_file()}
