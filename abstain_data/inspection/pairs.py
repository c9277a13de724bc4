"""Eyeballing a builder: its variants beside their parents, with the rationale and the label.

Consumes a build folder (items.parquet); produces the (parent, variant) pairs of one builder, a
deterministic sample of them, and a rich table a person can scan in seconds.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.table import Table

from abstain_data.buildfolder import BuildFolder, read_item_dicts
from abstain_data.errors import UserError

PASSAGE_CHARS = 220


@dataclass
class Pair:
    """One variant (a schema dict) and its parent (None if the parent is not in the build)."""

    parent: dict[str, Any] | None
    variant: dict[str, Any]


def load_pairs(build_dir: Path, builder: str) -> list[Pair]:
    """Every variant made by `builder` in the build at `build_dir`, with its parent, by id.

    Raises UserError when the folder has no items.parquet or the builder made no variant there
    (naming the builders that did).
    """
    path = BuildFolder(Path(build_dir)).items
    if not path.is_file():
        raise UserError(f"{path}: not found (is {build_dir} a build folder?)")
    items = read_item_dicts(path)
    by_id = {item["id"]: item for item in items}
    made = Counter(_builder(item) for item in items if item.get("parent_id"))
    variants = [item for item in items if item.get("parent_id") and _builder(item) == builder]
    if not variants:
        known = ", ".join(sorted(name for name in made if name)) or "none"
        raise UserError(f"{path}: no variants of builder {builder!r} (builders with variants: "
                        f"{known})")
    variants.sort(key=lambda item: item["id"])
    return [Pair(by_id.get(v["parent_id"]), v) for v in variants]


def _builder(item: dict[str, Any]) -> str | None:
    return (item.get("transform") or {}).get("builder")


def sample_pairs(pairs: list[Pair], n: int, seed: int = 0, status: str | None = None
                 ) -> list[Pair]:
    """Up to `n` pairs (those whose variant has label_status `status`, if given), drawn with
    random.Random(seed) so the same build and seed give the same sample; in id order."""
    if status is not None:
        pairs = [p for p in pairs if p.variant["label_status"] == status]
    chosen = random.Random(seed).sample(pairs, min(n, len(pairs)))
    return sorted(chosen, key=lambda p: p.variant["id"])


def _passage(text: str | None) -> str:
    if not text:
        return ""
    short = text if len(text) <= PASSAGE_CHARS else text[:PASSAGE_CHARS].rstrip() + "…"
    return f"\n[dim]passage: {_escape(short)}[/dim]"


def _escape(text: str) -> str:
    """Text with rich markup brackets escaped (prompts are data, never markup)."""
    return text.replace("[", "\\[")


def _parent_cell(parent: dict[str, Any] | None) -> str:
    if parent is None:
        return "[red](parent not in build)[/red]"
    answers = "; ".join(parent.get("reference_answers") or []) or "—"
    return (f"{_escape(parent['prompt'])}\n[green]answer: {_escape(answers)}[/green]"
            f"{_passage(parent.get('context'))}")


def _variant_cell(pair: Pair) -> str:
    variant = pair.variant
    same_passage = pair.parent is not None and pair.parent.get("context") == variant.get("context")
    return _escape(variant["prompt"]) + ("" if same_passage else _passage(variant.get("context")))


def _label_cell(variant: dict[str, Any]) -> str:
    status = variant["label_status"]
    reason = (variant.get("review") or {}).get("queue_reason")
    colour = "green" if status == "auto" else "yellow"
    lines = [f"[{colour}]{status}[/{colour}] {variant['confidence']:.2f}"]
    if reason:
        lines.append(f"review: {reason}")
    lines.append(variant["id"])
    return "\n".join(lines)


def pairs_table(pairs: list[Pair], builder: str, total: int) -> Table:
    """A table of `pairs`: parent (prompt, answer, passage), variant, label, rationale."""
    table = Table(title=f"{builder}: {len(pairs)} of {total} variants", show_lines=True)
    table.add_column("parent", ratio=3)
    table.add_column("variant", ratio=3)
    table.add_column("label", no_wrap=True, min_width=19)
    table.add_column("rationale", ratio=3)
    for pair in pairs:
        table.add_row(_parent_cell(pair.parent), _variant_cell(pair), _label_cell(pair.variant),
                      _escape(pair.variant.get("rationale") or ""))
    return table


def pair_record(pair: Pair) -> dict[str, Any]:
    """A flat JSON-able view of one pair (for --json output)."""
    parent, variant = pair.parent or {}, pair.variant
    return {
        "variant_id": variant["id"], "parent_id": variant.get("parent_id"),
        "parent_prompt": parent.get("prompt"), "reference_answers": parent.get("reference_answers"),
        "variant_prompt": variant["prompt"],
        "context_changed": parent.get("context") != variant.get("context"),
        "category": variant["category"], "label_status": variant["label_status"],
        "confidence": variant["confidence"],
        "queue_reason": (variant.get("review") or {}).get("queue_reason"),
        "rationale": variant.get("rationale"),
        "edit": (variant.get("transform") or {}).get("params"),
    }
