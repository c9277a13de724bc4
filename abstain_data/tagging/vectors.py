"""Static word vectors: the pretrained world knowledge the tagging classifiers read.

A bag of words only knows the words its training labels contained; a word vector also knows
what a word is near ("guitar" near "album", "verdict" near "court"), learnt from far more text.
The table ships in the package as two files made by `make_vectors.py` from the sentence
transformer all-MiniLM-L6-v2 (every word embedded alone; see model/PROVENANCE.md):
- `model/word_vectors.txt`: the words, one per line, lower-case (row order of the matrix);
- `model/word_vectors.npy`: a float16 matrix, one row per word, already multiplied by the
  word's weight (rare words weigh more than "the" or "what").

`WordVectors.prompt_vector(tokens)` consumes a prompt's lower-cased words (`features.words`)
and produces the unit-length sum of the rows of the known ones, as float32; a prompt with no
known word gives zeros. Only numpy is needed at tagging time.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from abstain_data.tagging.linear import MODEL_DIR

WORDS_FILE = MODEL_DIR / "word_vectors.txt"
MATRIX_FILE = MODEL_DIR / "word_vectors.npy"


class VectorTableError(ValueError):
    """The shipped word list and matrix do not fit together."""


@dataclass(frozen=True)
class WordVectors:
    """A word -> row index and the matrix of (weighted) word vectors."""

    index: dict[str, int]
    matrix: np.ndarray

    @property
    def dims(self) -> int:
        """How many numbers one vector has."""
        return int(self.matrix.shape[1])

    def prompt_vector(self, tokens: list[str]) -> np.ndarray:
        """The unit-length sum of the vectors of the known `tokens` (zeros when none is known)."""
        rows = [self.index[token] for token in tokens if token in self.index]
        if not rows:
            return np.zeros(self.dims, dtype=np.float32)
        total = self.matrix[rows].sum(axis=0, dtype=np.float32)
        norm = float(np.linalg.norm(total))
        return total / norm if norm > 0 else total


def read_vectors(words_file: Path = WORDS_FILE, matrix_file: Path = MATRIX_FILE) -> WordVectors:
    """Read a word list and its matrix; VectorTableError names the file when they disagree."""
    words = words_file.read_text(encoding="utf-8").splitlines()
    matrix = np.load(matrix_file, allow_pickle=False)
    if matrix.ndim != 2 or matrix.shape[0] != len(words):
        raise VectorTableError(f"{matrix_file.name}: shape {matrix.shape} does not fit the "
                               f"{len(words)} words of {words_file.name}")
    index = {}
    for number, word in enumerate(words):
        if not word or word in index:
            raise VectorTableError(f"{words_file.name}:{number + 1}: empty or repeated word "
                                   f"{word!r}")
        index[word] = number
    return WordVectors(index, matrix)


@lru_cache(maxsize=1)
def load_vectors() -> WordVectors:
    """The shipped word vector table (read once per process)."""
    return read_vectors()
