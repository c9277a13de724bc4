"""Compare two releases: ids added, removed and relabelled, and counts per category.

An item's id hashes its prompt, context and category, so a relabel shows up as a new id for the
same prompt and context: `diff_releases` pairs those up by dedupe's exact key (normalized
prompt and context) and reports them as relabelled (old category -> new) instead of as one
removal plus one addition.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq
from datasets import Features

from abstain_data.dedupe.keys import exact_text_key
from abstain_data.errors import UserError
from abstain_data.items import Item


@dataclass(frozen=True)
class ReleaseRow:
    """What the diff needs of one released item."""

    id: str
    key: tuple[str, str]  # dedupe's exact key: normalized prompt and context
    category: str
    split: str


@dataclass
class ReleaseDiff:
    """Differences from an old to a new release (ids sorted)."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    relabelled: list[tuple[str, str, str, str]] = field(default_factory=list)  # old, new, cats
    old_counts: Counter = field(default_factory=Counter)
    new_counts: Counter = field(default_factory=Counter)


def rows_of_items(items: Iterable[Item]) -> list[ReleaseRow]:
    """ReleaseRows of items whose split is set."""
    return [ReleaseRow(it.id, exact_text_key(it.prompt, it.context), it.category.value,
                       it.split.value if it.split else "") for it in items]


def read_release_rows(folder: Path) -> list[ReleaseRow]:
    """One ReleaseRow per distinct id in every shard under folder/data (all configs).

    The split is read from the shard's file name, the category name from the ClassLabel the
    shard itself declares. UserError when the folder holds no shards.
    """
    shards = sorted((folder / "data").rglob("*.parquet"))
    if not shards:
        raise UserError(f"{folder}: no data/*.parquet shards (is it a release folder?)")
    rows: dict[str, ReleaseRow] = {}
    for shard in shards:
        table = pq.read_table(shard, columns=["id", "prompt", "context", "category"])
        names = Features.from_arrow_schema(pq.read_schema(shard))["category"].names
        split = shard.name.split("-", 1)[0]
        for row in table.to_pylist():
            key = exact_text_key(row["prompt"], row["context"])
            rows.setdefault(row["id"], ReleaseRow(row["id"], key, names[row["category"]], split))
    return sorted(rows.values(), key=lambda r: r.id)


def diff_releases(old: list[ReleaseRow], new: list[ReleaseRow]) -> ReleaseDiff:
    """Added, removed and relabelled ids from `old` to `new`, and category counts of each."""
    old_ids, new_ids = {r.id: r for r in old}, {r.id: r for r in new}
    gone = [old_ids[i] for i in sorted(old_ids.keys() - new_ids.keys())]
    came = [new_ids[i] for i in sorted(new_ids.keys() - old_ids.keys())]
    came_by_key = {r.key: r for r in came}
    result = ReleaseDiff(old_counts=Counter(r.category for r in old),
                         new_counts=Counter(r.category for r in new))
    relabelled_new: set[str] = set()
    for row in gone:
        twin = came_by_key.get(row.key)
        if twin is not None and twin.category != row.category:
            result.relabelled.append((row.id, twin.id, row.category, twin.category))
            relabelled_new.add(twin.id)
        else:
            result.removed.append(row.id)
    result.added = [r.id for r in came if r.id not in relabelled_new]
    return result


def render_diff(diff: ReleaseDiff, old_name: str, new_name: str, limit: int | None = None) -> str:
    """Markdown: the counts table, then the ids (at most `limit` per list when given)."""
    cats = sorted(set(diff.old_counts) | set(diff.new_counts))
    lines = [f"{len(diff.added)} added, {len(diff.removed)} removed, "
             f"{len(diff.relabelled)} relabelled ({old_name} -> {new_name}).", "",
             f"| category | {old_name} | {new_name} | change |", "|---|---|---|---|"]
    lines += [f"| `{c}` | {diff.old_counts[c]} | {diff.new_counts[c]} | "
              f"{diff.new_counts[c] - diff.old_counts[c]:+d} |" for c in cats]
    sections = [("Added", diff.added), ("Removed", diff.removed),
                ("Relabelled", [f"{a} -> {b} (`{ca}` -> `{cb}`)"
                                for a, b, ca, cb in diff.relabelled])]
    for title, entries in sections:
        if entries:
            shown = entries if limit is None else entries[:limit]
            lines += ["", f"### {title} ({len(entries)})", ""] + [f"- {e}" for e in shown]
            if len(shown) < len(entries):
                lines.append(f"- … and {len(entries) - len(shown)} more (run `abstain-data diff`)")
    return "\n".join(lines)
