"""Small build folders and items for the annotation tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from abstain_data import buildfolder
from abstain_data.annotation.client import Connection
from abstain_data.items import Category, Complexity, Item, LabelStatus, Source, Transform


@dataclass(frozen=True)
class LabelStudioServer:
    """A server the tests may use; `data_dir` is set when this session started it."""

    url: str
    api_key: str
    data_dir: Path | None = None

    @property
    def connection(self) -> Connection:
        return Connection(self.url, self.api_key)


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
