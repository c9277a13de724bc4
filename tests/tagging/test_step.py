"""TagStep: tags what the source did not state, through the shared spaCy pipeline, with counts."""

from __future__ import annotations

from collections import Counter

from abstain_data.items import Category, Complexity, Domain, Item, Source
from abstain_data.pipeline.step import Batch, BuildContext
from abstain_data.tagging.linear import load_model
from abstain_data.tagging.step import TagStep

PROMPTS = [
    "What is the capital of Peru?",
    "I am 45 and weigh 70 kg; what dose of ibuprofen can I take?",
    "Explain how a bill becomes law in the United States.",
    "Tom has 4 boxes of 6 eggs. He breaks 3 eggs. How many eggs are left?",
    "What does HTML stand for?",
]


def seed(prompt: str, row: int, known: frozenset[str] = frozenset(), **fields) -> Item:
    """An answerable source item as an adapter would yield it."""
    item = Item(prompt=prompt, should_abstain=False, category=Category.ANSWERABLE,
                source=Source(dataset="test", license="cc-by-4.0", row=row), **fields)
    item.record = f"test#{row}"
    item.known = known
    return item


def test_tags_unknown_fields_and_keeps_order_ids_and_records():
    items = [seed(p, i) for i, p in enumerate(PROMPTS)]
    out = TagStep(BuildContext()).process(Batch(items=list(items)))
    assert [i.id for i in out.items] == [i.id for i in items]
    assert [i.record for i in out.items] == [f"test#{n}" for n in range(len(PROMPTS))]
    assert [i.domain for i in out.items] == [
        Domain.GEOGRAPHY, Domain.MEDICAL, Domain.LEGAL, Domain.MATH, Domain.TECHNOLOGY]
    assert out.items[0].complexity is Complexity.TEMPLATED
    assert out.items[1].complexity is Complexity.OPEN_ENDED
    for item in out.items:
        for field in ("domain", "complexity"):
            origin = item.tag_origin[field]
            assert origin["method"] == "tagger" and origin["model"] == load_model(field).tag
            assert 0 < origin["confidence"] <= 1
    assert out.fates == []


def test_fields_the_source_stated_win():
    stated = seed(PROMPTS[0], 0, known=frozenset({"domain"}), domain=Domain.HISTORY,
                  complexity=Complexity.OPEN_ENDED)
    both = seed(PROMPTS[2], 1, known=frozenset({"domain", "complexity"}),
                domain=Domain.POLITICS, complexity=Complexity.TEMPLATED)
    out = TagStep(BuildContext()).process(Batch(items=[stated, both]))
    first, second = out.items
    assert (first.domain, first.complexity) == (Domain.HISTORY, Complexity.TEMPLATED)
    assert (second.domain, second.complexity) == (Domain.POLITICS, Complexity.TEMPLATED)
    assert first.known == frozenset({"domain"})
    assert first.tag_origin["domain"] == {"method": "source"}
    assert first.tag_origin["complexity"]["method"] == "tagger"
    assert second.tag_origin == {"domain": {"method": "source"},
                                 "complexity": {"method": "source"}}


def test_counters_per_domain_and_per_origin():
    items = [seed(PROMPTS[0], 0), seed(PROMPTS[4], 1),
             seed(PROMPTS[3], 2, known=frozenset({"domain"}), domain=Domain.MATH)]
    out = TagStep(BuildContext()).process(Batch(items=items))
    guessed = {f"guessed:{field}": sum(i.tag_origin[field].get("guessed", False)
                                       for i in out.items)
               for field in ("domain", "complexity")}
    complexities = Counter(f"complexity:{i.complexity.value}" for i in out.items)
    assert out.counters == {
        "domain:geography": 1, "domain:technology": 1, "domain:math": 1, **complexities,
        "tagged:domain": 2, "known:domain": 1, "tagged:complexity": 3,
        **{k: v for k, v in guessed.items() if v},
    }


def test_low_confidence_tags_are_counted_and_marked_as_guesses():
    # a mix of topics the model is unsure about (measured confidence below the threshold)
    item = seed("What states do not allow daylight savings time", 0)
    out = TagStep(BuildContext()).process(Batch(items=[item]))
    origin = out.items[0].tag_origin["domain"]
    assert origin["guessed"] is True and origin["confidence"] < 0.5
    assert out.counters["guessed:domain"] == 1


def test_same_tags_whatever_the_batching():
    items = [seed(p, i) for i, p in enumerate(PROMPTS)]
    whole = TagStep(BuildContext()).process(Batch(items=list(items))).items
    step = TagStep(BuildContext(), pipe_batch_size=2)
    pieces = [Batch(items=items[:2]), Batch(items=items[2:3]), Batch(items=items[3:])]
    split = [item for batch in step.run(pieces) for item in batch.items]
    assert [i.to_dict() for i in split] == [i.to_dict() for i in whole]


def test_empty_batch():
    out = TagStep(BuildContext()).process(Batch())
    assert out.items == [] and out.counters == {}


def test_step_contract():
    step = TagStep(BuildContext())
    assert step.name == "tag"
    assert step.params() == {"pipe_batch_size": 256}
    assert step.provides == {"domain", "complexity"}
