"""Build folders and release helpers for release tests (real build-folder writer, real release).

`make_build(root, items)` writes items.parquet, an (optional) ledger and a build.json shaped like
the one `abstain-data build` writes; `sample_items()` is a varied, deterministic item set: passage
items with minimal-pair variants, context-free factoids with false-premise twins, refusal bait,
licenses that are and are not redistributable, and every label status.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from abstain_data import buildfolder
from abstain_data.items import (
    Category,
    Complexity,
    Domain,
    Item,
    LabelStatus,
    Source,
    Transform,
    pair_id_for,
)
from abstain_data.releases.write import write_release

REPO = "org/abstain-test"
WORDS = [
    "amber", "basalt", "cedar", "delta", "ember", "fjord", "granite", "harbor", "iris", "juniper",
    "kestrel", "lagoon", "meadow", "nectar", "orchid", "prairie", "quartz", "raven", "saffron",
    "tundra", "umber", "violet", "willow", "yarrow", "zephyr", "anchor", "beacon", "canyon",
    "dune", "estuary", "falcon", "glacier", "heron", "island", "jasper", "kelp", "lantern",
    "marble", "nimbus", "oasis", "pebble", "quill", "reef", "sierra", "thistle",
]
DOMAINS = [Domain.SCIENCE, Domain.HISTORY, Domain.GEOGRAPHY, Domain.CULTURE]


def words(n: int, k: int = 3) -> str:
    """k distinct vocabulary words picked deterministically from n."""
    return " ".join(WORDS[(n * 7 + i * 13) % len(WORDS)] for i in range(k))


def _builder(name: str) -> Transform:
    return Transform(builder=name, builder_version="1.0", params={}, seed=7)


def passage_items(n: int, license_id: str = "cc-by-sa-4.0") -> list[Item]:
    """n SQuAD-like passages, each with an answerable question and a ctx.missing variant."""
    out = []
    for i in range(n):
        context = f"Record {1000 + i} says the {words(i)} valley was surveyed in {1700 + i}."
        parent = Item(prompt=f"When was the {words(i)} valley surveyed, per record {1000 + i}?",
                      should_abstain=False, category=Category.ANSWERABLE, context=context,
                      reference_answers=[str(1700 + i)], domain=DOMAINS[i % 4],
                      source=Source("squad_like", license_id, original_id=f"q{i}",
                                    topic=f"Topic {i % 9}"), record=f"squad#{i}")
        variant = Item(prompt=f"Who funded the {words(i)} survey of record {1000 + i}?",
                       should_abstain=True, category=Category.CTX_MISSING, context=context,
                       domain=parent.domain, parent_id=parent.id, pair_id=pair_id_for(parent.id),
                       rationale="the passage does not say who funded it",
                       source=parent.source, transform=_builder("ctx_missing"),
                       label_status=LabelStatus.AUTO, confidence=0.9, record=f"v:squad#{i}")
        parent.pair_id = variant.pair_id
        out += [parent, variant]
    return out


def factoid_items(n: int, license_id: str = "mit") -> list[Item]:
    """n context-free factoids, each with a false-premise twin (a minimal pair)."""
    out = []
    for i in range(n):
        parent = Item(prompt=f"Which river feeds lake {words(i + 50)} number {3000 + i}?",
                      should_abstain=False, category=Category.ANSWERABLE,
                      reference_answers=[f"river {i}"], domain=DOMAINS[(i + 1) % 4],
                      source=Source("trivia_like", license_id, original_id=f"t{i}"))
        twin = Item(prompt=f"Why did lake {words(i + 50)} number {3000 + i} freeze solid in "
                           f"summer {1900 + i}?",
                    should_abstain=True, category=Category.PREMISE_FALSE,
                    domain=parent.domain, parent_id=parent.id, pair_id=pair_id_for(parent.id),
                    source=parent.source, transform=_builder("false_premise"),
                    label_status=LabelStatus.AUTO, confidence=0.8)
        parent.pair_id = twin.pair_id
        out += [parent, twin]
    return out


def single_items(n: int, category: Category, license_id: str, dataset: str,
                 status: LabelStatus = LabelStatus.SOURCE, offset: int = 0) -> list[Item]:
    """n unrelated items of one category from one source."""
    return [
        Item(prompt=f"Tell me about {words(i + offset, 4)} case {5000 + offset + i} please.",
             should_abstain=category.should_abstain, category=category,
             domain=DOMAINS[i % 4], complexity=Complexity.OPEN_ENDED,
             source=Source(dataset, license_id, original_id=f"{dataset}-{i}"),
             label_status=status,
             review=({"agreement": 0.75, "votes": {"abstain": 3, "answer": 1}}
                     if status is LabelStatus.HUMAN_VERIFIED else None))
        for i in range(n)
    ]


def sample_items() -> list[Item]:
    """About 300 items covering pairs, passages, topics, licenses and label statuses."""
    return [
        *passage_items(40),
        *factoid_items(30),
        *single_items(30, Category.BAIT_HOMONYM, "cc-by-4.0", "bait_src", offset=100),
        *single_items(20, Category.SAFETY_HARMFUL, "cc-by-4.0", "harm_src", offset=200),
        *single_items(12, Category.SUBJECTIVE, "cc-by-nc-4.0", "nc_src", offset=300),
        *single_items(8, Category.UNKNOWN_FUTURE, "", "unlicensed_src", offset=400),
        *single_items(10, Category.UNDER_INTENT, "cc-by-4.0", "reviewed_src",
                      LabelStatus.HUMAN_VERIFIED, offset=500),
        *single_items(5, Category.STALE, "cc-by-4.0", "queue_src", LabelStatus.NEEDS_REVIEW,
                      offset=600),
        *single_items(3, Category.STALE, "cc-by-4.0", "rejected_src", LabelStatus.HUMAN_REJECTED,
                      offset=700),
    ]


def make_build(root: Path, items: list[Item], release: dict[str, Any] | None = None,
               ledger: list[dict[str, Any]] | None = None) -> Path:
    """Write a build folder at `root` with the given items (and optional ledger rows)."""
    root.mkdir(parents=True, exist_ok=True)
    folder = buildfolder.BuildFolder(root)
    buildfolder.write_items(folder.items, items)
    if ledger is not None:
        buildfolder.write_ledger(folder.ledger, ledger)
    recipe = {"seed": 11, "release": release or {"train": 0.7, "validation": 0.1, "test": 0.2}}
    build = {
        "recipe": recipe,
        "recipe_sha256": "0" * 64,
        "versions": {"datasets": "5.2.0"},
        "spacy_model": {"name": "en_core_web_sm", "version": "3.8.0"},
        "sources": {"squad_like": {"adapter": "file", "revision": "abc123",
                                   "license": "cc-by-sa-4.0"}},
    }
    folder.build.write_text(json.dumps(build, indent=2, sort_keys=True) + "\n", "utf-8")
    return root


def release(build: Path, out: Path, version: str = "1.0.0", **kwargs: Any) -> Path:
    """`write_release` of `build` into `out` for the test repo REPO."""
    return write_release(version, build, out, repo=REPO, **kwargs)


def card_yaml(folder: Path) -> dict[str, Any]:
    """The YAML header of a release's README.md."""
    text = (folder / "README.md").read_text("utf-8")
    return yaml.safe_load(text.split("---\n")[1])
