"""Training: the labels' provenance rules, label/corpus mismatches, and the exported weights."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest

from abstain_data.items import Complexity, Domain
from abstain_data.tagging.questions import FILES, read_questions, text_hash
from abstain_data.tagging.train import (
    LABELS,
    LabelError,
    fit,
    frequent_features,
    load_labelled,
    to_linear,
)


def _rows():
    return [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines()]


def test_labels_follow_the_documented_rules():
    rows = _rows()
    assert len(rows) >= 6500
    assert all(row["row"] % 2 == 0 for row in rows)  # odd rows are left for fresh evaluation
    assert len({(r["corpus"], r["file"], r["row"]) for r in rows}) == len(rows)
    assert {r["corpus"] for r in rows} >= {"selfaware", "unanswgen", "coconot", "demo"}
    assert all(r["file"] in FILES[r["corpus"]] for r in rows)
    assert {r["domain"] for r in rows} == {d.value for d in Domain}
    assert {r["complexity"] for r in rows} == {c.value for c in Complexity}
    for row in rows:
        key = f"{row['corpus']}/{row['file']}#{row['row']}"
        heldout = int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % 5 == 0
        assert row["split"] == ("heldout" if heldout else "train"), key
    assert "text" not in rows[0]  # corpus text is never copied into the package
    # every row names its labeller (model/PROVENANCE.md says who they are)
    assert {r["labeller"] for r in rows} == {f"L{n}" for n in range(1, 10)}


def test_labels_point_at_their_questions(labelled_corpora):
    questions = load_labelled(labelled_corpora)
    assert len(questions) == len(_rows())
    assert all(q.text for q in questions)


def test_a_label_whose_question_changed_names_file_and_row(tmp_path, labelled_corpora):
    _, text = next(read_questions(labelled_corpora, "demo", "advice.jsonl"))
    good = {"corpus": "demo", "file": "advice.jsonl", "row": 0, "text_sha256": text_hash(text),
            "domain": "medical", "complexity": "templated", "split": "train"}
    labels = tmp_path / "labels.jsonl"
    labels.write_text(json.dumps(good) + "\n" + json.dumps({**good, "text_sha256": "0" * 16})
                      + "\n", encoding="utf-8")
    with pytest.raises(LabelError, match=r"^labels\.jsonl:2: demo/advice\.jsonl row 0: "
                                         r"text_sha256 does not match"):
        load_labelled(labelled_corpora, labels)
    labels.write_text(json.dumps({**good, "row": 10**6}) + "\n", encoding="utf-8")
    with pytest.raises(LabelError, match=r"labels\.jsonl:1: .* row 1000000: no such row"):
        load_labelled(labelled_corpora, labels)


@pytest.mark.parametrize("classes", [("a", "b"), ("a", "b", "c")])
def test_exported_weights_give_scikit_learns_probabilities(classes):
    rng = np.random.default_rng(0)
    features = [{f"w:{k}": 1.0 for k in rng.choice(12, size=4, replace=False)}
                for _ in range(90)]
    targets = [classes[(int(sorted(f)[0][2:]) + i) % len(classes)]
               for i, f in enumerate(features)]
    vocabulary = frequent_features(features)
    model = fit(features, targets, 1.0, vocabulary)
    linear = to_linear(model, vocabulary, "toy")
    from sklearn.feature_extraction import DictVectorizer

    vectorizer = DictVectorizer(sort=True).fit([{name: 1.0 for name in vocabulary}])
    expected = model.predict_proba(vectorizer.transform(features))
    got = np.array([linear.probabilities(f) for f in features])
    assert linear.classes == tuple(model.classes_)
    assert np.allclose(got, expected, atol=2e-3)  # weights are rounded to 4 decimals
