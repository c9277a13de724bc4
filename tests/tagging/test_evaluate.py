"""The blind domain review: it stays apart from the training rows, resolves to its questions,
and scores the shipped taggers (the figure the model is judged by, with its reviewers' ceiling)."""

from __future__ import annotations

import json

import pytest

from abstain_data.tagging.evaluate import REVIEW, evaluate, main
from abstain_data.tagging.train import LABELS


def _rows(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_the_review_never_shares_a_question_with_the_training_labels():
    review = _rows(REVIEW)
    trained = {(r["corpus"], r["file"], r["row"]) for r in _rows(LABELS)}
    assert len(review) == 600
    assert all(r["row"] % 2 == 1 for r in review)  # training labels are on even rows only
    assert not trained & {(r["corpus"], r["file"], r["row"]) for r in review}
    assert {r["reviewer"] for r in review} == {f"B{n}" for n in range(1, 7)}
    assert "text" not in review[0]


def test_the_shipped_taggers_against_the_review(labelled_corpora):
    report = evaluate(labelled_corpora)
    assert report["questions"] == 300 and report["judgements"] == 600
    assert set(report["judgements_by_corpus"]) == {"coconot", "falseqa", "selfaware",
                                                   "trustllm", "unanswgen"}
    assert report["open_ended_share"] >= 0.3
    assert report["reviewers"]["domain"]["pairwise_agreement"] == pytest.approx(296 / 300)
    assert report["reviewers"]["complexity"]["pairwise_agreement"] == pytest.approx(297 / 300)
    # floors under the shipped models' figures (domain-v2: 70.3 %, complexity 90.2 %): a change
    # that makes the taggers agree less with people fails here
    assert report["domain"]["agreement"] >= 0.70
    assert report["complexity"]["agreement"] >= 0.90
    per = report["domain"]["per_reviewer_domain"]
    assert sum(block["n"] for block in per.values()) == 600


def test_a_review_row_whose_question_changed_is_one_line(tmp_path, labelled_corpora, capsys):
    row = {**_rows(REVIEW)[0], "text_sha256": "0" * 16}
    review = tmp_path / "review.jsonl"
    review.write_text(json.dumps(row) + "\n", encoding="utf-8")
    assert main(["--corpora", str(labelled_corpora), "--review", str(review)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: review.jsonl:1: ") and "text_sha256 does not match" in err
    assert "\n" not in err
