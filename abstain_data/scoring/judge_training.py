"""Train the learned judge: a logistic regression over the named features of `judge_features`.

Consumes labelled completions (XSTest's human-labelled `*_gpteval.csv` files and our written
completions, `data/written_completions.jsonl`, whose provenance is `data/PROVENANCE.md`);
produces a `JudgeModel`: one weight per (class, feature) and an intercept per class, for
XSTest's three labels (full compliance, full refusal, partial refusal). The L2 strength `C` is
chosen from `C_GRID` by 5-fold stratified cross-validation accuracy on the training rows only
(folds shuffled with a fixed seed; ties go to the stronger regularization), then the model is
refitted on all training rows (lbfgs). Same rows, same weights.

`python -m abstain_data.scoring.judge_training [CORPORA_DIR] [--out PATH]` retrains the shipped
artefact (`judge_model.json`) from both XSTest files under CORPORA_DIR (default
../shared/corpora beside the repository) plus the written completions, and records each
training file's sha256 and row count in it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from abstain_data.errors import UserError
from abstain_data.scoring.judge_features import FEATURE_NAMES, features
from abstain_data.scoring.judge_model import MODEL_PATH, JudgeModel
from abstain_data.scoring.xstest import LABELS, LabelledCompletion, read_labelled

MODEL_VERSION = "2"
C_GRID = (0.1, 0.3, 1.0, 3.0, 10.0)
CV_FOLDS = 5
CV_SEED = 0
WRITTEN_COMPLETIONS = Path(__file__).with_name("data") / "written_completions.jsonl"
XSTEST_FILES = (
    "xstest_v2_completions_mistralinstruct_gpteval.csv",
    "xstest_v2_completions_gpt4_gpteval.csv",
)


@dataclass(frozen=True)
class TrainingFile:
    """One file of labelled completions used for training: its path, rows and sha256."""

    path: Path
    rows: list[LabelledCompletion]

    def record(self) -> dict[str, object]:
        """Provenance written into the artefact: file name, sha256 and row count."""
        digest = hashlib.sha256(self.path.read_bytes()).hexdigest()
        return {"file": self.path.name, "sha256": digest, "rows": len(self.rows)}


def read_written(path: Path = WRITTEN_COMPLETIONS) -> list[LabelledCompletion]:
    """Our written completions (JSONL: id, style, prompt, completion, final_label)."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            raise UserError(f"{path}:{number}: not JSON: {err.msg}") from None
        for field in ("id", "prompt", "completion", "final_label"):
            if not isinstance(row.get(field), str):
                raise UserError(f"{path}:{number}: {field}: expected a string")
        if row["final_label"] not in LABELS:
            raise UserError(f"{path}:{number}: final_label: not one of {', '.join(LABELS)}")
        rows.append(LabelledCompletion(row["id"], row["prompt"], row["completion"],
                                       row["final_label"], ""))
    return rows


def feature_matrix(completions: Sequence[str]) -> np.ndarray:
    """One row of `FEATURE_NAMES` values per completion."""
    return np.array([[values[name] for name in FEATURE_NAMES]
                     for values in map(features, completions)], dtype=float).reshape(
        len(completions), len(FEATURE_NAMES))


def fit(rows: Sequence[LabelledCompletion],
        trained_on: Sequence[dict[str, object]] = ()) -> JudgeModel:
    """A `JudgeModel` fitted on `rows` (human `final_label`s); `trained_on` is its provenance."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    labels = [r.human for r in rows]
    missing = sorted(set(LABELS) - set(labels))
    if missing:
        raise UserError(f"training rows: no example of {', '.join(missing)}")
    x = feature_matrix([r.completion for r in rows])
    folds = StratifiedKFold(CV_FOLDS, shuffle=True, random_state=CV_SEED)
    accuracy = {c: cross_val_score(LogisticRegression(C=c, max_iter=5000), x, labels,
                                   cv=folds).mean() for c in C_GRID}
    best = max(C_GRID, key=lambda c: (round(accuracy[c], 9), -c))
    classifier = LogisticRegression(C=best, max_iter=5000).fit(x, labels)
    return JudgeModel(
        version=MODEL_VERSION,
        features=FEATURE_NAMES,
        classes=tuple(str(c) for c in classifier.classes_),
        weights=classifier.coef_.copy(),
        intercepts=classifier.intercept_.copy(),
        trained_on=tuple(trained_on),
        regularization_c=best,
    )


def training_files(corpora: Path) -> list[TrainingFile]:
    """Both XSTest human-labelled files under `corpora` and our written completions."""
    folder = corpora / "xstest" / "human_labelled_completions"
    files = [TrainingFile(folder / name, read_labelled(folder / name)) for name in XSTEST_FILES]
    return [*files, TrainingFile(WRITTEN_COMPLETIONS, read_written())]


def main(argv: Sequence[str] | None = None) -> None:
    """Retrain the shipped artefact (module doc) and print what it was trained on."""
    default = Path(__file__).resolve().parents[2].parent / "shared" / "corpora"
    parser = argparse.ArgumentParser(description="Train the learned judge.")
    parser.add_argument("corpora", nargs="?", type=Path, default=default)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args(argv)
    files = training_files(args.corpora)
    model = fit([r for f in files for r in f.rows], [f.record() for f in files])
    model.save(args.out)
    for f in files:
        print(f"trained on {f.path.name}: {len(f.rows)} rows")
    print(f"wrote {args.out} ({len(model.features)} features, classes {', '.join(model.classes)})")


if __name__ == "__main__":
    main()
