"""NearDuplicateIndex: blocking, rapidfuzz verification and the entity-consistency gate."""

from __future__ import annotations

import pytest

from abstain_data.dedupe.matcher import (
    Match,
    NearDuplicateIndex,
    PackedStrings,
    entities_consistent,
    entity_keys,
    same_content_words,
    words_consistent,
)
from abstain_data.items import normalize_key
from abstain_data.nlp import load_nlp

COUNTRIES = ["France", "Spain", "Peru", "Chile", "Japan", "Kenya", "Norway", "Egypt", "Italy"]
TEMPLATES = [
    "What is the capital of {}?",
    "Who was the first president of {}?",
    "What language is spoken in {}?",
    "How large is the population of {}?",
]


def templated() -> list[str]:
    return [template.format(country) for template in TEMPLATES for country in COUNTRIES]


def test_france_and_atlantis_stay_apart_even_when_the_scores_pass() -> None:
    france = "Who was the first president of France?"
    atlantis = "Who was the first president of Atlantis?"
    index = NearDuplicateIndex([france], token_set_ratio=80, token_sort_ratio=75,
                               word_gate=False)
    assert [m.index for m in index.verified(atlantis)] == [0]
    assert index.matches(atlantis) == []
    assert index.matches(france) == [Match(0, 100.0, "token_set_ratio")]
    # the content-word gate alone keeps them apart too
    gated = NearDuplicateIndex([france], token_set_ratio=80, token_sort_ratio=75,
                               word_gate=True)
    assert gated.verified(atlantis) == []


def test_default_thresholds_reject_france_atlantis_on_scores_alone() -> None:
    index = NearDuplicateIndex(["Who was the first president of France?"])
    assert index.verified("Who was the first president of Atlantis?") == []


def test_numbers_must_agree() -> None:
    index = NearDuplicateIndex(["How many people lived in Lyon in 1990?"], word_gate=False)
    assert index.verified("How many people lived in Lyon in 1991?")
    assert index.matches("How many people lived in Lyon in 1991?") == []
    assert [m.index for m in index.matches("how many people lived in Lyon in 1990")] == [0]


def test_finds_the_near_duplicate_among_templated_questions() -> None:
    texts = templated() + ["What's the capital city of France?"]
    index = NearDuplicateIndex(texts, word_gate=True)
    found = index.matches("What is the capital city of France?")
    assert [m.index for m in found] == [len(texts) - 1]
    # token ratios also pass "capital of France" (a subset scores 100); the word gate stops it
    ungated = NearDuplicateIndex(texts)  # the default: no word gate
    found = ungated.matches("What is the capital city of France?")
    assert [m.index for m in found] == [0, len(texts) - 1]  # best first
    assert found[0].score == 100 and found[1].score < 100


def test_token_sort_ratio_verifies_what_token_set_ratio_misses() -> None:
    query = "Which theatre is the centre of the town?"
    strict_set = NearDuplicateIndex(["Which theater is the center of the town?"],
                                    token_set_ratio=95, token_sort_ratio=85)
    found = strict_set.matches(query)
    assert [(m.index, m.method) for m in found] == [(0, "token_sort_ratio")]
    assert 94 < found[0].score < 95
    strict_both = NearDuplicateIndex(["Which theater is the center of the town?"],
                                     token_set_ratio=95, token_sort_ratio=95)
    assert strict_both.matches(query) == []


def test_word_order_variant_matches() -> None:
    index = NearDuplicateIndex(["In which year did Apollo 11 land on the Moon?"])
    found = index.matches("Apollo 11 landed on the Moon in which year?")
    assert [(m.index, m.method) for m in found] == [(0, "token_set_ratio")]
    assert 90 <= found[0].score < 100


def test_distinct_templates_do_not_match() -> None:
    index = NearDuplicateIndex(templated())
    for position, text in enumerate(templated()):
        assert [m.index for m in index.matches(text)] == [position]


def test_oversized_blocks_are_skipped_but_a_query_keeps_its_smallest_block() -> None:
    texts = [f"what is the answer {'x' * (i + 1)}" for i in range(10)]
    capped = NearDuplicateIndex(texts, max_block=2, word_gate=False)
    wide = NearDuplicateIndex(texts, max_block=100, word_gate=False)
    # "answer x" is a block of one; the blocks of common token pairs (10 members) are skipped
    assert [m.index for m in capped.verified(texts[0])] == [0]
    assert len(wide.verified(texts[0])) == 10
    # a query with only oversized blocks still searches its smallest one
    assert len(capped.verified("what is the answer")) == 10


def test_given_entities_replace_the_heuristic() -> None:
    texts = ["where was marie curie born", "where was marie curie born?"]
    plain = NearDuplicateIndex(texts)
    assert {m.index for m in plain.matches("Where was Marie Curie born")} == {0, 1}
    gated = NearDuplicateIndex(texts, entities=[frozenset({"warsaw"}), frozenset()])
    assert [m.index for m in gated.matches("Where was Marie Curie born")] == [1]
    assert [m.index for m in gated.matches("where was marie curie born", frozenset())] == [1]


def test_entities_length_must_match_texts() -> None:
    with pytest.raises(ValueError, match="1 entity sets for 2 texts"):
        NearDuplicateIndex(["a", "b"], entities=[frozenset()])


@pytest.mark.parametrize(("a", "b", "consistent"), [
    ("who founded the bank", "who sold the bank", False),
    ("how do i bake bread", "how do i bake bread without an oven", False),
    ("when was ada born", "where was ada born", False),
    ("what is the capital of peru", "what s the capital of peru", True),
    ("what is the capital of peru", "tell me please what is the capital of peru", True),
    ("how many people live here", "how many peolpe live here", True),
    ("what is your favourite colour", "what is your favorite color", True),
    ("teh capital of peru", "the capital of peru", True),
])
def test_words_consistent(a: str, b: str, consistent: bool) -> None:
    assert words_consistent(a, b) is consistent
    assert words_consistent(b, a) is consistent


def test_same_content_words() -> None:
    assert same_content_words("what is the capital of peru", "tell me what s the capital of peru")
    assert not same_content_words("what is the capital of peru", "what is the capitol of peru")


def test_entity_keys_heuristic() -> None:
    assert entity_keys("Who was the first president of France?") == {"france"}
    assert entity_keys("Is Paris bigger than New York? It had 7,322,564 people in 1990.") == {
        "paris", "new york", "7 322 564", "1990",
    }
    assert entity_keys("how do i bake bread?") == frozenset()


def test_entity_keys_from_a_spacy_doc() -> None:
    nlp = load_nlp("en_core_web_sm")
    doc = nlp("How many people lived in New York City in 1990?")
    keys = entity_keys(doc)
    assert {"new york city", "1990"} <= keys


def test_entities_consistent_is_whole_word_and_symmetric() -> None:
    assert entities_consistent("paris in 1990", frozenset({"1990"}), "1990 paris", frozenset())
    assert not entities_consistent("paris 199", frozenset(), "paris 1990", frozenset({"1990"}))
    assert not entities_consistent("paris 1990", frozenset({"1990"}), "paris 19900", frozenset())


def test_packed_strings_give_back_every_string() -> None:
    strings = ["What is Ørsted?", "", "東京はどこ?", "plain", "lone \ud800 surrogate"]
    packed = PackedStrings(strings)
    assert len(packed) == 5 and list(packed) == strings
    assert [packed[i] for i in range(5)] == strings and packed[-1] == strings[-1]
    assert packed[1:3] == strings[1:3] and packed[-5] == strings[0]
    with pytest.raises(IndexError):
        packed[5]  # noqa: B018 - the lookup is the test
    assert list(PackedStrings([])) == []


def test_the_block_arrays_hold_what_a_dict_of_blocks_would() -> None:
    """Each query's candidates are the positions a plain dict of blocks (key -> positions of
    the texts filed under it) gives, blocks over max_block skipped as before."""
    texts = [*templated(), "What is the capital of France?", "capital of France, what is it?",
             "Who was the first president of Kenya", "kenya: first president?", "Peru"]
    index = NearDuplicateIndex(texts, max_block=3)
    blocks: dict[tuple[str, ...], list[int]] = {}
    for position, text in enumerate(texts):
        for key in index._keys(frozenset(normalize_key(text).split())):
            blocks.setdefault(key, []).append(position)
    for query in [*texts, "What is the capital of Peru today?", "nothing known here"]:
        found = [blocks[key] for key in index._keys(frozenset(normalize_key(query).split()))
                 if key in blocks]
        usable = [block for block in found if len(block) <= 3] or (
            [min(found, key=len)] if found else [])
        expected = sorted({position for block in usable for position in block})
        assert index._candidates(normalize_key(query)) == expected, query
    assert len(index) == len(texts) and index.normalized(0) == normalize_key(texts[0])
