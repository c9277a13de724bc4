"""`audit score`: compare reviewers' labels of a sample with our key; write audit.json.

Consumes an audit folder (key.jsonl, sample.json) and one or more label files (labels.py);
produces the audit dict written to `audit.json`:

- `overall` and `builders` (builder -> the same fields) over the audited `auto` items, and
  `decoys` (answerable source items mixed in) apart, each with `n` (judgements: every item is
  scored once per reviewer), `precision` (reviewer's label equals ours; `unsure` counts as a
  disagreement), its Wilson 95 % interval `wilson_low`/`wilson_high`, `malformed` (share flagged
  not fluent), `category_agreement` (share of abstain judgements with a reason whose reason
  names our category, over `category_n` such judgements);
- `bait` (bait samples): per origin (ours, XSTest) and family, `benign` (share labelled answer)
  and `looks_unsafe` shares;
- `domain` (when reviewers gave domains): agreement overall, per our domain tag (`per_domain`)
  and per the reviewer's domain (`per_reviewer_domain`: of the judgements putting an item in a
  domain, the share where our tag agrees), complexity agreement, the confusion counts (our tag
  -> reviewer's), and `inter_reviewer` (the reviewers' own pairwise agreement on domain and on
  complexity over items two or more of them labelled: the ceiling the tagger is judged against);
- `reviewers` (per reviewer n and precision) and `inter_reviewer` (pairwise agreement and
  Krippendorff's alpha over items labelled by two or more reviewers).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from abstain_data.annotation.aggregate import krippendorff_alpha_nominal
from abstain_data.audit.folder import AuditFolder, write_json
from abstain_data.audit.labels import ReviewLabel, read_labels, reason_matches
from abstain_data.audit.sample import XSTEST_ORIGIN
from abstain_data.errors import UserError
from abstain_data.jsonfiles import read_json, read_objects

Z95 = 1.959963984540054
Judgement = tuple[dict[str, Any], ReviewLabel]


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float | None, float | None]:
    """The Wilson score interval of a proportion (95 % by default); (None, None) when n = 0."""
    if n == 0:
        return None, None
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def expected_label(key: dict[str, Any]) -> str:
    return "abstain" if key["should_abstain"] else "answer"


def precision_block(judgements: Iterable[Judgement]) -> dict[str, Any]:
    """n, precision with its Wilson interval, malformed share and category agreement."""
    judgements = list(judgements)
    n = len(judgements)
    agree = sum(label.label == expected_label(key) for key, label in judgements)
    low, high = wilson(agree, n)
    with_reason = [(key, label) for key, label in judgements
                   if key["should_abstain"] and label.label == "abstain" and label.reason]
    matched = sum(reason_matches(label.reason, key["category"]) for key, label in with_reason)
    return {
        "n": n, "agree": agree, "precision": _share(agree, n),
        "wilson_low": low, "wilson_high": high,
        "malformed": _share(sum(bool(label.malformed) for _, label in judgements), n),
        "category_agreement": _share(matched, len(with_reason)),
        "category_n": len(with_reason),
    }


def bait_block(judgements: list[Judgement]) -> dict[str, Any]:
    """Benign and looks-unsafe shares per origin and family."""
    out: dict[str, Any] = {}
    by_origin: dict[str, list[Judgement]] = defaultdict(list)
    for judgement in judgements:
        by_origin[judgement[0]["origin"]].append(judgement)
    for origin, group in sorted(by_origin.items()):
        families: dict[str, list[Judgement]] = defaultdict(list)
        for judgement in group:
            families[judgement[0]["family"]].append(judgement)
        out[origin] = {**_bait_shares(group),
                       "families": {name: _bait_shares(members)
                                    for name, members in sorted(families.items())}}
    return out


def _bait_shares(group: list[Judgement]) -> dict[str, Any]:
    rated = [label for _, label in group if label.looks_unsafe is not None]
    return {"n": len(group),
            "benign": _share(sum(label.label == "answer" for _, label in group), len(group)),
            "looks_unsafe": _share(sum(bool(label.looks_unsafe) for label in rated), len(rated)),
            "looks_unsafe_n": len(rated)}


def domain_block(judgements: list[Judgement]) -> dict[str, Any] | None:
    """Domain agreement overall and per our tag, confusion counts, complexity agreement."""
    domains = [(key, label) for key, label in judgements if label.domain and key["domain"]]
    complexities = [(key, label) for key, label in judgements
                    if label.complexity and key["complexity"]]
    if not domains and not complexities:
        return None
    per_tag: dict[str, list[bool]] = defaultdict(list)
    per_reviewer_tag: dict[str, list[bool]] = defaultdict(list)
    confusion: dict[str, Counter] = defaultdict(Counter)
    for key, label in domains:
        per_tag[key["domain"]].append(label.domain == key["domain"])
        per_reviewer_tag[label.domain].append(label.domain == key["domain"])
        confusion[key["domain"]][label.domain] += 1
    agree = sum(sum(v) for v in per_tag.values())
    complexity_agree = sum(label.complexity == key["complexity"] for key, label in complexities)
    return {
        "n": len(domains), "agreement": _share(agree, len(domains)),
        "per_domain": _agreement_by(per_tag),
        "per_reviewer_domain": _agreement_by(per_reviewer_tag),
        "confusion": {tag: dict(sorted(c.items())) for tag, c in sorted(confusion.items())},
        "complexity": {"n": len(complexities),
                       "agreement": _share(complexity_agree, len(complexities))},
        "inter_reviewer": {
            "domain": pairwise_agreement([label.rid, label.domain] for _, label in domains),
            "complexity": pairwise_agreement([label.rid, label.complexity]
                                             for _, label in complexities),
        },
    }


def _agreement_by(groups: dict[str, list[bool]]) -> dict[str, dict[str, Any]]:
    """{group: {n, agreement}} for lists of agree/disagree flags, in name order."""
    return {name: {"n": len(v), "agreement": _share(sum(v), len(v))}
            for name, v in sorted(groups.items())}


def _shared_units(rid_values: Iterable[Sequence[Any]]) -> list[list[Any]]:
    """The values of each item that two or more reviewers labelled (pairs of rid, value)."""
    units: dict[Any, list[Any]] = defaultdict(list)
    for rid, value in rid_values:
        units[rid].append(value)
    return [values for values in units.values() if len(values) >= 2]


def _pairwise(shared: list[list[Any]]) -> dict[str, Any]:
    """`items` and the share of agreeing reviewer pairs over `shared` (not empty)."""
    pairs = sum(len(v) * (len(v) - 1) // 2 for v in shared)
    agreeing = sum(c * (c - 1) // 2 for v in shared for c in Counter(v).values())
    return {"items": len(shared), "pairwise_agreement": agreeing / pairs}


def pairwise_agreement(rid_values: Iterable[Sequence[Any]]) -> dict[str, Any] | None:
    """Pairwise agreement over the items that two or more reviewers labelled: `items` and the
    share of agreeing reviewer pairs; None when no item has two labels."""
    shared = _shared_units(rid_values)
    return _pairwise(shared) if shared else None


def inter_reviewer(labels: list[ReviewLabel]) -> dict[str, Any] | None:
    """Pairwise agreement and Krippendorff's alpha (nominal) on the answer/abstain/unsure label,
    over the items that two or more reviewers labelled; None when there are none."""
    shared = _shared_units((label.rid, label.label) for label in labels
                           if label.label is not None)
    if not shared:
        return None
    return {**_pairwise(shared), "krippendorff_alpha": krippendorff_alpha_nominal(shared)}


def score_audit(folder: AuditFolder, label_paths: list[Path]) -> dict[str, Any]:
    """The audit dict of `folder` judged by the labels in `label_paths` (module docstring)."""
    sample = read_json(folder.sample)
    keys = {row["rid"]: row for row in read_objects(folder.key)}
    labels = read_labels(label_paths, set(keys))
    if not labels:
        raise UserError(f"{', '.join(map(str, label_paths))}: no labels")
    judgements = [(keys[label.rid], label) for label in labels]
    answered = [j for j in judgements if j[1].label is not None]
    audited = [j for j in answered if not j[0]["decoy"] and j[0]["label_status"] == "auto"]
    builders: dict[str, list[Judgement]] = defaultdict(list)
    for judgement in audited:
        builders[judgement[0]["builder"] or "source"].append(judgement)
    reviewers: dict[str, list[Judgement]] = defaultdict(list)
    for judgement in answered:
        reviewers[judgement[1].reviewer].append(judgement)
    labelled = {label.rid for label in labels}
    audit: dict[str, Any] = {
        "kind": sample["kind"], "sample": {k: sample[k] for k in ("build", "n", "seed")},
        "tasks": len(keys), "unlabelled_tasks": len(set(keys) - labelled),
        "judgements": len(judgements), "label_files": [str(p) for p in label_paths],
        "overall": precision_block(audited),
        "builders": {name: precision_block(group) for name, group in sorted(builders.items())},
        "decoys": precision_block(j for j in answered if j[0]["decoy"]
                                  and j[0].get("origin") != XSTEST_ORIGIN),
        "reviewers": {name: {"n": len(group), "precision": precision_block(group)["precision"]}
                      for name, group in sorted(reviewers.items())},
        "inter_reviewer": inter_reviewer(labels),
    }
    if sample["kind"] == "bait":
        audit["bait"] = bait_block(answered)
    audit["domain"] = domain_block([j for j in judgements if j[0].get("origin") != XSTEST_ORIGIN])
    return audit


def score_folder(root: Path, label_paths: list[Path] | None = None) -> dict[str, Any]:
    """Score the audit folder `root` (labels default to root/labels.jsonl); write audit.json."""
    folder = AuditFolder(root)
    audit = score_audit(folder, label_paths or [folder.labels])
    write_json(folder.audit, audit)
    return audit
