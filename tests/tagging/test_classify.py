"""The shipped classifiers against the held-out hand labels, and their confidence and origin."""

from __future__ import annotations

import pytest

from abstain_data.items import Domain
from abstain_data.tagging.classify import GUESS_BELOW, classify, tag_complexity, tag_domain
from abstain_data.tagging.complexity import rule_complexity
from abstain_data.tagging.domain import keyword_domain
from abstain_data.tagging.linear import load_model
from abstain_data.tagging.train import load_labelled

# Measured on the 1,309 held-out questions (python benchmarks/tagging_bench.py): domain 0.675
# with the word vectors (0.618 without; keyword baseline 0.437), complexity 0.921 (rule
# baseline 0.870).
DOMAIN_FLOOR, COMPLEXITY_FLOOR = 0.65, 0.90


@pytest.fixture(scope="module")
def heldout(nlp, labelled_corpora):
    """(question, doc, tags) for every held-out labelled question."""
    rows = [q for q in load_labelled(labelled_corpora) if q.split == "heldout"]
    docs = list(nlp.pipe(q.text for q in rows))
    return [(q, d, classify(q.text, d)) for q, d in zip(rows, docs, strict=True)]


def _agreement(pairs) -> float:
    pairs = list(pairs)
    return sum(a == b for a, b in pairs) / len(pairs)


def test_domain_agreement_on_heldout_questions_beats_the_keyword_baseline(heldout):
    after = _agreement((t["domain"].value, q.domain) for q, _, t in heldout)
    before = _agreement((keyword_domain(q.text, d).value, q.domain) for q, d, _ in heldout)
    assert len(heldout) >= 300
    assert after >= DOMAIN_FLOOR, after
    assert after >= before + 0.05, (before, after)


def test_complexity_agreement_on_heldout_questions_with_many_open_ended(heldout):
    open_share = sum(q.complexity == "open_ended" for q, _, _ in heldout) / len(heldout)
    after = _agreement((t["complexity"].value, q.complexity) for q, _, t in heldout)
    before = _agreement((rule_complexity(q.text, d).value, q.complexity) for q, d, _ in heldout)
    assert open_share >= 0.2, open_share
    assert after >= COMPLEXITY_FLOOR, after
    assert after > before, (before, after)


def test_guessed_tags_are_right_less_often_than_confident_ones(heldout):
    guessed = [(t["domain"].value, q.domain) for q, _, t in heldout if t["domain"].guessed]
    confident = [(t["domain"].value, q.domain) for q, _, t in heldout if not t["domain"].guessed]
    assert guessed and confident
    assert _agreement(confident) > _agreement(guessed) + 0.2


def test_general_is_a_topic_not_a_fallback(heldout):
    # the keyword rule says `general` whenever no keyword fires, so its `general` is mostly
    # other topics; the classifier's `general` must be right far more often
    def precision(tags: list[tuple[str, str]]) -> float:
        return sum(label == "general" for tag, label in tags if tag == "general") / sum(
            tag == "general" for tag, _ in tags)

    after = precision([(t["domain"].value, q.domain) for q, _, t in heldout])
    before = precision([(keyword_domain(q.text, d).value, q.domain) for q, d, _ in heldout])
    assert after >= before + 0.1, (before, after)


def test_models_cover_every_domain_and_both_complexities():
    assert set(load_model("domain").classes) == {d.value for d in Domain}
    assert load_model("complexity").classes == ("open_ended", "templated")
    assert load_model("domain").tag == "domain-v2"  # v1 read no word vectors
    assert load_model("complexity").tag == "complexity-v1"


@pytest.mark.parametrize(("text", "domain"), [
    ("What year did the song come out on the album?", Domain.CULTURE),
    ("Tom has 4 boxes of 6 eggs. He breaks 3 eggs. How many eggs are left?", Domain.MATH),
    ("How do I install Python packages on my laptop?", Domain.TECHNOLOGY),
])
def test_tagged_domain(nlp, text, domain):
    assert tag_domain(text, nlp(text)) is domain


def test_tags_carry_model_confidence_and_guess_flag(nlp):
    text = "Who wrote the novel Pride and Prejudice?"
    tags = classify(text, nlp(text))
    for field, tag in tags.items():
        assert 0 < tag.confidence <= 1
        assert tag.guessed == (tag.confidence < GUESS_BELOW[field])
        assert tag.origin() == {"method": "tagger", "model": load_model(field).tag,
                                "confidence": round(tag.confidence, 4), "guessed": tag.guessed}
    assert classify(text, nlp(text)) == tags  # deterministic


def test_a_long_reference_answer_makes_it_open_ended(nlp):
    text = "Who was Napoleon?"
    long_answer = "a French military commander who rose to power during the revolution and " \
                  "crowned himself emperor"
    assert tag_complexity(text, nlp(text), []).value == "templated"
    tags = classify(text, nlp(text), [long_answer])
    assert tags["complexity"].value == "open_ended"
    assert tags["complexity"].model == "complexity-v1+long_answer"
