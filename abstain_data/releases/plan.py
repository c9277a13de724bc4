"""What goes into a release: the releasable items of a build, their splits, and each config.

`plan_release` consumes a build folder (items.parquet, build.json; ledger.parquet and
annotations/rounds.json if present) and the previous release's split assignments, and produces
a `ReleasePlan`: items with their split set, the items of every config, the counts of what was
held back and why (label status, license), the annotation rounds and audits. Near-duplicate
prompts are kept in one split; when an earlier release already put them (or any other group)
apart, it fails with a UserError naming them.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from abstain_data import buildfolder
from abstain_data.audit.release import BuildAudits, read_build_audits
from abstain_data.errors import UserError
from abstain_data.items import Item, LabelStatus, Split
from abstain_data.releases.annotations import AnnotationRounds, recorded_rounds
from abstain_data.releases.leakage import Leak, find_leaks
from abstain_data.releases.licenses import license_verdict, normalize_license
from abstain_data.releases.manifest import Version
from abstain_data.releases.splits import assign_splits, group_items, split_ratios

RELEASABLE = frozenset({LabelStatus.SOURCE, LabelStatus.AUTO, LabelStatus.HUMAN_VERIFIED})
CONFIGS = ("default", "all")
MAX_LEAKS_SHOWN = 5


@dataclass
class ReleasePlan:
    """Everything a release folder is written from (no I/O left but writing)."""

    version: Version
    repo: str
    build: dict[str, Any]
    seed: int
    ratios: dict[Split, float]
    build_items: list[Item]
    items: list[Item]
    configs: dict[str, list[Item]]
    held_back: Counter = field(default_factory=Counter)
    license_excluded: dict[str, tuple[int, str]] = field(default_factory=dict)
    annotation: AnnotationRounds = field(default_factory=AnnotationRounds)
    audits: BuildAudits = field(default_factory=BuildAudits)
    cue_filter: dict[str, int] = field(default_factory=dict)

    def split_items(self, config: str) -> dict[Split, list[Item]]:
        """The non-empty splits of a config, items sorted by id."""
        out = {s: [it for it in self.configs[config] if it.split is s] for s in Split}
        return {s: sorted(v, key=lambda it: it.id) for s, v in out.items() if v}


def read_build(build_dir: Path) -> tuple[list[Item], dict[str, Any], list[tuple[str, str]]]:
    """Items, build.json and dedupe links (removed id, kept id) of a build folder.

    UserError when the folder, its items.parquet or its build.json is missing or unreadable.
    """
    folder = buildfolder.BuildFolder(build_dir)
    if not folder.items.is_file():
        raise UserError(f"{folder.items}: no such file (is {build_dir} a build folder?)")
    if not folder.build.is_file():
        raise UserError(f"{folder.build}: no such file (is {build_dir} a build folder?)")
    try:
        build = json.loads(folder.build.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise UserError(f"{folder.build}:{exc.lineno}: invalid JSON: {exc.msg}") from None
    items = buildfolder.read_items(folder.items)
    links: list[tuple[str, str]] = []
    if folder.ledger.is_file():
        links = [
            (row["item_id"], row["detail"]) for row in buildfolder.read_ledger(folder.ledger)
            if row["fate"] == "duplicate_of" and row["item_id"] and row["detail"]
        ]
    return items, build, links


def split_without_leaks(
    items: Sequence[Item], ratios: Mapping[Split, float], seed: int,
    links: Sequence[tuple[str, str]], previous: Mapping[str, Split] | None,
) -> tuple[dict[str, Split], list[tuple[str, str]], list[Leak]]:
    """Assign splits; while the leakage check finds near-duplicates across splits, link them
    and assign again. Produces (splits, all links, the leaks left) - leaks remain only when an
    earlier release put the pair apart. Every round that goes on links two items of different
    groups (a pair in one group shares its split), so the rounds end after at most one per
    item; moving a group can put new neighbours apart, so a chain of near-duplicates may take
    many rounds (a real-corpora build took six)."""
    links = list(links)
    for _ in range(len(items) + 1):
        splits = assign_splits(items, ratios, seed, links, previous)
        leaks = find_leaks(items, splits)
        new = [(leak.pair.first, leak.pair.second) for leak in leaks
               if (leak.pair.first, leak.pair.second) not in set(links)]
        if not new:
            break
        links += new
    return splits, links, leaks


def check_groups(build_dir: Path, items: Sequence[Item], splits: Mapping[str, Split],
                 links: Sequence[tuple[str, str]], leaks: Sequence[Leak]) -> None:
    """UserError naming the near-duplicate pairs and groups that straddle splits.

    The splitter only lets that happen when an earlier release already put their items in
    different splits (items keep their released split).
    """
    named = {leak.pair.first for leak in leaks}
    problems = [leak.describe() for leak in leaks]
    for group in group_items(items, links):
        if len({splits[it.id] for it in group}) > 1 and not named & {it.id for it in group}:
            members = ", ".join(f"{it.id} ({splits[it.id].value})" for it in group[:4])
            problems.append(f"group {members}{' …' if len(group) > 4 else ''} "
                            "(pair, passage, topic, dedupe cluster or near-duplicates)")
    if problems:
        shown = "; ".join(problems[:MAX_LEAKS_SHOWN])
        extra = len(problems) - MAX_LEAKS_SHOWN
        more = f" (+{extra} more)" if extra > 0 else ""
        raise UserError(f"{build_dir}: items that must share a split straddle splits because an "
                        f"earlier release put them apart: {shown}{more}; drop one of each from "
                        "the build or start a new --out")


def cue_filter_counts(build_dir: Path) -> dict[str, int]:
    """The `cue_filter` step's counters in the build's stats.json (removals per source and
    builder, each source's prompt-only AUC before and after in thousandths); {} when the build
    ran no cue filter or has no stats.json."""
    stats_path = buildfolder.BuildFolder(build_dir).stats
    if not stats_path.is_file():
        return {}
    try:
        stats = json.loads(stats_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise UserError(f"{stats_path}:{exc.lineno}: invalid JSON: {exc.msg}") from None
    steps = stats.get("steps") or []
    step = next((s for s in steps if isinstance(s, dict) and s.get("name") == "cue_filter"), None)
    return dict((step or {}).get("counters") or {})


def config_items(config: str, items: Sequence[Item]) -> list[Item]:
    """The items of a named config: "default" keeps redistributable licenses, "all" keeps all."""
    if config == "all":
        return list(items)
    if config == "default":
        return [it for it in items if license_verdict(it.source.license)[0]]
    raise UserError(f"--config {config!r}: unknown config (choose from {', '.join(CONFIGS)})")


def plan_release(
    build_dir: Path,
    version: Version,
    repo: str,
    configs: Sequence[str] = ("default",),
    previous: Mapping[str, Split] | None = None,
) -> ReleasePlan:
    """Select, split and partition the items of a build into the release's configs.

    `configs` names extra configs ("all"); "default" is always written. `previous` maps item
    ids of the latest earlier release to their split, which they keep.
    """
    build_items, build, links = read_build(build_dir)
    recipe = build.get("recipe") or {}
    release_table = recipe.get("release") or {}
    ratios = split_ratios(release_table)
    seed = int(release_table.get("seed", recipe.get("seed", build.get("seed", 0))))
    items = [it for it in build_items if it.label_status in RELEASABLE]
    held_back = Counter(it.label_status.value for it in build_items
                        if it.label_status not in RELEASABLE)
    splits, links, leaks = split_without_leaks(items, ratios, seed, links, previous)
    check_groups(build_dir, items, splits, links, leaks)
    items = [it.derive(split=splits[it.id], id=it.id) for it in items]
    names = ["default", *sorted({c for c in configs if c != "default"})]
    excluded: Counter = Counter()
    reasons: dict[str, str] = {}
    for it in items:
        ok, why = license_verdict(it.source.license)
        if not ok:
            code = normalize_license(it.source.license)
            excluded[code] += 1
            reasons[code] = why
    return ReleasePlan(
        version=version, repo=repo, build=build, seed=seed, ratios=ratios,
        build_items=build_items, items=items,
        configs={name: config_items(name, items) for name in names},
        held_back=held_back, cue_filter=cue_filter_counts(build_dir),
        license_excluded={code: (n, reasons[code]) for code, n in sorted(excluded.items())},
        annotation=recorded_rounds(build_dir),
        audits=read_build_audits(build_dir, {it.id for it in build_items}),
    )
