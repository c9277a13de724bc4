"""`nlp.lemma`: a lemma for any token, without writing into the shared Doc."""

from __future__ import annotations

from abstain_data.nlp import lemma, load_nlp


def test_lemma_comes_from_the_disabled_lemmatizer_and_leaves_the_doc_as_parsed() -> None:
    nlp = load_nlp("en_core_web_sm")
    doc = nlp("Who built the houses that Steve Jobs put up?")
    before = [t.lemma_ for t in doc]
    assert before[1] == ""  # the pipeline runs without its lemmatizer
    assert [lemma(t, nlp) for t in doc][1:4] == ["build", "the", "house"]
    assert [t.lemma_ for t in doc] == before  # nothing written: later steps read the same Doc
