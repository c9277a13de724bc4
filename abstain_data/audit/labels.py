"""Reviewers' label files for an audit sample, read strictly.

One JSON object per line: {"rid", "label": "answer"|"abstain"|"unsure", "reason"?,
"malformed"?, "looks_unsafe"?, "domain"?, "complexity"?, "reviewer"?}. A line that gives a
domain or a complexity may leave `label` out (a domain review does not ask for answerability).
The looks-unsafe guide's lines ({"rid", "looks_unsafe": 0|1|2, "should_answer": true|false})
are read too: `should_answer` stands for `label` answer/abstain, and a rating of 1 or 2 counts
as looking unsafe. `reviewer` names who labelled (a pulled Label Studio file holds several);
without it the file is the reviewer. Any bad line is a one-line UserError naming the file,
line and field.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from abstain_data.errors import UserError
from abstain_data.items import Complexity, Domain
from abstain_data.jsonfiles import numbered_objects

LABELS = ("answer", "abstain", "unsure")
# A reviewer's abstain reason -> the prefix (ending in ".") or exact code of our categories.
REASON_CODES = {
    "missing_context": "ctx.",
    "false_premise": "premise.false",
    "fabricated_entity": "entity.fabricated",
    "underspecified": "under.",
    "future_unknown": "unknown.future",
    "unsolved": "unknown.unsolved",
    "subjective": "subjective",
    "harmful": "safety.harmful",
}
_DOMAINS = {d.value for d in Domain}
_COMPLEXITIES = {c.value for c in Complexity}


@dataclass(frozen=True)
class ReviewLabel:
    """One reviewer's label of one task."""

    rid: str
    reviewer: str
    label: str | None
    reason: str | None = None
    malformed: bool | None = None
    looks_unsafe: bool | None = None
    domain: str | None = None
    complexity: str | None = None


def reason_matches(reason: str, category: str) -> bool:
    """True when a reviewer's abstain reason names our category (see REASON_CODES)."""
    code = REASON_CODES[reason]
    return category.startswith(code) if code.endswith(".") else category == code


def _label(row: dict[str, Any], where: str) -> str | None:
    """The answer/abstain/unsure label; None on a domain-only line (domain or complexity)."""
    if "label" in row:
        if row["label"] not in LABELS:
            raise UserError(f"{where}: label: expected one of {', '.join(LABELS)}, "
                            f"got {row['label']!r}")
        return row["label"]
    if isinstance(row.get("should_answer"), bool):
        return "answer" if row["should_answer"] else "abstain"
    if row.get("domain") is not None or row.get("complexity") is not None:
        return None
    raise UserError(f"{where}: label: missing (or should_answer true/false)")


def _optional_bool(row: dict[str, Any], field: str, where: str) -> bool | None:
    value = row.get(field)
    if value is None or isinstance(value, bool):
        return value
    raise UserError(f"{where}: {field}: expected true, false or null, got {value!r}")


def _looks_unsafe(row: dict[str, Any], where: str) -> bool | None:
    value = row.get("looks_unsafe")
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1, 2):
        return value >= 1
    raise UserError(f"{where}: looks_unsafe: expected true, false or a rating 0, 1, 2, "
                    f"got {value!r}")


def _choice(row: dict[str, Any], field: str, allowed: set[str] | dict, where: str) -> str | None:
    value = row.get(field)
    if value is None or value in allowed:
        return value
    raise UserError(f"{where}: {field}: expected one of {', '.join(sorted(allowed))} or null, "
                    f"got {value!r}")


def parse_label(row: dict[str, Any], where: str, default_reviewer: str) -> ReviewLabel:
    """One label line (already parsed JSON); `where` is "FILE:LINE" for errors."""
    rid = row.get("rid")
    if not isinstance(rid, str) or not rid:
        raise UserError(f"{where}: rid: expected a task id string, got {rid!r}")
    reviewer = row.get("reviewer", default_reviewer)
    if not isinstance(reviewer, str | int) or isinstance(reviewer, bool):
        raise UserError(f"{where}: reviewer: expected a name or id, got {reviewer!r}")
    return ReviewLabel(
        rid=rid, reviewer=str(reviewer), label=_label(row, where),
        reason=_choice(row, "reason", REASON_CODES, where),
        malformed=_optional_bool(row, "malformed", where),
        looks_unsafe=_looks_unsafe(row, where),
        domain=_choice(row, "domain", _DOMAINS, where),
        complexity=_choice(row, "complexity", _COMPLEXITIES, where),
    )


def read_labels(paths: list[Path], rids: set[str]) -> list[ReviewLabel]:
    """Every label in `paths`; UserError for a bad line, a rid not in the sample's key, or a
    second label of the same task by the same reviewer."""
    labels: list[ReviewLabel] = []
    seen: dict[tuple[str, str], str] = {}
    for path in paths:
        for line, data in numbered_objects(path):
            where = f"{path}:{line}"
            label = parse_label(data, where, default_reviewer=str(path))
            if label.rid not in rids:
                raise UserError(f"{where}: rid: {label.rid!r} is not in the sample's key")
            mark = (label.reviewer, label.rid)
            if mark in seen:
                raise UserError(f"{where}: rid: {label.rid!r} labelled twice by reviewer "
                                f"{label.reviewer!r} (first at {seen[mark]})")
            seen[mark] = where
            labels.append(label)
    return labels

