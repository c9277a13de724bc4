"""Load the items of a release to score against: a release folder, or a Hub id at a revision.

A release (written by `abstain-data release`) is a folder in Hub layout,
`data/{split}-{i:05d}-of-{n:05d}.parquet` plus `README.md`, read with `datasets`. ClassLabel
columns (`should_abstain`, `category`, `domain`, `complexity`) come back as names. A Hub id is
fetched with `snapshot_download` at the given revision and then loaded from disk, because
offline `load_dataset(repo, revision=...)` ignores the revision.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from abstain_data.errors import UserError
from abstain_data.items import Category

COLUMNS = ("id", "prompt", "should_abstain", "category", "domain", "complexity",
           "reference_answers")


@dataclass(frozen=True)
class ReleaseItem:
    """What scoring needs of one release row."""

    id: str
    prompt: str
    should_abstain: bool
    category: str
    domain: str
    complexity: str
    reference_answers: tuple[str, ...]
    split: str


def load_release(ref: str, revision: str | None = None,
                 splits: list[str] | None = None) -> list[ReleaseItem]:
    """The items of release `ref` (folder or Hub id) in `splits` (all splits when None).

    Raises UserError when the release cannot be found or read, lacks a column, names an unknown
    split, holds an unknown category, or repeats an id.
    """
    folder = Path(ref)
    if not folder.is_dir():
        folder = _download(ref, revision)
    elif revision is not None:
        raise UserError(f"{ref}: --revision applies to Hub ids, not to a local release folder")
    dataset = _load(folder)
    names = list(dataset)
    for split in splits or []:
        if split not in dataset:
            raise UserError(f"{ref}: no split {split!r} (the release has {', '.join(names)})")
    items: list[ReleaseItem] = []
    seen: set[str] = set()
    for split in splits or names:
        part = dataset[split]
        missing = [c for c in COLUMNS if c not in part.column_names]
        if missing:
            raise UserError(f"{ref}: split {split}: missing column(s) {', '.join(missing)}")
        for number, row in enumerate(_named_rows(part)):
            item = _item(row, split)
            if item.id in seen:
                raise UserError(f"{ref}: split {split}: row {number}: id: {item.id} repeated")
            seen.add(item.id)
            items.append(item)
    return items


def _download(repo: str, revision: str | None) -> Path:
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import HfHubHTTPError, LocalEntryNotFoundError

    try:
        return Path(snapshot_download(repo, repo_type="dataset", revision=revision))
    except (HfHubHTTPError, LocalEntryNotFoundError, OSError, ValueError) as err:
        at = f" at revision {revision}" if revision else ""
        raise UserError(f"{repo}: not a release folder, and the Hub dataset{at} could not be "
                        f"fetched: {type(err).__name__}") from None


def _load(folder: Path) -> Any:
    import datasets

    if not (folder / "data").is_dir():
        raise UserError(f"{folder}: not a release folder (no data/ folder)")
    shown = not datasets.are_progress_bars_disabled()
    datasets.disable_progress_bars()
    try:
        return datasets.load_dataset(str(folder))
    except (ValueError, FileNotFoundError, datasets.exceptions.DataFilesNotFoundError) as err:
        raise UserError(f"{folder}: cannot load the release: {err}") from None
    finally:
        if shown:
            datasets.enable_progress_bars()


def _named_rows(part: Any) -> Any:
    """Rows of a `datasets.Dataset` with ClassLabel integers turned into their names."""
    from datasets import ClassLabel

    labels = {name: f for name, f in part.features.items() if isinstance(f, ClassLabel)}
    for row in part.select_columns(list(COLUMNS)):
        for name, feature in labels.items():
            if name in row and isinstance(row[name], int):
                row[name] = feature.int2str(row[name])
        yield row


def _item(row: dict[str, Any], split: str) -> ReleaseItem:
    label = row["should_abstain"]
    should_abstain = label == "abstain" if isinstance(label, str) else bool(label)
    try:
        category = Category(row["category"])
    except ValueError:
        raise UserError(f"split {split}: id {row['id']}: category: unknown code "
                        f"{row['category']!r}") from None
    return ReleaseItem(
        id=str(row["id"]), prompt=row["prompt"] or "", should_abstain=should_abstain,
        category=category.value, domain=str(row["domain"]), complexity=str(row["complexity"]),
        reference_answers=tuple(row["reference_answers"] or ()), split=split,
    )
