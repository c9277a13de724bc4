"""The shipped word vector table: it loads, it knows what words mean, and the tagger uses it."""

from __future__ import annotations

import numpy as np
import pytest

from abstain_data.tagging.features import VECTOR_SCALE, prompt_features, words
from abstain_data.tagging.linear import load_model
from abstain_data.tagging.vectors import (
    MATRIX_FILE,
    VectorTableError,
    load_vectors,
    read_vectors,
)


def _cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_table_is_small_float16_and_covers_common_and_rare_words():
    vectors = load_vectors()
    assert vectors.matrix.dtype == np.float16
    assert MATRIX_FILE.stat().st_size <= 20_000_000
    assert len(vectors.index) >= 30_000
    for word in ("the", "guitar", "verdict", "mortgage", "photosynthesis", "don't"):
        assert word in vectors.index, word


@pytest.mark.parametrize(("word", "near", "far"), [
    ("guitar", "album", "verdict"),
    ("lawsuit", "court", "planet"),
    ("diabetes", "insulin", "football"),
    ("goalkeeper", "stadium", "mortgage"),
])
def test_related_words_are_closer_than_unrelated_ones(word, near, far):
    vectors = load_vectors()

    def vector(w: str) -> np.ndarray:
        return vectors.matrix[vectors.index[w]].astype(np.float32)

    assert _cosine(vector(word), vector(near)) > _cosine(vector(word), vector(far)) + 0.1


def test_prompt_vector_is_unit_length_and_zero_without_known_words():
    vectors = load_vectors()
    vector = vectors.prompt_vector(words("Who sang the title track of that album?"))
    assert vector.shape == (vectors.dims,) and vector.dtype == np.float32
    assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-4
    assert not vectors.prompt_vector(["qzxqzxq"]).any()


def test_features_carry_the_scaled_prompt_vector(nlp):
    text = "Which team won the cup final?"
    features = prompt_features(text, nlp(text))
    vector = load_vectors().prompt_vector(words(text)) * VECTOR_SCALE
    got = np.array([features[f"vec:{k}"] for k in range(len(vector))])
    assert np.allclose(got, vector)
    assert any(name.startswith("vec:") for name in load_model("domain").weights)


def test_a_table_that_does_not_fit_its_word_list_names_the_file(tmp_path):
    (tmp_path / "w.txt").write_text("alpha\nbeta\n", encoding="utf-8")
    np.save(tmp_path / "m.npy", np.zeros((3, 4), dtype=np.float16))
    with pytest.raises(VectorTableError, match=r"^m\.npy: shape \(3, 4\) does not fit the 2 words"):
        read_vectors(tmp_path / "w.txt", tmp_path / "m.npy")
    (tmp_path / "w.txt").write_text("alpha\nbeta\nalpha\n", encoding="utf-8")
    with pytest.raises(VectorTableError, match=r"^w\.txt:3: empty or repeated word 'alpha'"):
        read_vectors(tmp_path / "w.txt", tmp_path / "m.npy")


@pytest.mark.parametrize(("text", "domain"), [
    ("Who composed the soundtrack?", "culture"),
    ("How do I reset my router password?", "technology"),
    ("What interest rate does the mortgage carry?", "finance"),
])
def test_the_vectors_decide_questions_the_words_alone_miss(nlp, text, domain):
    # the shipped domain model reads these right only with the prompt's word vector: with the
    # `vec:` features taken away, the same weights say general or science
    model = load_model("domain")
    features = prompt_features(text, nlp(text))
    words_only = {name: value for name, value in features.items()
                  if not name.startswith("vec:")}
    assert model.predict(features)[0] == domain
    assert model.predict(words_only)[0] != domain
