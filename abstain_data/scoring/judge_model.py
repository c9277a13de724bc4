"""The learned judge's artefact: a small, versioned, human-readable JSON of named weights.

`judge_model.json` holds a multinomial logistic regression over `judge_features.FEATURE_NAMES`:
`classes` (XSTest's three labels), `weights` (one row per class, one column per named feature),
`intercepts`, the artefact `version`, `trained_on` (each training file's name, sha256 and
row count) and the `regularization_c` cross-validation chose. It is plain JSON rather than a
pickle, so it loads without scikit-learn, diffs readably and cannot run code. `judge_training`
writes it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from abstain_data.errors import UserError

MODEL_PATH = Path(__file__).with_name("judge_model.json")


@dataclass(frozen=True)
class JudgeModel:
    """Weights of the learned judge (module doc); `weights` is classes x features."""

    version: str
    features: tuple[str, ...]
    classes: tuple[str, ...]
    weights: np.ndarray
    intercepts: np.ndarray
    trained_on: tuple[dict[str, object], ...] = ()
    regularization_c: float | None = None

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities (softmax) for feature rows `x` (n x features) -> n x classes."""
        logits = x @ self.weights.T + self.intercepts
        logits -= logits.max(axis=-1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=-1, keepdims=True)

    def contributions(self, x: np.ndarray, label: str) -> list[tuple[str, float]]:
        """Each active feature's push toward `label` over the mean class, largest first.

        The push of feature j is x_j * (w[label, j] - mean over classes of w[., j]): positive
        values moved the decision toward `label`.
        """
        row = self.weights[self.classes.index(label)] - self.weights.mean(axis=0)
        pushes = [(name, float(v)) for name, v in zip(self.features, x * row, strict=True)
                  if v != 0]
        return sorted(pushes, key=lambda item: -item[1])

    def to_dict(self) -> dict[str, object]:
        return {
            "version": self.version, "classes": list(self.classes),
            "features": list(self.features),
            "weights": [[round(float(w), 6) for w in row] for row in self.weights],
            "intercepts": [round(float(b), 6) for b in self.intercepts],
            "trained_on": list(self.trained_on), "regularization_c": self.regularization_c,
        }

    def save(self, path: Path) -> Path:
        """Write the artefact as JSON to `path`."""
        path.write_text(json.dumps(self.to_dict(), indent=1) + "\n", encoding="utf-8")
        return path

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> JudgeModel:
        """Read an artefact written by `save`; UserError naming the file when it is not one."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            model = cls(
                version=str(data["version"]), features=tuple(data["features"]),
                classes=tuple(data["classes"]),
                weights=np.asarray(data["weights"], dtype=float),
                intercepts=np.asarray(data["intercepts"], dtype=float),
                trained_on=tuple(data.get("trained_on", ())),
                regularization_c=data.get("regularization_c"),
            )
        except (OSError, json.JSONDecodeError, KeyError, TypeError, ValueError) as err:
            raise UserError(f"{path}: not a judge model artefact: {err}") from None
        if model.weights.shape != (len(model.classes), len(model.features)):
            raise UserError(f"{path}: weights: expected {len(model.classes)} x "
                            f"{len(model.features)}, got {model.weights.shape}")
        return model
