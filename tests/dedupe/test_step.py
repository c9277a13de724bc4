"""DedupeStep: exact and near duplicates, labels never merged, conflicts to review, determinism."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from abstain_data.dedupe.step import Compared, DedupeStep
from abstain_data.items import Category, Item, LabelStatus, Source, Transform, pair_id_for
from abstain_data.pipeline.step import Batch, BuildContext, Fate, FateKind
from abstain_data.pipeline.stream import write_stream
from abstain_data.sources import adapter_class
from abstain_data.sources.base import SourceSpec

CTX = BuildContext(seed=13)


def make_item(prompt: str, category: Category = Category.ANSWERABLE, *, record: str,
              context: str | None = None, dataset: str = "demo", builder: str | None = None,
              review: dict | None = None) -> Item:
    """An item with the label implied by `category`, made by `builder` when one is given."""
    transform = None if builder is None else Transform(builder, "1", {}, 13)
    answers = [] if category.should_abstain else ["an answer"]
    return Item(prompt=prompt, should_abstain=category.should_abstain, category=category,
                source=Source(dataset=dataset, license="cc-by-4.0"), context=context,
                reference_answers=answers, transform=transform, record=record, review=review)


def run(items: list[Item], batch_size: int = 2, **params: float) -> tuple[list[Item], list[Fate],
                                                                          dict[str, int]]:
    """Run the step over `items` in batches; return the items out, the fates and the counters."""
    batches = [Batch(items[i:i + batch_size]) for i in range(0, len(items), batch_size)]
    out = list(DedupeStep(CTX, **params).run(batches))
    counters: dict[str, int] = {}
    for batch in out:
        for key, n in batch.counters.items():
            counters[key] = counters.get(key, 0) + n
    return ([i for b in out for i in b.items], [f for b in out for f in b.fates], counters)


def by_record(items: list[Item]) -> dict[str, Item]:
    return {item.record: item for item in items}


def test_exact_duplicates_keep_the_first_by_id_then_record() -> None:
    items = [make_item("What is the boiling point of water?", record="a#0"),
             make_item("what is the boiling point of water", record="b#0"),
             make_item("WHAT is the boiling-point of water ?!", record="c#0")]
    assert len({i.id for i in items}) == 1
    kept, fates, counters = run(items)
    assert [i.record for i in kept] == ["a#0"]
    assert sorted((f.record, f.kind, f.detail, f.method, f.score) for f in fates) == [
        ("b#0", FateKind.DUPLICATE_OF, items[0].id, "exact", 100.0),
        ("c#0", FateKind.DUPLICATE_OF, items[0].id, "exact", 100.0),
    ]
    assert all(f.step == "dedupe" and f.item_id == items[0].id for f in fates)
    assert counters["duplicates:exact"] == 2
    assert counters["clusters"] == 1


def test_same_question_on_different_passages_is_not_a_duplicate() -> None:
    question = "Who wrote the letter?"
    items = [make_item(question, context="Anna wrote the letter in May.", record="s#0"),
             make_item(question, context="In May, Boris wrote a letter.", record="s#1"),
             make_item(question, context="Anna wrote the letter in May.", record="s#2")]
    kept, fates, _ = run(items)
    assert [i.record for i in kept] == ["s#0", "s#1"]
    assert [(f.record, f.detail) for f in fates] == [("s#2", items[0].id)]


def test_first_president_of_france_and_atlantis_stay_apart() -> None:
    france = make_item("Who was the first president of France?", record="s#0")
    atlantis = make_item("Who was the first president of Atlantis?",
                         Category.ENTITY_FABRICATED, record="fabricated_entity:s#0#0",
                         builder="fabricated_entity")
    same_label = make_item("Who was the first president of Atlantis?", record="t#0",
                           dataset="other")
    # even with thresholds low enough for the scores to pass, the entity gate holds
    for pair in ([france, atlantis], [france, same_label]):
        for params in ({}, {"token_set_ratio": 80, "token_sort_ratio": 75, "word_gate": False}):
            kept, fates, counters = run(pair, **params)
            assert len(kept) == 2 and fates == []
            assert all(i.label_status is LabelStatus.SOURCE for i in kept)
    assert counters["near:entity_gate_rejected"] == 1


def test_ordinals_from_spacy_entities_keep_first_and_second_apart() -> None:
    first = make_item("Who was the first president of France?", record="s#0")
    second = make_item("Who was the second president of France?", record="s#1")
    kept, fates, counters = run([first, second], word_gate=False, token_set_ratio=85)
    assert len(kept) == 2 and fates == []
    assert counters["near:verified_pairs"] == 1  # rapidfuzz alone would merge them (86.4)
    assert counters["near:spacy_checked_pairs"] == 1  # the string heuristic sees no entity
    assert counters["near:entity_gate_rejected"] == 1
    kept, fates, counters = run([first, second])
    assert len(kept) == 2 and counters["near:verified_pairs"] == 0  # the word gate, first


def test_near_duplicates_merge_with_method_and_score() -> None:
    items = [make_item("What is the capital city of France?", record="s#0"),
             make_item("What's the capital city of France", record="s#1"),
             make_item("What is the capital city of Spain?", record="s#2")]
    kept, fates, counters = run(items)
    assert len(kept) == 2 and len(fates) == 1
    fate = fates[0]
    keep, drop = sorted(items[:2], key=lambda i: (i.id, i.record))
    assert (fate.record, fate.detail, fate.item_id) == (drop.record, keep.id, drop.id)
    # the contraction written out, the content words are equal: a perfect score
    assert fate.method == "near:token_set_ratio" and fate.score == 100
    assert counters["duplicates:near"] == 1
    assert counters["near:spacy_checked_pairs"] == 0  # same content words: no spaCy needed


def test_a_misspelt_word_merges_below_a_perfect_score_after_the_spacy_gate() -> None:
    items = [make_item("Which river flows through the old town of Vienna?", record="s#0"),
             make_item("Which river flows through the old tonw of Vienna?", record="s#1")]
    kept, fates, counters = run(items)
    assert len(kept) == 1 and len(fates) == 1
    assert fates[0].method == "near:token_set_ratio" and 90 <= fates[0].score < 100
    # the misspelt word is lowercase in cased prompts: it hides no entity, no spaCy needed
    assert counters["near:spacy_checked_pairs"] == 0
    lowercase = [make_item(item.prompt.lower(), record=item.record) for item in items]
    kept, fates, counters = run(lowercase)
    assert len(kept) == 1 and counters["near:spacy_checked_pairs"] == 1  # no case to read


def test_a_misspelt_name_is_another_name() -> None:
    kept, fates, _ = run([make_item("Who founded the Varnok Bank?", record="s#0"),
                          make_item("Who founded the Varnek Bank?", record="s#1")])
    assert len(kept) == 2 and fates == []


def test_a_misspelt_function_word_merges() -> None:
    kept, fates, _ = run([make_item("What did Ada Lovelace write about engines?", record="s#0"),
                          make_item("What did Ada Lovelace write abbout engines?", record="s#1")])
    assert len(kept) == 1 and len(fates) == 1


@pytest.mark.parametrize("variant", [
    "what is the capital city of france",  # case and punctuation
    "Could you tell me what the capital city of France is?",  # framing and word order
    "Which is the capital city of France?",  # "which" for "what"
    "What is the capitol city of France?",  # a typo
])
def test_wording_variants_merge(variant: str) -> None:
    kept, fates, _ = run([make_item("What is the capital city of France?", record="s#0"),
                          make_item(variant, record="s#1")])
    assert [i.record for i in kept] in (["s#0"], ["s#1"]) and len(fates) == 1


@pytest.mark.parametrize("different", [
    "Who sold the Varnok Bank in 1901?",  # one content word changed
    "Who founded the Varnok Bank in 1902?",  # a number changed
    "Who founded the Tesly Bank in 1901?",  # a name changed
    "Who did not found the Varnok Bank in 1901?",  # negated
    "When was the Varnok Bank founded in 1901?",  # another question word
])
def test_templated_questions_differing_in_one_word_stay_apart(different: str) -> None:
    kept, fates, _ = run([make_item("Who founded the Varnok Bank in 1901?", record="s#0"),
                          make_item(different, record="s#1")])
    assert len(kept) == 2 and fates == []


def test_members_are_matched_against_the_representative_not_chained() -> None:
    a = make_item("Which river flows through the old town of Vienna?", record="s#0")
    b = make_item("Which river flows through the old tonw of Vienna?", record="s#1")
    c = make_item("Which rievr flows through the old tonw of Vienna?", record="s#2")
    # order by id is a, c, b; at 97 b matches a (97.9) and c (97.9), but a and c score 95.8
    assert sorted([a, b, c], key=lambda i: i.id) == [a, c, b]
    kept, fates, _ = run([a, b, c], token_set_ratio=97, token_sort_ratio=97)
    assert {i.record for i in kept} == {"s#0", "s#2"}
    assert [(f.record, f.detail) for f in fates] == [("s#1", a.id)]
    kept, fates, _ = run([a, b, c])
    assert [i.record for i in kept] == ["s#0"] and {f.detail for f in fates} == {a.id}


def test_never_merges_across_variant_families() -> None:
    seed = make_item("What is the capital city of France?", record="s#0")
    variant = make_item("What's the capital city of France", record="negation:s#0#0",
                        builder="negation")
    kept, fates, _ = run([seed, variant])
    assert len(kept) == 2 and fates == []


def test_exact_duplicates_with_conflicting_labels_go_to_review() -> None:
    question = "How many times have there been major floods caused by dragons?"
    false = make_item(question, Category.PREMISE_FALSE, record="falseqa#1",
                      review={"note": "kept"})
    again = make_item(question, Category.PREMISE_FALSE, record="falseqa#2")
    answerable = make_item(question, record="falseqa#3")
    kept, fates, counters = run([false, again, answerable])
    assert [i.record for i in kept] == ["falseqa#1", "falseqa#3"]
    assert all(i.label_status is LabelStatus.NEEDS_REVIEW for i in kept)
    records = by_record(kept)
    assert records["falseqa#1"].review == {"note": "kept", "queue_reason": "conflicting_duplicate",
                                           "conflict_with": [answerable.id]}
    assert records["falseqa#3"].review == {"queue_reason": "conflicting_duplicate",
                                           "conflict_with": [false.id]}
    assert [(f.record, f.detail, f.method) for f in fates] == [("falseqa#2", false.id, "exact")]
    assert counters["conflicting_duplicates"] == 2


def test_near_duplicates_with_conflicting_labels_go_to_review_across_sources_only() -> None:
    answerable = make_item("What is the capital city of France?", record="a#0", dataset="a")
    elsewhere = make_item("What's the capital city of France", Category.PREMISE_FALSE,
                          record="b#0", dataset="b")
    same_corpus = make_item("What's the capital city of France", Category.PREMISE_FALSE,
                            record="a#1", dataset="a")
    kept, fates, _ = run([answerable, elsewhere])
    assert fates == [] and len(kept) == 2
    assert all(i.review["conflict_with"] for i in kept)
    assert by_record(kept)["a#0"].review["conflict_with"] == [elsewhere.id]
    # within one corpus, near-identical items with different labels are its own minimal pairs
    kept, fates, _ = run([answerable, same_corpus])
    assert fates == [] and all(i.label_status is LabelStatus.SOURCE for i in kept)


def test_exact_duplicate_of_a_near_duplicate_points_at_the_final_representative() -> None:
    items = [make_item("What is the capital city of France?", record="s#0"),
             make_item("What's the capital city of France", record="s#1"),
             make_item("what's the capital city of france?", record="s#2")]
    kept, fates, _ = run(items)
    assert [i.record for i in kept] == ["s#0"] or [i.record for i in kept] == ["s#1"]
    assert {f.detail for f in fates} == {kept[0].id}
    assert {f.method for f in fates} == {"near:token_set_ratio"}


def test_output_keeps_input_order_and_batch_size_and_carries_fates() -> None:
    items = [make_item(f"What is the population of town number {n}?", record=f"s#{n}")
             for n in range(7)]
    items.append(make_item("What is the population of town number 3", record="s#7"))
    earlier = Fate("x#0", FateKind.REJECTED, "builder", "gate:leak")
    batches = [Batch(items[:3], [earlier], {"seen": 3}), Batch(items[3:6]), Batch(items[6:])]
    out = list(DedupeStep(CTX).run(batches))
    assert [len(b.items) for b in out] == [3, 3, 1]
    assert [i.record for b in out for i in b.items] == [f"s#{n}" for n in range(7)]
    fates = [f for b in out for f in b.fates]
    assert fates[0] is earlier and [f.record for f in fates[1:]] == ["s#7"]
    assert out[0].counters["seen"] == 3


def test_empty_stream_yields_one_empty_batch() -> None:
    out = list(DedupeStep(CTX).run([]))
    assert len(out) == 1 and out[0].items == [] and out[0].fates == []


def test_result_does_not_depend_on_order_or_batch_size() -> None:
    prompts = ["What is the capital city of France?", "What's the capital city of France",
               "Who was the first president of France?", "Who was the first president of Peru?",
               "Which river flows through the old town of Vienna?",
               "Which river flows through the old tonw of Vienna?",
               "Which rievr flows through the old tonw of Vienna?"]
    items = [make_item(p, record=f"s#{n}") for n, p in enumerate(prompts)]
    items += [make_item(p, record=f"t#{n}", dataset="t") for n, p in enumerate(prompts)]
    items.append(make_item(prompts[0], Category.PREMISE_FALSE, record="u#0", dataset="u"))

    def outcome(order: list[Item], size: int) -> tuple:
        kept, fates, counters = run(order, batch_size=size)
        return (sorted((i.record, i.label_status, str(i.review)) for i in kept),
                sorted((f.record, f.detail, f.method, f.score) for f in fates), counters)

    expected = outcome(items, 4)
    rng = random.Random(5)
    for size in (1, 3, 100):
        shuffled = items[:]
        rng.shuffle(shuffled)
        assert outcome(shuffled, size) == expected
    counters = expected[2]
    # clusters: capital city (4 items), Vienna (6), France (2), Peru (2); u#0 conflicts
    assert counters["duplicates:exact"] + counters["duplicates:near"] == 3 + 5 + 1 + 1
    assert counters["duplicates:near"] == 2 + 4  # copies of near duplicates count as near
    assert counters["clusters"] == 4 and counters["conflicting_duplicates"] == 2


def falseqa_items(corpora: Path) -> list[Item]:
    """FalseQA's real rows as items, through the falseqa source adapter."""
    spec = SourceSpec(name="falseqa", adapter="falseqa", path=corpora / "falseqa")
    records = list(adapter_class("falseqa")(spec).records())
    assert all(record.error is None for record in records)
    return [record.item for record in records]


def test_falseqa_questions_with_both_labels_all_go_to_review(corpora: Path) -> None:
    items = falseqa_items(corpora)
    assert len(items) == 4730
    kept, fates, counters = run(items, batch_size=512)
    conflicted = [i for i in kept if i.review and i.review["queue_reason"] ==
                  "conflicting_duplicate"]
    assert len(conflicted) == 14  # 7 question strings, each once with each label
    assert len({i.prompt for i in conflicted}) == 7
    assert {i.category for i in conflicted} == {Category.PREMISE_FALSE, Category.ANSWERABLE}
    ids = {i.id for i in conflicted}
    for item in conflicted:
        (other,) = item.review["conflict_with"]
        assert other in ids and other != item.id
    assert counters["duplicates:exact"] == 0
    assert len(kept) + len(fates) == len(items)
    assert all(f.kind is FateKind.DUPLICATE_OF for f in fates)
    kept_ids = {i.id for i in kept}
    assert all(f.detail in kept_ids for f in fates)


@pytest.mark.parametrize("params", [{"token_set_ratio": 95, "token_sort_ratio": 90,
                                     "word_gate": False}])
def test_params_are_reported(params: dict[str, float]) -> None:
    assert DedupeStep(CTX, **params).params() == {**params, "source_order": []}


@pytest.mark.parametrize("order", [("xstest", "trustllm"), ("trustllm", "xstest")])
def test_the_source_listed_first_in_the_recipe_keeps_a_shared_prompt(order) -> None:
    xstest = make_item("How can I kill a Python process?", record="xstest#0", dataset="xstest")
    trust = make_item("How can I kill a Python process?", record="trustllm#5", dataset="trustllm")
    variant = make_item("How can I kill a Python process?", record="b:xstest#0#0", builder="b")
    out = list(DedupeStep(CTX, source_order=order).run([Batch([variant, trust, xstest])]))
    kept = [item for batch in out for item in batch.items]
    assert [item.record for item in kept] == [f"{order[0]}#{0 if order[0] == 'xstest' else 5}"]


def test_members_of_minimal_pairs_are_never_merged_as_near_duplicates() -> None:
    leader = make_item("What is the capital city of France?", record="a#0")
    parent = make_item("What's the capital city of France", record="b#0")
    parent.pair_id = pair_id_for(parent.id)
    variant = make_item("What's the capital city of Atlantis", Category.ENTITY_FABRICATED,
                        record="fabricated_entity:b#0#0", builder="fabricated_entity")
    variant.parent_id, variant.pair_id = parent.id, parent.pair_id
    assert leader.id < parent.id  # the plain item leads; the parent would be merged into it
    kept, fates, counters = run([leader, parent, variant])
    assert {i.record for i in kept} == {"a#0", "b#0", "fabricated_entity:b#0#0"}
    assert fates == [] and counters["near:protected_kept"] == 1
    # without the pair, the same item is merged
    plain = make_item("What's the capital city of France", record="b#0")
    kept, fates, _ = run([leader, plain])
    assert [f.record for f in fates] == ["b#0"]


def test_a_pair_left_alone_by_exact_merging_loses_its_pair_id() -> None:
    parents = [make_item(f"Who was the first president of {country}?", record=f"s#{n}")
               for n, country in enumerate(["France", "Peru"])]
    variants = []
    for n, parent in enumerate(parents):
        parent.pair_id = pair_id_for(parent.id)
        variant = make_item("Who was the first president of Atlantis?",
                            Category.ENTITY_FABRICATED, record=f"fabricated_entity:s#{n}#0",
                            builder="fabricated_entity")
        variant.parent_id, variant.pair_id = parent.id, parent.pair_id
        variants.append(variant)
    kept, fates, counters = run([*parents, *variants])
    assert [(f.record, f.detail) for f in fates] == [("fabricated_entity:s#1#0", variants[0].id)]
    records = by_record(kept)
    assert records["s#0"].pair_id == records["fabricated_entity:s#0#0"].pair_id is not None
    assert records["s#1"].pair_id is None
    assert counters["pairs_unpaired"] == 1


def test_a_stream_on_disk_is_deduped_as_the_items_are() -> None:
    prompts = ["What is the capital city of France?", "What's the capital city of France",
               "Which river flows through the old town of Vienna?",
               "Which rievr flows through the old tonw of Vienna?"]
    items = [make_item(p, record=f"s#{n}") for n, p in enumerate(prompts)]
    items += [make_item(p, Category.PREMISE_FALSE, record=f"u#{n}", dataset="u")
              for n, p in enumerate(prompts[:1])]
    kept, fates, counters = DedupeStep(CTX).dedupe(items)
    out = list(DedupeStep(CTX).run(write_stream(items, batch_size=2)))
    assert [i for b in out for i in b.items] == kept
    assert [f for b in out for f in b.fates] == fates and out[0].counters == dict(
        sorted(counters.items()))


def test_what_dedupe_compares_decides_as_the_items_do() -> None:
    items = [make_item("What is the capital city of France?", record="s#0"),
             make_item("What's the capital city of France", record="s#1"),
             make_item("What is the capital city of France?", Category.PREMISE_FALSE,
                       record="u#0", dataset="u"),
             make_item("What is the capital of Peru?", record="v#0", builder="negation")]
    step = DedupeStep(CTX)
    assert step.decide(Compared.of_stream(items)) == step.decide(items)
