"""The prompt classifier that measures surface cues: can a bag of words tell abstain from answer?

Consumes `Record`s (one per item: prompt, passage, label, source, builder, minimal pair);
produces out-of-fold P(abstain) per record from grouped, stratified cross-validation of a
TF-IDF (words and word bigrams) + logistic regression model, and the ROC AUC of those scores.
Minimal pairs stay in one fold: records are grouped when they share a pair, or when their
prompts are near-duplicates (cosine of word TF-IDF >= SIMILAR), because corpora rarely mark
their pairs, and a pair split over folds teaches the model the twin's words with the other label
(AUC falls below 0.5). Deterministic for a seed. `audit artifacts` reports these scores; the
cue filter (`cues/filter.py`) removes the records they predict best.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedGroupKFold, cross_val_predict
from sklearn.pipeline import Pipeline

FOLDS = 5
PROMPT, PASSAGE = 0, 1
SIMILAR = 0.6
SIMILARITY_CHUNK = 1000


@dataclass(frozen=True)
class Record:
    """What the classifier needs of one item (`id`: its content id)."""

    id: str
    prompt: str
    context: str
    abstain: bool
    source: str
    builder: str
    pair: str


def pair_key(pair_id: str | None, parent_id: str | None) -> str:
    """The minimal pair an item declares: its pair_id, else its parent's id, else ""."""
    return pair_id or (f"parent:{parent_id}" if parent_id else "")


def pair_members(records: Sequence[Record]) -> dict[str, list[int]]:
    """Pair key -> the indices of the records that declare it (records without one left out)."""
    by_pair: dict[str, list[int]] = defaultdict(list)
    for n, r in enumerate(records):
        if r.pair:
            by_pair[r.pair].append(n)
    return by_pair


def builder_contrasts(records: Sequence[Record]) -> dict[str, tuple[list[int], list[int]]]:
    """Per builder (sorted): the indices of its records, and of the records of the other label
    paired with one of them (its parents and twins: the same pair key), each once. A builder's
    AUC over these two is how well the classifier tells its items from their minimal pairs."""
    by_pair = pair_members(records)
    out = {}
    for builder in sorted({r.builder for r in records if r.builder}):
        own = [n for n, r in enumerate(records) if r.builder == builder]
        contrast = dict.fromkeys(o for n in own for o in by_pair.get(records[n].pair, ())
                                 if records[o].abstain != records[n].abstain)
        out[builder] = (own, list(contrast))
    return out


def twin_contrasts(records: Sequence[Record], counterparts: dict[str, str]
                   ) -> dict[str, tuple[list[int], list[int]]]:
    """Per builder that has a counterpart (an unanswerable builder and its answerable twin
    builder, `counterparts` mapping each to the other): the indices of its records that have a
    counterpart record of the other label in their pair, and of those counterpart records. A
    builder's AUC over these two leaves out its parents, from which its items differ by the
    construct itself (a future year, an invented name), and the other builders' variants of
    the same seeds."""
    by_pair = pair_members(records)
    out = {}
    for builder in sorted({r.builder for r in records if r.builder in counterparts}):
        other = counterparts[builder]
        matched = {n: [o for o in by_pair.get(r.pair, ()) if records[o].builder == other
                       and records[o].abstain != r.abstain]
                   for n, r in enumerate(records) if r.builder == builder}
        out[builder] = ([n for n, found in matched.items() if found],
                        list(dict.fromkeys(o for found in matched.values() for o in found)))
    return out


def near_duplicates(prompts: Sequence[str]) -> Iterator[tuple[int, int]]:
    """Index pairs of prompts whose word TF-IDF cosine is at least SIMILAR (in chunks of rows,
    so memory stays bounded)."""
    try:
        vectors = TfidfVectorizer().fit_transform(prompts)
    except ValueError:  # no prompt has a word: nothing can be a near-duplicate
        return
    for start in range(0, len(prompts), SIMILARITY_CHUNK):
        similar = (vectors[start:start + SIMILARITY_CHUNK] @ vectors.T).tocoo()
        for i, j, value in zip(similar.row, similar.col, similar.data, strict=True):
            if value >= SIMILAR and start + i != j:
                yield start + int(i), int(j)


def pair_groups(records: Sequence[Record]) -> list[str]:
    """The cross-validation group of each record (module docstring): connected components of
    "same pair" and "near-duplicate prompt", named by a member's id."""
    parent = list(range(len(records)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[str, int] = {}
    links = [(i, first.setdefault(r.pair, i)) for i, r in enumerate(records) if r.pair]
    for i, j in itertools.chain(links, near_duplicates([r.prompt for r in records])):
        parent[find(i)] = find(j)
    return [records[find(i)].id for i in range(len(records))]


def fold_count(records: Sequence[Record], groups: Sequence[str]) -> int:
    """How many folds the records allow: FOLDS, or fewer when a label has fewer groups (below 2
    no out-of-fold score can be made)."""
    by_label: dict[bool, set[str]] = {True: set(), False: set()}
    for r, group in zip(records, groups, strict=True):
        by_label[r.abstain].add(group)
    return min(FOLDS, len(by_label[True]), len(by_label[False]))


def _vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)


def classifier(with_passage: bool, seed: int) -> Pipeline:
    """TF-IDF (words + bigrams) of the prompt, and of the passage if asked; logistic
    regression. Input: an (n, 2) object array of prompt and passage."""
    columns = [("prompt", _vectorizer(), PROMPT)]
    if with_passage:
        columns.append(("passage", _vectorizer(), PASSAGE))
    return Pipeline([("tfidf", ColumnTransformer(columns)),
                     ("logreg", LogisticRegression(solver="liblinear", random_state=seed))])


def texts_of(records: Sequence[Record]) -> np.ndarray:
    """The (n, 2) object array of prompt and passage the classifier reads."""
    return np.array([[r.prompt, r.context] for r in records], dtype=object)


def out_of_fold(records: Sequence[Record], groups: Sequence[str], with_passage: bool,
                seed: int, folds: int) -> np.ndarray:
    """P(abstain) of every record from the fold that did not train on it (a group's records
    share a fold)."""
    labels = np.array([r.abstain for r in records])
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    return cross_val_predict(classifier(with_passage, seed), texts_of(records), labels,
                             groups=list(groups), cv=splitter,
                             method="predict_proba")[:, 1]


def auc(labels: Sequence[bool], scores: Sequence[float]) -> float | None:
    """ROC AUC of `scores` for `labels`; None unless both labels occur."""
    return float(roc_auc_score(labels, scores)) if len(set(labels)) == 2 else None


def auc_interval(labels: Sequence[bool], value: float | None) -> list[float] | None:
    """The 95 % interval [low, high] of an AUC `value` over `labels` (Hanley and McNeil's
    standard error, 1982; clipped to [0, 1]), or None without a value. An AUC over a handful
    of items says little: 0.85 over five items of each label spans about 0.55 to 1."""
    if value is None:
        return None
    positives = sum(bool(label) for label in labels)
    negatives = len(labels) - positives
    q1, q2 = value / (2 - value), 2 * value ** 2 / (1 + value)
    variance = (value * (1 - value) + (positives - 1) * (q1 - value ** 2)
                + (negatives - 1) * (q2 - value ** 2)) / (positives * negatives)
    margin = 1.96 * max(variance, 0.0) ** 0.5
    return [round(max(0.0, value - margin), 3), round(min(1.0, value + margin), 3)]
