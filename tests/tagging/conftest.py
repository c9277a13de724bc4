"""Fixtures for the tagger tests: the real spaCy pipeline and the hand-labelled question sets.

data/dev.jsonl (103 questions) was written before the taggers and used to shape them;
data/heldout_a.jsonl (40) was written next, measured once (domain 0.675), then used to widen the
lexicons; data/heldout_b.jsonl (40) was written after the last lexicon change and never tuned
on. Each row: text, domain, complexity, answers (the reference answers a careful person gives).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from real_corpora import require_corpora

from abstain_data.nlp import load_nlp

CORPORA = Path(__file__).resolve().parents[2].parent / "shared" / "corpora"

DATA = Path(__file__).with_name("data")


@dataclass(frozen=True)
class Labelled:
    """One hand-labelled question."""

    text: str
    domain: str
    complexity: str
    answers: tuple[str, ...]


def load_labelled(name: str) -> list[Labelled]:
    """The rows of data/<name>.jsonl."""
    rows = []
    for line in (DATA / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        rows.append(Labelled(row["text"], row["domain"], row["complexity"],
                             tuple(row["answers"])))
    return rows


@pytest.fixture(scope="session")
def nlp():
    """The shared spaCy pipeline, exactly as the build loads it."""
    return load_nlp("en_core_web_sm")


@pytest.fixture(scope="session")
def labelled():
    """`labelled(name)` -> the hand-labelled questions of data/<name>.jsonl."""
    return load_labelled


@pytest.fixture(scope="session")
def labelled_corpora() -> Path:
    """The corpora the training labels point into: $ABSTAIN_DATA_CORPORA, else
    `../shared/corpora` from the project root; the test is skipped when neither exists."""
    path = Path(os.environ.get("ABSTAIN_DATA_CORPORA", str(CORPORA)))
    return require_corpora(path)
