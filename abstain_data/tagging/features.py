"""Features of one prompt for the tagging classifiers: words, word pairs, entities, signals.

Consumes the prompt text and its spaCy parse (the shared pipeline's doc); produces a sparse
feature dict `{name: value}`:
- `w:<word>` (1.0) for every distinct lower-cased word, and `w:<word minus a plural s>`;
- `b:<word>_<word>` (1.0) for every pair of neighbouring words;
- `ent:<LABEL>` (1.0) for every spaCy entity label present (WORK_OF_ART, GPE, LAW, ...);
- `sig:<domain>` (the keyword and entity score of `domain.domain_scores`, capped at 3): the
  hand-written lexicons and rules enter the classifier as features, so it learns how far to
  trust each of them;
- `cx:<rule>` (1.0) for every open-ended rule of `complexity.open_ended_reasons` that holds,
  and `len:<bucket>` for the prompt length in words (1-5, 6-10, 11-20, 21-40, 41+);
- `vec:<k>` for every coordinate k of the prompt's word vector (`vectors.py`: the unit-length
  weighted sum of its words' pretrained vectors) times VECTOR_SCALE: what the words mean, for
  the words and phrasings the hand labels never showed.
The same function serves training and tagging, so the two can never drift apart.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc

from abstain_data.tagging.complexity import open_ended_reasons
from abstain_data.tagging.domain import domain_scores
from abstain_data.tagging.vectors import load_vectors

SIGNAL_CAP = 3.0
# A unit vector's coordinates are small next to the 0/1 word features, and the one L2 penalty
# covers both: this factor (chosen by cross-validation on the training rows) lets them count.
VECTOR_SCALE = 4.0
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_LENGTH_BUCKETS = ((5, "1-5"), (10, "6-10"), (20, "11-20"), (40, "21-40"))


def words(text: str) -> list[str]:
    """The lower-cased words of `text`, in order."""
    return _WORD.findall(text.lower())


def prompt_features(text: str, doc: Doc) -> dict[str, float]:
    """The sparse features of `text` (see the module docstring); `doc` is its spaCy parse."""
    tokens = words(text)
    features: dict[str, float] = {}
    for token in tokens:
        features[f"w:{token}"] = 1.0
        if len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
            features[f"w:{token[:-1]}"] = 1.0
    for first, second in zip(tokens, tokens[1:], strict=False):
        features[f"b:{first}_{second}"] = 1.0
    for ent in doc.ents:
        features[f"ent:{ent.label_}"] = 1.0
    for domain, score in domain_scores(text, doc).items():
        features[f"sig:{domain.value}"] = min(float(score), SIGNAL_CAP)
    for reason in open_ended_reasons(text, doc, ()):
        features[f"cx:{reason}"] = 1.0
    features[f"len:{_length_bucket(len(tokens))}"] = 1.0
    vector = load_vectors().prompt_vector(tokens) * VECTOR_SCALE
    features.update(zip(_vector_names(len(vector)), vector.tolist(), strict=True))
    return features


@lru_cache(maxsize=1)
def _vector_names(dims: int) -> tuple[str, ...]:
    """`vec:0` ... `vec:<dims - 1>`."""
    return tuple(f"vec:{k}" for k in range(dims))


def _length_bucket(count: int) -> str:
    """The name of the length bucket holding `count` words."""
    for limit, name in _LENGTH_BUCKETS:
        if count <= limit:
            return name
    return "41+"
