"""Context swap: the question over a sibling passage that lacks the answer."""

from __future__ import annotations

from random import Random

from abstain_data.builders.context_swap import ContextSwap
from abstain_data.items import Category, LabelStatus

FLEMING = ("Alexander Fleming discovered penicillin in 1928 at St Mary's Hospital in London. "
           "He noticed that a mould had killed the bacteria in one of his culture plates.")
FLOREY = ("Howard Florey and Ernst Chain turned penicillin into a usable drug at Oxford "
          "during the Second World War, and mass production began in the United States.")
NOBEL = ("In 1945 Fleming, Florey and Chain shared the Nobel Prize in Physiology or Medicine "
         "for the discovery of penicillin and its curative effect.")


def penicillin(seed):  # noqa: ANN001, ANN201 - the conftest's seed factory and its items
    """Three seeds of one topic, each with its own passage: the first, then its two siblings."""
    return [seed("In what year did Fleming discover penicillin?", ["1928"], FLEMING,
                 topic="Penicillin", record="r#0"),
            seed("Where did Florey work on penicillin?", ["Oxford"], FLOREY,
                 topic="Penicillin", record="r#1"),
            seed("In what year was the Nobel Prize shared?", ["1945"], NOBEL,
                 topic="Penicillin", record="r#2")]


def test_swaps_in_a_sibling_passage_without_the_answer(ctx, seed, run):
    parent, *others = penicillin(seed)
    out = run(ContextSwap(ctx), [parent, *others])
    variants = [v for v in out.variants("context_swap") if v.parent_id == parent.id]
    assert len(variants) == 1
    variant = variants[0]
    assert variant.category is Category.CTX_MISSING and variant.should_abstain
    assert variant.prompt == parent.prompt
    assert variant.context in (FLOREY, NOBEL)
    assert "1928" not in variant.context
    assert variant.reference_answers == []
    assert "1928" in variant.rationale


def test_sibling_holding_the_answer_is_never_used(ctx, seed, run):
    parent = seed("Who shared the Nobel Prize with Fleming?", ["Florey"], NOBEL,
                  topic="Penicillin", record="r#0")
    # the only sibling names the answer: no variant at all
    sibling = seed("Where was mass production?", ["the United States"], FLOREY,
                   topic="Penicillin", record="r#1")
    out = run(ContextSwap(ctx), [parent, sibling])
    assert [v.parent_id for v in out.variants("context_swap")] == [sibling.id]


def test_related_passage_used_when_topics_are_single_passages(ctx, seed, run):
    parent = seed("Where did Alexander Fleming discover penicillin?", ["St Mary's Hospital"],
                  FLEMING, topic="passage:a", record="r#0")
    related = seed("Who shared the 1945 Nobel Prize?", ["Fleming, Florey and Chain"], NOBEL,
                   topic="passage:b", record="r#1")
    unrelated = seed("What colour is the sky?", ["blue"], "The sky is blue on clear days.",
                     topic="passage:c", record="r#2")
    out = run(ContextSwap(ctx), [parent, related, unrelated])
    variant = next(v for v in out.variants("context_swap") if v.parent_id == parent.id)
    assert variant.context == NOBEL
    assert variant.transform.params["passage_from"] == "related"


def test_passage_sharing_the_question_words_goes_to_review(ctx, seed, run):
    parent = seed("Which mould killed the bacteria?", ["a mould"], FLEMING, topic="P",
                  record="r#0")
    twin = seed("What did the mould do?", ["killed bacteria"],
                "Which mould killed the bacteria remains debated by historians of medicine.",
                topic="P", record="r#1")
    out = run(ContextSwap(ctx), [parent, twin])
    variant = next(v for v in out.variants("context_swap") if v.parent_id == parent.id)
    assert variant.label_status is LabelStatus.NEEDS_REVIEW
    assert variant.review["queue_reason"] == "passage_overlap"


def test_overlap_counts_inflected_words_as_the_same(ctx, seed, run):
    """"launch" is in a passage that says "launched": the passage may still answer."""
    parent = seed("When did Saint FM launch?", ["10 March 2013"],
                  "Saint FM Community Radio launched on 10 March 2013.", topic="S", record="r#0")
    sibling = seed("Who funded the station?", ["its members"],
                   "Saint FM launched in January 2005 and closed in 2012.", topic="S",
                   record="r#1")
    out = run(ContextSwap(ctx), [parent, sibling])
    variant = next(v for v in out.variants("context_swap") if v.parent_id == parent.id)
    assert variant.transform.params["content_overlap"] == 1.0
    assert variant.review["queue_reason"] == "passage_overlap"


def test_proposes_only_the_passages_the_step_keeps_the_same_ones_as_before(ctx, seed):
    parent, *others = penicillin(seed)
    doc = ctx.nlp(parent.prompt)
    one, both = ContextSwap(ctx), ContextSwap(ctx, max_per_seed=2)
    for builder in (one, both):
        builder.prepare([parent, *others], {})
    first = one.make_variants(parent, doc, Random(7))
    every = both.make_variants(parent, doc, Random(7))
    assert len(first) == 1 and len(every) == 2
    assert first[0].context == every[0].context  # the same draw of the shuffled passages
