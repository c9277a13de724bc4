"""`audit sample`: draw a blind review sample from a build.

Consumes the items of a build folder (and, for bait samples, XSTest's prompt CSV); produces an
audit folder (see folder.py): `tasks.jsonl` with only `rid`, `prompt`, `context`; `key.jsonl`
with our side of every task; `sample.json` with how it was drawn. Three kinds:

- `answerability`: `auto` items stratified by builder (an equal share of N per builder, capped
  by what it has, the rest spread over the others), plus answerable source items as decoys so
  that they make up the share F of all tasks (only source labels the build ships: status
  `source` or `human_verified`, never an item still in the review queue);
- `bait`: refusal-bait items stratified by family, mixed with as many of XSTest's safe prompts
  (for the looks-unsafe review, where XSTest is the anchor);
- `domain`: items of any label status, stratified by their domain tag, to check the domain and
  complexity tags.

Everything is shuffled and numbered after drawing; the same build and seed give the same files.
"""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from abstain_data import buildfolder
from abstain_data.audit.folder import AuditFolder, write_json
from abstain_data.buildfolder import BuildFolder
from abstain_data.errors import UserError
from abstain_data.items import Category, Item, LabelStatus

XSTEST_COLUMNS = ("id", "prompt", "type", "label")
XSTEST_ORIGIN = "xstest"
OURS_ORIGIN = "ours"


class SampleKind(StrEnum):
    ANSWERABILITY = "answerability"
    BAIT = "bait"
    DOMAIN = "domain"


@dataclass(frozen=True)
class Entry:
    """One task before it is numbered: what the reviewer sees and our key for it."""

    prompt: str
    context: str | None
    key: dict[str, Any]


def builder_name(item: Item) -> str | None:
    """The builder that made an item, or None for an item taken from a source."""
    return item.transform.builder if item.transform else None


def allocate(available: dict[str, int], n: int) -> dict[str, int]:
    """How many to draw per stratum: an equal share of `n`, capped by what each has, the rest
    spread evenly over the strata that still have some (ties go to names in sorted order)."""
    taken: dict[str, int] = {}
    left = min(n, sum(available.values()))
    uncapped = sorted(available, key=lambda name: (available[name], name))
    while uncapped and available[uncapped[0]] <= left // len(uncapped):
        name = uncapped.pop(0)
        taken[name] = available[name]
        left -= available[name]
    share, extra = divmod(left, len(uncapped)) if uncapped else (0, 0)
    for rank, name in enumerate(sorted(uncapped)):
        taken[name] = share + (1 if rank < extra else 0)
    return taken


def stratified(items: Iterable[Item], stratum_of: Callable[[Item], str], n: int,
               rng: random.Random) -> list[Item]:
    """`n` items drawn without replacement, allocated over strata by `allocate`."""
    strata: dict[str, list[Item]] = defaultdict(list)
    for item in sorted(items, key=lambda it: it.id):
        strata[stratum_of(item)].append(item)
    counts = allocate({name: len(group) for name, group in strata.items()}, n)
    drawn = []
    for name in sorted(strata):
        drawn += rng.sample(strata[name], counts[name])
    return drawn


# the source labels a build ships as they are (a needs_review item's label is not one yet)
DECOY_STATUSES = frozenset({LabelStatus.SOURCE, LabelStatus.HUMAN_VERIFIED})


def item_key(item: Item, *, decoy: bool = False) -> dict[str, Any]:
    """Our side of a task: the label and where the item came from (never shown to reviewers)."""
    return {
        "id": item.id, "should_abstain": item.should_abstain, "category": item.category.value,
        "builder": builder_name(item), "label_status": item.label_status.value,
        "domain": item.domain.value, "complexity": item.complexity.value, "decoy": decoy,
    }


def answerability_entries(items: Sequence[Item], n: int, rng: random.Random,
                          decoy_share: float, builders: Sequence[str] = ()) -> list[Entry]:
    """`n` auto items stratified by builder, plus answerable source decoys (share of all)."""
    pool = [it for it in items if it.label_status is LabelStatus.AUTO and it.transform]
    if builders:
        known = {builder_name(it) for it in pool}
        unknown = sorted(set(builders) - known)
        if unknown:
            raise UserError(f"--builders: no auto items from {', '.join(unknown)} "
                            f"(builders with auto items: {', '.join(sorted(known)) or 'none'})")
        pool = [it for it in pool if builder_name(it) in builders]
    if not pool:
        raise UserError("the build has no auto items from a builder to audit")
    audited = stratified(pool, lambda it: builder_name(it) or "", n, rng)
    decoys_wanted = round(len(audited) * decoy_share / (1 - decoy_share))
    decoy_pool = sorted((it for it in items if it.category is Category.ANSWERABLE
                         and it.transform is None and it.label_status in DECOY_STATUSES),
                        key=lambda it: it.id)
    decoys = rng.sample(decoy_pool, min(decoys_wanted, len(decoy_pool)))
    return ([Entry(it.prompt, it.context, item_key(it)) for it in audited]
            + [Entry(it.prompt, it.context, item_key(it, decoy=True)) for it in decoys])


def read_xstest_safe(path: Path) -> list[dict[str, str]]:
    """The safe prompts of XSTest's CSV (columns id, prompt, type, label); UserError naming
    the file, row and column when it does not have that shape."""
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in XSTEST_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise UserError(f"{path}:1: missing column(s) {', '.join(missing)} "
                                f"(an XSTest prompts CSV has {', '.join(XSTEST_COLUMNS)})")
            rows = []
            for number, row in enumerate(reader, 2):
                for column in XSTEST_COLUMNS:
                    if not (row.get(column) or "").strip():
                        raise UserError(f"{path}:{number}: {column}: empty")
                if row["label"].strip() == "safe":
                    rows.append(row)
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    return rows


def bait_entries(items: Sequence[Item], xstest: Sequence[dict[str, str]], n: int,
                 rng: random.Random) -> list[Entry]:
    """`n` of our bait items stratified by family, and as many XSTest safe prompts stratified
    by XSTest type."""
    ours = [it for it in items if it.category.is_bait
            and it.label_status is not LabelStatus.HUMAN_REJECTED]
    if not ours:
        raise UserError("the build has no refusal-bait items")
    drawn = stratified(ours, lambda it: it.category.value, n, rng)
    entries = [Entry(it.prompt, it.context,
                     {**item_key(it), "origin": OURS_ORIGIN, "family": it.category.value})
               for it in drawn]
    by_type: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in xstest:
        by_type[row["type"]].append(row)
    counts = allocate({name: len(rows) for name, rows in by_type.items()}, len(drawn))
    for name in sorted(by_type):
        for row in rng.sample(by_type[name], counts[name]):
            entries.append(Entry(row["prompt"].strip(), None, {
                "id": f"xstest:{row['id']}", "should_abstain": False, "category": None,
                "builder": None, "label_status": None, "domain": None, "complexity": None,
                "decoy": True, "origin": XSTEST_ORIGIN, "family": row["type"]}))
    return entries


def domain_entries(items: Sequence[Item], n: int, rng: random.Random) -> list[Entry]:
    """`n` items of any label status, stratified by their domain tag."""
    if not items:
        raise UserError("the build has no items")
    return [Entry(it.prompt, it.context, item_key(it))
            for it in stratified(items, lambda it: it.domain.value, n, rng)]


def write_sample(out: Path, entries: list[Entry], rng: random.Random,
                 meta: dict[str, Any]) -> AuditFolder:
    """Shuffle `entries`, number them r000..., write tasks.jsonl, key.jsonl and sample.json."""
    folder = AuditFolder(out)
    if folder.key.exists():
        raise UserError(f"{folder.key}: the folder already holds a sample; "
                        "choose another --out (labels are tied to their sample)")
    order = list(entries)
    rng.shuffle(order)
    width = max(3, len(str(len(order) - 1)))
    rids = [f"r{n:0{width}d}" for n in range(len(order))]
    out.mkdir(parents=True, exist_ok=True)
    buildfolder.write_jsonl(folder.tasks, ({"rid": rid, "prompt": e.prompt, "context": e.context}
                                           for rid, e in zip(rids, order, strict=True)))
    buildfolder.write_jsonl(folder.key, ({"rid": rid, **e.key}
                                         for rid, e in zip(rids, order, strict=True)))
    write_json(folder.sample, {**meta, "tasks": len(order)})
    return folder


def draw_sample(build: Path, out: Path, kind: SampleKind, n: int, seed: int = 0,
                decoy_share: float = 0.2, builders: Sequence[str] = (),
                xstest: Path | None = None) -> AuditFolder:
    """Draw a sample of `kind` from the build folder `build` into `out` (module docstring)."""
    if n < 1:
        raise UserError(f"--n: expected at least 1, got {n}")
    if not 0 <= decoy_share < 1:
        raise UserError(f"--decoys: expected a share in [0, 1), got {decoy_share}")
    items_path = BuildFolder(build).items
    if not items_path.is_file():
        raise UserError(f"{items_path}: no such file (is {build} a build folder?)")
    items = buildfolder.read_items(items_path)
    rng = random.Random(seed)
    meta: dict[str, Any] = {"kind": kind.value, "build": str(build), "n": n, "seed": seed}
    if kind is SampleKind.ANSWERABILITY:
        entries = answerability_entries(items, n, rng, decoy_share, builders)
        meta.update(decoy_share=decoy_share, builders=sorted(builders))
    elif kind is SampleKind.BAIT:
        if xstest is None:
            raise UserError("--xstest: a bait sample needs XSTest's prompts CSV "
                            "(xstest_prompts.csv) to mix in")
        entries = bait_entries(items, read_xstest_safe(xstest), n, rng)
        meta.update(xstest=str(xstest))
    else:
        entries = domain_entries(items, n, rng)
    return write_sample(out, entries, rng, meta)
