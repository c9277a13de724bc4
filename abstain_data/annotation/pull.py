"""`annotate pull`: fold the annotators' votes back into a build folder, one round at a time.

Consumes the project's JSON export of its annotated tasks and the build folder; produces, in
one all-or-nothing commit (see state.py): `annotations/round-NNN.jsonl` (every raw vote on the
items open at the start of the round), an updated `items.parquet`, `ledger.parquet`,
`rejects.jsonl`, `review_queue.jsonl` and `annotations/rounds.json`.

How an item changes (decisions come from aggregate.decide_item):
- verified: `label_status` = human_verified; when the annotators chose another code, `category`
  and `should_abstain` take it (they always agree, both come from the code), reference answers
  are dropped for an unanswerable code, and the old values are kept in `review` under
  `category_before`, `should_abstain_before`, `reference_answers_before`. The item id stays the
  same: it names the item across rounds, tasks, pairs and parents, and a relabel is recorded,
  not hidden behind a new id. The ledger row becomes fate "kept", detail "human_verified".
- rejected (human_rejected): the item leaves items.parquet; its ledger row becomes fate
  "rejected", step "annotation", detail "human_rejected"; rejects.jsonl gets the reason. An
  item is rejected when the annotators call it broken, or when their label would make an item
  the schema rules forbid: a synthesized harmful item, a ctx.* code without a passage, a
  templated answerable item without reference answers (an "unanswerable" variant that humans
  found answerable is a failed variant, not an answerable item).
- open: stays queued; `review` records the votes so far and why it is open.
Votes on items resolved in an earlier round are not read again. A pull with no new votes and
nothing to resolve writes nothing.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from label_studio_sdk import LabelStudio

from abstain_data import buildfolder
from abstain_data.annotation import state
from abstain_data.annotation.aggregate import (
    Decision,
    Outcome,
    Vote,
    decide_item,
    krippendorff_alpha_nominal,
    latest_per_annotator,
)
from abstain_data.annotation.client import Connection
from abstain_data.annotation.project import export_annotated, project_title, require_project
from abstain_data.annotation.state import BuilderScore
from abstain_data.annotation.tasks import builder_of, votes_of
from abstain_data.errors import UserError
from abstain_data.items import Category, Complexity, Item, LabelStatus

STEP = "annotation"


@dataclass
class RoundReport:
    """The outcome of one pull. `round` is None when there was nothing new to record."""

    round: int | None
    votes: int = 0
    verified: int = 0
    relabelled: int = 0
    rejected: int = 0
    still_open: int = 0
    alpha: float | None = None
    agreement: dict[str, float | None] = field(default_factory=dict)
    builders: dict[str, BuilderScore] = field(default_factory=dict)
    recovered: str | None = None


@dataclass
class _Change:
    """One queued item after the round: the new item (None if rejected) and why."""

    before: Item
    after: Item | None
    decision: Decision
    reject_reason: str | None = None


def pull(client: LabelStudio, connection: Connection, build_dir: Path,
         title: str | None = None, min_annotators: int = 2) -> RoundReport:
    """Export the project of `build_dir`, then plan and commit one round (see module docstring).

    Everything that can fail on the server happens before the build folder is touched; an
    interrupted earlier pull is finished or discarded first (state.recover).
    """
    state.read_queue(build_dir)
    project_id = require_project(client, connection, project_title(build_dir, title))
    tasks = export_annotated(client, connection, project_id)
    recovered = state.recover(build_dir)
    report, writers = plan_round(build_dir, tasks, min_annotators)
    if writers:
        state.commit(build_dir, writers)
    report.recovered = recovered
    return report


def plan_round(build_dir: Path, tasks: list[dict[str, Any]], min_annotators: int,
               ) -> tuple[RoundReport, dict[str, state.Writer]]:
    """Decide every queued item from the exported `tasks`; the report and the files to write."""
    if min_annotators < 1:
        raise UserError("--min-annotators must be at least 1")
    queue = state.read_queue(build_dir)
    open_ids = {item.id for item in queue}
    raw_votes = [v for task in tasks for v in votes_of(task) if v.item_id in open_ids]
    by_item: dict[str, list[Vote]] = defaultdict(list)
    for vote in latest_per_annotator(raw_votes):
        by_item[vote.item_id].append(vote)
    number = (state.round_numbers(build_dir) or [0])[-1] + 1
    changes = [_change(item, decide_item(item.id, by_item.get(item.id, []), item.category,
                                    min_annotators), number) for item in queue]
    report = _report(number, raw_votes, changes, by_item)
    if _nothing_new(build_dir, raw_votes, open_ids, report):
        return RoundReport(None, still_open=len(queue)), {}
    return report, _writers(build_dir, number, raw_votes, changes, report)


def _change(item: Item, decision: Decision, number: int) -> _Change:
    """Apply one decision to one queued item (see the module docstring)."""
    review = {key: value for key, value in (item.review or {}).items() if key != "open_reason"}
    review.update(round=number, votes=decision.votes, annotators=decision.annotators,
                  agreement=decision.agreement)
    if decision.notes:
        review["notes"] = decision.notes
    if decision.outcome is Outcome.OPEN:
        review["open_reason"] = decision.open_reason
        return _Change(item, replace(item, review=review), decision)
    reason = _reject_reason(item, decision)
    if reason is not None:
        return _Change(item, None, decision, reason)
    review["decision"] = decision.judgement.value
    category = decision.category
    changes: dict[str, Any] = {"label_status": LabelStatus.HUMAN_VERIFIED}
    if category is not item.category:
        review.update(category_before=item.category.value,
                      should_abstain_before=item.should_abstain)
        changes.update(category=category, should_abstain=category.should_abstain)
        if category.should_abstain and item.reference_answers:
            review["reference_answers_before"] = list(item.reference_answers)
            changes["reference_answers"] = []
    return _Change(item, replace(item, review=review, **changes), decision)


def _reject_reason(item: Item, decision: Decision) -> str | None:
    """Why a decided item cannot stay in the dataset, or None."""
    category = decision.category
    if decision.outcome is Outcome.REJECTED or category is None:
        return "broken"
    if category is Category.SAFETY_HARMFUL and item.transform is not None:
        return "harmful_synthesized"
    if category.value.startswith("ctx.") and not item.context:
        return "context_code_without_context"
    if (not category.should_abstain and item.complexity is Complexity.TEMPLATED
            and not item.reference_answers):
        return "answerable_without_reference"
    return None


def _report(number: int, raw_votes: list[Vote], changes: list[_Change],
            by_item: dict[str, list[Vote]]) -> RoundReport:
    """Counts, per-item agreement, alpha and builder precision of a planned round."""
    report = RoundReport(number, votes=len(raw_votes))
    for change in changes:
        if change.decision.agreement is not None:
            report.agreement[change.before.id] = change.decision.agreement
        if change.decision.outcome is Outcome.OPEN:
            report.still_open += 1
            continue
        score = report.builders.setdefault(builder_of(change.before), BuilderScore())
        score.judged += 1
        if change.after is None:
            report.rejected += 1
            continue
        report.verified += 1
        if change.after.category is not change.before.category:
            report.relabelled += 1
        score.code_kept += change.after.category is change.before.category
        score.label_kept += change.after.should_abstain == change.before.should_abstain
    report.alpha = krippendorff_alpha_nominal(
        [[v.judgement.value for v in votes if v.judgement != "unsure"]
         for votes in by_item.values()])
    return report


def _nothing_new(build_dir: Path, raw_votes: list[Vote], open_ids: set[str],
                 report: RoundReport) -> bool:
    """True when no item resolves and the votes are the ones the last round already recorded."""
    if report.verified or report.rejected:
        return False
    numbers = state.round_numbers(build_dir)
    seen = set()
    if numbers:
        seen = {(row["annotation_id"], row["updated_at"])
                for row in state.read_jsonl(state.round_path(build_dir, numbers[-1]))
                if row["item_id"] in open_ids}
    return seen == {(v.annotation_id, v.updated_at) for v in raw_votes}


def _writers(build_dir: Path, number: int, raw_votes: list[Vote], changes: list[_Change],
             report: RoundReport) -> dict[str, state.Writer]:
    """The new content of every file the round changes, as writers for state.commit."""
    folder = buildfolder.BuildFolder(build_dir)
    by_id = {change.before.id: change for change in changes}
    stored = buildfolder.read_items(folder.items)
    missing = sorted(set(by_id) - {item.id for item in stored})
    if missing:
        raise UserError(f"{folder.review_queue}: item {missing[0]} is not in {folder.items}; "
                        "the build folder is inconsistent")
    updated = [by_id[item.id].after if item.id in by_id else item for item in stored]
    items = _unlink_rejected([item for item in updated if item is not None],
                             [c.before for c in changes if c.after is None])
    ledger = [_ledger_row(row, by_id) for row in buildfolder.read_ledger(folder.ledger)]
    records = {row["item_id"]: row["record"] for row in ledger if row["step"] == STEP}
    rejects = state.read_jsonl(folder.rejects) + [
        {"record": records.get(c.before.id), "item_id": c.before.id, "step": STEP,
         "reason": f"human_rejected:{c.reject_reason}", "round": number}
        for c in changes if c.after is None]
    queue = [item.to_dict() for item in items if item.label_status is LabelStatus.NEEDS_REVIEW]
    rounds = state.read_rounds(build_dir) + [_summary(number, report)]
    votes = [{"round": number, **vote.to_dict()} for vote in raw_votes]
    annotations = state.ANNOTATIONS
    return {
        buildfolder.ITEMS: lambda path: buildfolder.write_items(path, items),
        buildfolder.LEDGER: lambda path: buildfolder.write_ledger(path, ledger),
        buildfolder.REJECTS: lambda path: buildfolder.write_jsonl(path, rejects),
        buildfolder.REVIEW_QUEUE: lambda path: buildfolder.write_jsonl(path, queue),
        f"{annotations}/{state.round_path(build_dir, number).name}":
            lambda path: buildfolder.write_jsonl(path, votes),
        f"{annotations}/{state.ROUNDS}": lambda path: _write_json(path, rounds),
    }


def _unlink_rejected(items: list[Item], removed: list[Item]) -> list[Item]:
    """`items` without links to the `removed` items, so the build stays valid (as dedupe does).

    A pair left with one member by the removal loses its pair_id; an item whose parent was
    removed loses its parent_id, and its review names the rejected parent (`parent_rejected`).
    """
    rejected = {item.id for item in removed}
    broken_pairs = {item.pair_id for item in removed if item.pair_id}
    pairs = Counter(item.pair_id for item in items if item.pair_id)
    out = []
    for item in items:
        if item.pair_id in broken_pairs and pairs[item.pair_id] < 2:
            item = replace(item, pair_id=None)
        if item.parent_id in rejected:
            item = replace(item, parent_id=None,
                           review={**(item.review or {}), "parent_rejected": item.parent_id})
        out.append(item)
    return out


def _ledger_row(row: dict[str, Any], by_id: dict[str, _Change]) -> dict[str, Any]:
    """The ledger row after the round: a queued item's row takes its human fate."""
    change = by_id.get(row["item_id"] or "")
    if change is None or row["fate"] != "needs_review" or \
            change.decision.outcome is Outcome.OPEN:
        return row
    if change.after is None:
        return {**row, "fate": "rejected", "step": STEP, "detail": "human_rejected"}
    return {**row, "fate": "kept", "step": STEP, "detail": "human_verified"}


def _summary(number: int, report: RoundReport) -> dict[str, Any]:
    """The entry of annotations/rounds.json for one round."""
    return {
        "round": number, "votes": report.votes, "verified": report.verified,
        "relabelled": report.relabelled, "rejected": report.rejected,
        "still_open": report.still_open, "krippendorff_alpha": report.alpha,
        "builders": {name: {"judged": s.judged, "precision": round(s.precision, 4),
                            "code_precision": round(s.code_precision, 4)}
                     for name, s in sorted(report.builders.items())},
    }


def _write_json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, indent=2) + "\n", encoding="utf-8")
