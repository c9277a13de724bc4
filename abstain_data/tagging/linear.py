"""A linear classifier read from a JSON file: the shipped domain and complexity models.

The file (written by `abstain_data.tagging.train`) holds `classes`, `intercept` (one number
per class) and `weights` (feature name -> one number per class), with `name`, `version` and
the training summary. No pickles: the model is plain numbers, loaded with `json`.

`LinearModel.predict(features)` consumes a sparse feature dict (`features.prompt_features`)
and produces `(label, confidence)`: the class with the highest score and its softmax
probability. It computes what scikit-learn's `LogisticRegression.predict_proba` does for the
same weights, with numpy over the rows of the features a prompt has (a few dozen words and
signals plus the `vec:<k>` coordinates of its word vector).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_DIR = Path(__file__).with_name("model")


@dataclass(frozen=True)
class LinearModel:
    """A multinomial logistic regression over sparse named features."""

    name: str
    version: str
    classes: tuple[str, ...]
    intercept: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]
    _rows: dict[str, int] = field(init=False, repr=False, compare=False)
    _matrix: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Index the weights as one matrix (a row per feature, then the intercept row)."""
        names = list(self.weights)
        matrix = np.array([self.weights[n] for n in names] + [self.intercept], dtype=np.float64)
        object.__setattr__(self, "_rows", {name: i for i, name in enumerate(names)})
        object.__setattr__(self, "_matrix", matrix.reshape(len(names) + 1, len(self.classes)))

    def probabilities(self, features: dict[str, float]) -> list[float]:
        """The softmax probability of every class (in `classes` order) for `features`."""
        rows, values = [len(self._rows)], [1.0]  # the intercept row, always
        for name, value in features.items():
            row = self._rows.get(name)
            if row is not None:
                rows.append(row)
                values.append(value)
        scores = np.asarray(values) @ self._matrix[rows]
        exps = np.exp(scores - scores.max())
        return (exps / exps.sum()).tolist()

    def predict(self, features: dict[str, float]) -> tuple[str, float]:
        """The most probable class for `features` and its probability."""
        probs = self.probabilities(features)
        best = max(range(len(probs)), key=probs.__getitem__)
        return self.classes[best], probs[best]

    @property
    def tag(self) -> str:
        """`name-vVERSION`: how items record which model tagged them."""
        return f"{self.name}-v{self.version}"

    def to_json(self) -> dict:
        """The JSON object `load_model` reads back."""
        return {"name": self.name, "version": self.version, "classes": list(self.classes),
                "intercept": list(self.intercept),
                "weights": {k: list(v) for k, v in sorted(self.weights.items())}}


def read_model(path: Path) -> LinearModel:
    """Read a model file written by `LinearModel.to_json`."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return LinearModel(name=data["name"], version=str(data["version"]),
                       classes=tuple(data["classes"]),
                       intercept=tuple(float(x) for x in data["intercept"]),
                       weights={k: tuple(float(x) for x in v) for k, v in data["weights"].items()})


@lru_cache(maxsize=4)
def load_model(name: str) -> LinearModel:
    """The shipped model `name` ("domain" or "complexity") from the package's model folder."""
    return read_model(MODEL_DIR / f"{name}.json")
