"""Train the domain and complexity classifiers from the hand labels; write them as JSON.

Usage: python -m abstain_data.tagging.train [--corpora ../shared/corpora] [--check]

Consumes labels/domain_labels.jsonl (one row per labelled question: corpus, file, row,
text_sha256, domain, complexity, split, labeller; written by hand following
annotation/DOMAIN_GUIDELINE.md, labellers in model/PROVENANCE.md) and the question texts, read
from the corpora folder and the demo corpus by (corpus, file, row) (`questions.py`); a text
whose hash differs from the label row stops training with one line naming the file and row.
The features include the prompt's word vector (`vectors.py`), read from the shipped table
model/word_vectors.{txt,npy}. Produces model/domain.json, model/complexity.json
(`linear.LinearModel`) and model/TRAINING.json (counts, the word vector table used and its
sha256, the regulariser chosen, cross-validated and held-out agreement, the held-out confusion
table).

Reproducible: the same labels, corpora and word vector table give byte-identical files (a
deterministic solver, no random state, weights rounded to 4 decimals). Only rows whose split is
"train" are fitted or cross-validated on; "heldout" rows (a fifth of the labels, chosen by a
hash of corpus/file/row) are only scored, once, after the model is fixed. Every labelled row
has an even row number: odd rows of every file were never looked at, so fresh evaluation
samples can be drawn there.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from abstain_data.nlp import load_nlp
from abstain_data.tagging.features import prompt_features
from abstain_data.tagging.linear import MODEL_DIR, LinearModel
from abstain_data.tagging.questions import LabelError, label_rows
from abstain_data.tagging.vectors import MATRIX_FILE, WORDS_FILE, load_vectors

LABELS = Path(__file__).with_name("labels") / "domain_labels.jsonl"
DEFAULT_CORPORA = Path(__file__).resolve().parents[2].parent / "shared" / "corpora"
# Items record `<field>-v<version>` as the model that tagged them; domain is at 2 since it
# reads word vectors.
MODEL_VERSIONS = {"domain": "2", "complexity": "1"}
MIN_FEATURE_COUNT = 2
C_GRID = (0.5, 1.0, 4.0)
# Feature name prefixes a field's model does not use. Complexity keeps the features it had
# before the word vectors: with them its held-out agreement moved by half a point (within
# noise) and a plain medical-advice question turned templated.
LEFT_OUT = {"domain": (), "complexity": ("vec:",)}
FOLDS = 5
DECIMALS = 4


@dataclass(frozen=True)
class LabelledQuestion:
    """One hand-labelled question with its address."""

    corpus: str
    file: str
    row: int
    text: str
    domain: str
    complexity: str
    split: str


def load_labelled(corpora: Path, labels: Path = LABELS) -> list[LabelledQuestion]:
    """The label rows joined with their question texts; LabelError names a row that does not fit."""
    return [LabelledQuestion(row["corpus"], row["file"], row["row"], text, row["domain"],
                             row["complexity"], row["split"])
            for row, text in label_rows(corpora, labels)]


def fit(features: list[dict[str, float]], targets: list[str], c: float,
        vocabulary: list[str]) -> LogisticRegression:
    """A multinomial logistic regression on the features restricted to `vocabulary`."""
    vectorizer = DictVectorizer(sort=True)
    vectorizer.fit([{name: 1.0 for name in vocabulary}])
    matrix = vectorizer.transform(features)
    model = LogisticRegression(C=c, max_iter=5000, solver="lbfgs")
    model.fit(matrix, targets)
    return model


def frequent_features(features: list[dict[str, float]]) -> list[str]:
    """Feature names seen in at least MIN_FEATURE_COUNT prompts, sorted."""
    counts = Counter(name for row in features for name in row)
    return sorted(name for name, n in counts.items() if n >= MIN_FEATURE_COUNT)


def to_linear(model: LogisticRegression, vocabulary: list[str], name: str,
              version: str = "0") -> LinearModel:
    """The fitted model as a LinearModel with rounded weights (zero rows dropped)."""
    coef, intercept = model.coef_, model.intercept_
    if coef.shape[0] == 1:  # two classes: scikit-learn keeps only the second class's row
        coef, intercept = np.vstack([np.zeros_like(coef), coef]), np.array([0.0, intercept[0]])
    coef = np.round(coef, DECIMALS)
    weights = {feature: tuple(float(x) for x in coef[:, j])
               for j, feature in enumerate(vocabulary) if np.any(coef[:, j])}
    return LinearModel(name=name, version=version,
                       classes=tuple(str(c) for c in model.classes_),
                       intercept=tuple(float(x) for x in np.round(intercept, DECIMALS)),
                       weights=weights)


def cross_validated(features: list[dict[str, float]], targets: list[str], c: float) -> float:
    """Mean agreement over FOLDS stratified folds (fixed split, no shuffling)."""
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=False)
    right = 0
    for train_idx, test_idx in folds.split(np.zeros(len(targets)), targets):
        train = [features[i] for i in train_idx]
        vocabulary = frequent_features(train)
        linear = to_linear(fit(train, [targets[i] for i in train_idx], c, vocabulary),
                           vocabulary, "cv")
        right += sum(linear.predict(features[i])[0] == targets[i] for i in test_idx)
    return right / len(targets)


def train_one(field: str, questions: list[LabelledQuestion],
              features: list[dict[str, float]]) -> tuple[LinearModel, dict]:
    """Choose C by cross-validation on the train rows, fit them, score the held-out rows once."""
    train = [i for i, q in enumerate(questions) if q.split == "train"]
    heldout = [i for i, q in enumerate(questions) if q.split == "heldout"]
    x_train = [features[i] for i in train]
    y_train = [getattr(questions[i], field) for i in train]
    cv = {c: round(cross_validated(x_train, y_train, c), 4) for c in C_GRID}
    best_c = max(C_GRID, key=lambda c: (cv[c], -c))
    vocabulary = frequent_features(x_train)
    linear = to_linear(fit(x_train, y_train, best_c, vocabulary), vocabulary, field,
                       MODEL_VERSIONS[field])
    predicted = [linear.predict(features[i])[0] for i in heldout]
    truth = [getattr(questions[i], field) for i in heldout]
    per_class = {}
    for label in sorted(set(truth)):
        members = [p == t for p, t in zip(predicted, truth, strict=True) if t == label]
        per_class[label] = {"n": len(members), "agreement": round(sum(members) / len(members), 4)}
    confusion = Counter(f"{t} -> {p}" for p, t in zip(predicted, truth, strict=True) if p != t)
    summary = {
        "train_rows": len(train), "heldout_rows": len(heldout), "features": len(linear.weights),
        "cross_validated_agreement_by_C": {str(c): v for c, v in cv.items()}, "C": best_c,
        "heldout_agreement": round(sum(p == t for p, t in zip(predicted, truth, strict=True))
                                   / len(truth), 4),
        "heldout_per_class": per_class,
        "heldout_confusions": dict(sorted(confusion.items(), key=lambda kv: (-kv[1], kv[0]))),
        "train_label_counts": dict(sorted(Counter(y_train).items())),
    }
    return linear, summary


def main(argv: list[str] | None = None) -> int:
    """Train both models and write them to model/ (or, with --check, only print the summary)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    parser.add_argument("--check", action="store_true", help="train and report, write nothing")
    args = parser.parse_args(argv)
    try:
        questions = load_labelled(args.corpora)
    except (LabelError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    nlp = load_nlp("en_core_web_sm")
    features = [prompt_features(q.text, doc)
                for q, doc in zip(questions, nlp.pipe(q.text for q in questions), strict=True)]
    report = {"labels": str(LABELS.name), "rows": len(questions),
              "rows_by_corpus": dict(sorted(Counter(q.corpus for q in questions).items())),
              "word_vectors": {"words": len(load_vectors().index), "dims": load_vectors().dims,
                               "sha256": {path.name: hashlib.sha256(path.read_bytes()).hexdigest()
                                          for path in (WORDS_FILE, MATRIX_FILE)}}}
    models = {}
    for field in ("domain", "complexity"):
        kept = [{name: value for name, value in row.items()
                 if not name.startswith(LEFT_OUT[field])} for row in features]
        models[field], report[field] = train_one(field, questions, kept)
    print(json.dumps(report, indent=2))
    if not args.check:
        for field, model in models.items():
            (MODEL_DIR / f"{field}.json").write_text(
                json.dumps(model.to_json(), separators=(",", ":")) + "\n", encoding="utf-8")
        (MODEL_DIR / "TRAINING.json").write_text(json.dumps(report, indent=2) + "\n",
                                                  encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
