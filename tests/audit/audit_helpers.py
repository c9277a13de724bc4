"""Small build folders for the audit tests: real items.parquet files written by buildfolder."""

from __future__ import annotations

import json
from pathlib import Path

from abstain_data import buildfolder
from abstain_data.items import Category, Domain, Item, LabelStatus, Source, Transform

UNANSWERABLE = {"negation": Category.CTX_NEGATION_ANTONYM,
                "fabricated_entity": Category.ENTITY_FABRICATED,
                "future_shift": Category.UNKNOWN_FUTURE}


def make_item(prompt: str, category: Category, builder: str | None = None, *,
              status: LabelStatus = LabelStatus.AUTO, domain: Domain = Domain.GENERAL,
              context: str | None = None, rationale: str | None = None,
              pair_id: str | None = None, dataset: str = "toy") -> Item:
    """An item as a build makes it (a builder's variant when `builder` is given)."""
    return Item(prompt=prompt, should_abstain=category.should_abstain, category=category,
                source=Source(dataset=dataset, license="cc-by-4.0"), context=context,
                rationale=rationale, domain=domain, pair_id=pair_id,
                transform=None if builder is None else Transform(builder, "1", {}, 7),
                label_status=status)


def toy_items(per_builder: dict[str, int], decoys: int) -> list[Item]:
    """`per_builder[b]` auto variants of each builder (with a rationale) and `decoys`
    answerable source items, spread over three domains."""
    domains = [Domain.HISTORY, Domain.SCIENCE, Domain.CULTURE]
    items = [make_item(f"Question {n} of set {rank}?", UNANSWERABLE[builder], builder,
                       domain=domains[n % 3], rationale=f"made by {builder}")
             for rank, (builder, count) in enumerate(per_builder.items())
             for n in range(count)]
    items += [make_item(f"Answerable question {n}?", Category.ANSWERABLE,
                        status=LabelStatus.SOURCE, domain=domains[n % 3])
              for n in range(decoys)]
    return items


def write_build(root: Path, items: list[Item]) -> Path:
    """A build folder with `items` in items.parquet and a build.json."""
    root.mkdir(parents=True, exist_ok=True)
    folder = buildfolder.BuildFolder(root)
    buildfolder.write_items(folder.items, items)
    folder.build.write_text(json.dumps({"recipe_sha256": "0" * 64}), encoding="utf-8")
    return root


def read_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def write_lines(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path
