"""The shipped classifiers applied to one prompt: a tag, its confidence, and whether it is a guess.

Consumes a prompt, its spaCy parse and (for complexity) its reference answers; produces a
`Tag`: the value, the model's probability for it, the model's name (`domain-v2`), and
`guessed` when that probability is below `GUESS_BELOW[field]`. The domain model is a logistic
regression over words, word pairs, spaCy entity labels, the keyword/entity scores of
`domain.domain_scores` and the prompt's pretrained word vector (`features.py`, `vectors.py`),
trained by `train.py` on hand labels. The complexity model is trained the same way on the same
questions, without the word vector; a prompt whose shortest reference answer
is long (`complexity.LONG_ANSWER_WORDS`) is open-ended whatever the model says, since the
training questions carry no answers.

Thresholds: a tag whose probability is below the threshold was right on about half (domain) or
two thirds (complexity) of the held-out questions, so it is marked as a guess (measured by
tests/tagging/test_classify.py on the held-out labels).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc

from abstain_data.items import Complexity, Domain
from abstain_data.tagging.complexity import LONG_ANSWER_WORDS
from abstain_data.tagging.features import prompt_features
from abstain_data.tagging.linear import load_model

GUESS_BELOW = {"domain": 0.5, "complexity": 0.7}


@dataclass(frozen=True)
class Tag:
    """One tagged field: its value, the model's confidence, the model, and the guess flag."""

    value: str
    confidence: float
    model: str
    guessed: bool

    def origin(self) -> dict[str, Any]:
        """The item's `tag_origin` entry for this tag."""
        return {"method": "tagger", "model": self.model,
                "confidence": round(self.confidence, 4), "guessed": self.guessed}


def _tag(field: str, features: dict[str, float]) -> Tag:
    """The prediction of the shipped `field` model for `features`."""
    model = load_model(field)
    value, confidence = model.predict(features)
    return Tag(value, confidence, model.tag, confidence < GUESS_BELOW[field])


def classify(text: str, doc: Doc, reference_answers: Sequence[str] = ()) -> dict[str, Tag]:
    """`{"domain": Tag, "complexity": Tag}` for one prompt (features are computed once)."""
    features = prompt_features(text, doc)
    tags = {"domain": _tag("domain", features), "complexity": _tag("complexity", features)}
    answers = [a for a in reference_answers if a.strip()]
    if answers and min(len(a.split()) for a in answers) > LONG_ANSWER_WORDS:
        model = tags["complexity"].model
        tags["complexity"] = Tag("open_ended", 1.0, f"{model}+long_answer", False)
    return tags


def tag_domain(text: str, doc: Doc) -> Domain:
    """The domain the classifier gives `text` (see `classify` for its confidence)."""
    return Domain(classify(text, doc)["domain"].value)


def tag_complexity(text: str, doc: Doc, reference_answers: Sequence[str] = ()) -> Complexity:
    """The complexity the classifier gives `text` (see `classify` for its confidence)."""
    return Complexity(classify(text, doc, reference_answers)["complexity"].value)
