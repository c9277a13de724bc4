"""`audit artifacts`: can a bag-of-words classifier tell abstain from answer without
understanding anything?

Consumes a build folder (items.parquet) or a release folder (data/**/*.parquet); produces the
artifact report written to `<folder>/audits/artifacts.json`:

- per source: a prompt-only classifier (TF-IDF of words and word bigrams, logistic regression)
  and a prompt+passage one (a second TF-IDF over the passage), scored by ROC AUC of
  out-of-fold predictions from grouped, stratified cross-validation, and the top abstain and
  answer cues (largest and smallest coefficients of the prompt-only model fitted on the whole
  source). Minimal pairs stay in one fold: items are grouped when they share a `pair_id`, or
  when their prompts are near-duplicates (cosine of word TF-IDF >= 0.6), because corpora rarely
  mark their pairs, and a pair split over folds teaches the model the twin's words with the
  other label (AUC falls below 0.5). Source topics are not used: they are too coarse (one topic
  can hold a whole corpus, leaving a single group). The classifier and the grouping live in
  `cues/classifier.py`, shared with the build's cue filter;
- per source that mixes corpus items with builder items: the prompt-only AUC of the corpus
  items alone (`auc_prompt_corpus`, their own cross-validation), so that a reader can tell the
  cue a corpus brings (SelfAware's unanswerable questions were collected elsewhere than its
  answerable ones) from the cue our variants add; without builder items it is `auc_prompt`;
- per builder: the AUC of the same out-of-fold scores over the builder's items against the
  items paired with them that carry the other label (their parents and answerable twins), over
  all sources (`builders`) and within each source (`sources.<name>.builders`, the figure the
  build's cue filter targets and reports), and, for a builder with a twin builder (or the twin
  with its sibling), the AUC against the counterpart's items alone (`auc_prompt_twin`, over
  `twin_contrast` of them): the shortcut test, free of the parents, from which an unanswerable
  variant differs by the construct itself.

Every prompt-only AUC comes with its 95 % interval (`auc_prompt_ci`, Hanley and McNeil), since
a builder with a dozen items can land anywhere from 0.5 to 1 by chance.

An AUC near 0.5 means the surface of the prompt does not give the label away; near 1 means a
model can pass by spotting cues. Deterministic for a seed; by default the build's own seed (from
build.json, or a release's release.json), the one its cue filter split the folds with, so that
the audit of a filtered build reads back the figures its card gives.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq

from abstain_data import buildfolder
from abstain_data.audit.folder import ARTIFACTS, AUDITS, ids_digest, write_json
from abstain_data.builders import twin_counterparts
from abstain_data.buildfolder import BuildFolder
from abstain_data.cues.classifier import (
    FOLDS,
    SIMILAR,
    Record,
    auc,
    auc_interval,
    builder_contrasts,
    classifier,
    fold_count,
    out_of_fold,
    pair_groups,
    pair_key,
    texts_of,
    twin_contrasts,
)
from abstain_data.errors import UserError
from abstain_data.jsonfiles import read_json

TOP_CUES = 10
RELEASE_COLUMNS = ["id", "prompt", "context", "should_abstain", "source_dataset", "builder",
                   "pair_id", "parent_id"]


def read_records(folder: Path) -> list[Record]:
    """Records of a build folder's items.parquet, or of every shard of a release folder (each
    id once); UserError if `folder` is neither."""
    items = BuildFolder(folder).items
    if items.is_file():
        return [Record(d["id"], d["prompt"], d["context"] or "", bool(d["should_abstain"]),
                       d["source"]["dataset"],
                       (d["transform"] or {}).get("builder") or "",
                       pair_key(d["pair_id"], d["parent_id"]))
                for d in buildfolder.read_item_dicts(items)]
    shards = sorted((folder / "data").rglob("*.parquet"))
    if not shards:
        raise UserError(f"{folder}: neither a build folder (items.parquet) nor a release "
                        "folder (data/**/*.parquet)")
    seen: dict[str, Record] = {}
    for shard in shards:
        for row in pq.read_table(shard, columns=RELEASE_COLUMNS).to_pylist():
            seen.setdefault(row["id"], Record(
                row["id"], row["prompt"], row["context"] or "", bool(row["should_abstain"]),
                row["source_dataset"], row["builder"] or "",
                pair_key(row["pair_id"], row["parent_id"])))
    return sorted(seen.values(), key=lambda r: r.id)


def top_cues(records: Sequence[Record], seed: int) -> tuple[list, list]:
    """(abstain cues, answer cues): the n-grams with the largest and smallest coefficients of
    the prompt-only model fitted on all `records`, as [term, weight] pairs."""
    model = classifier(False, seed).fit(texts_of(records), [r.abstain for r in records])
    names = model.named_steps["tfidf"].named_transformers_["prompt"].get_feature_names_out()
    weights = model.named_steps["logreg"].coef_[0]
    order = np.argsort(-weights, kind="stable")
    pick = [[str(names[i]), round(float(weights[i]), 4)] for i in order]
    return pick[:TOP_CUES], [cue for cue in reversed(pick[-TOP_CUES:]) if cue[1] < 0]


def passage_scores(records: Sequence[Record], groups: Sequence[str], seed: int,
                   folds: int) -> np.ndarray | None:
    """Out-of-fold P(abstain) of the prompt+passage model, or None when no model can read a
    passage: the source has none, or a fold's training part has none (a source with a handful
    of passages, e.g. after the cue filter)."""
    if not any(r.context for r in records):
        return None
    try:
        return out_of_fold(records, groups, True, seed, folds)
    except ValueError as exc:
        if "empty vocabulary" not in str(exc):
            raise
        return None


def corpus_auc(records: Sequence[Record], seed: int, whole: float | None) -> float | None:
    """The prompt-only out-of-fold AUC of the corpus items of a source (no builder), grouped
    and cross-validated on their own; `whole` (the source's AUC) when every item is a corpus
    item; None when the corpus items lack two groups of either label."""
    corpus = [r for r in records if not r.builder]
    if len(corpus) == len(records):
        return whole
    groups = pair_groups(corpus)
    folds = fold_count(corpus, groups)
    if folds < 2:
        return None
    return auc([r.abstain for r in corpus], out_of_fold(corpus, groups, False, seed, folds))


def audit_source(records: Sequence[Record], seed: int,
                 scores: dict[str, dict[str, float]]) -> dict[str, Any]:
    """The report of one source; adds each record's out-of-fold scores to `scores`."""
    groups = pair_groups(records)
    folds = fold_count(records, groups)
    report: dict[str, Any] = {"n": len(records), "abstain": sum(r.abstain for r in records),
                              "groups": len(set(groups)), "folds": folds}
    if folds < 2:
        report["skipped"] = "needs at least two groups of each label"
        return report
    labels = [r.abstain for r in records]
    prompt_only = out_of_fold(records, groups, False, seed, folds)
    report["auc_prompt"] = auc(labels, prompt_only)
    report["auc_prompt_ci"] = auc_interval(labels, report["auc_prompt"])
    with_passage = passage_scores(records, groups, seed, folds)
    report["auc_prompt_passage"] = None if with_passage is None else auc(labels, with_passage)
    report["auc_prompt_corpus"] = corpus_auc(records, seed, report["auc_prompt"])
    report["abstain_cues"], report["answer_cues"] = top_cues(records, seed)
    own = {r.id: {"prompt": float(prompt_only[n]),
                  "passage": None if with_passage is None else float(with_passage[n])}
           for n, r in enumerate(records)}
    report["builders"] = audit_builders(records, own)
    scores.update(own)
    return report


def audit_builders(records: Sequence[Record],
                   scores: dict[str, dict[str, float]]) -> dict[str, Any]:
    """Per builder: AUC of its items against the other-label items of their declared minimal
    pairs (parents and twins), over the records of scored sources."""
    scored = [r for r in records if r.id in scores]
    contrasts = builder_contrasts(scored)
    twins = twin_contrasts(scored, twin_counterparts())
    report = {}
    for builder in sorted({r.builder for r in records if r.builder}):
        own, contrast = contrasts.get(builder, ([], []))
        pairs = [scored[n] for n in own + contrast]
        labels = [r.abstain for r in pairs]
        entry: dict[str, Any] = {"items": sum(r.builder == builder for r in records),
                                 "contrast": len(contrast)}
        for kind in ("prompt", "passage"):
            values = [scores[r.id][kind] for r in pairs]
            usable = contrast and all(v is not None for v in values)
            entry[f"auc_{'prompt' if kind == 'prompt' else 'prompt_passage'}"] = (
                auc(labels, values) if usable else None)
        entry["auc_prompt_ci"] = auc_interval(labels, entry["auc_prompt"])
        mine, theirs = twins.get(builder, ([], []))
        twin_labels = [scored[n].abstain for n in mine + theirs]
        entry["twin_contrast"] = len(theirs)
        entry["auc_prompt_twin"] = (auc(twin_labels, [scores[scored[n].id]["prompt"]
                                                      for n in mine + theirs])
                                    if theirs else None)
        report[builder] = entry
    return report


def build_seed(folder: Path) -> int:
    """The seed of the build behind a build or release folder (0 if neither file states one)."""
    from abstain_data.releases.manifest import MANIFEST

    build = BuildFolder(folder).build
    if build.is_file():
        stated = read_json(build).get("seed")
    elif (folder / MANIFEST).is_file():
        stated = ((read_json(folder / MANIFEST).get("build") or {}).get("recipe") or {}).get("seed")
    else:
        stated = None
    return stated if isinstance(stated, int) else 0


def audit_artifacts(folder: Path, seed: int = 0) -> dict[str, Any]:
    """The artifact report of a build or release folder (module docstring)."""
    records = read_records(folder)
    by_source: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        by_source[r.source].append(r)
    scores: dict[str, dict[str, float]] = {}
    sources = {name: audit_source(group, seed, scores)
               for name, group in sorted(by_source.items())}
    return {"folder": str(folder), "seed": seed, "items": len(records),
            "ids_sha256": ids_digest(r.id for r in records),
            "model": "TF-IDF words+bigrams, logistic regression (liblinear); grouped "
                     f"stratified {FOLDS}-fold CV within each source; pairs and "
                     f"near-duplicate prompts (cosine >= {SIMILAR}) in one fold",
            "sources": sources, "builders": audit_builders(records, scores)}


def write_artifacts(folder: Path, seed: int = 0) -> tuple[dict[str, Any], Path]:
    """Run the artifact audit on `folder`; write `folder/audits/artifacts.json`."""
    report = audit_artifacts(folder, seed)
    target = folder / AUDITS / ARTIFACTS
    target.parent.mkdir(exist_ok=True)
    write_json(target, report)
    return report, target
