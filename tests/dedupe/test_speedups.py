"""Dedupe's reading, blocking and gate: paraphrases read as one wording, forked workers change
nothing, the cdist screen of crowded blocks loses no typo pair, spaCy only where needed."""

from __future__ import annotations

import multiprocessing
import random
from collections import Counter

import pytest

from abstain_data.dedupe import blocking, near, reading
from abstain_data.dedupe.content import content_words
from abstain_data.dedupe.step import DedupeStep
from abstain_data.pipeline.step import BuildContext

from .test_step import make_item, run


@pytest.mark.parametrize(("first", "second"), [
    ("What took place in Delmar in 1850?", "What happened in Delmar in 1850?"),
    ("Who came after Ana Reyes at Norco?", "Who succeeded Ana Reyes at Norco?"),
    ("What is the height of the Varn Tower?", "How tall is the Varn Tower?"),
    ("Which city is the capital of Peru?", "What is the capital of Peru?"),
    ("What language do people speak in Chad?", "What language is spoken in Chad?"),
    ("Who wrote Dune?", "Who has written Dune?"),
])
def test_paraphrases_read_as_one_wording(first: str, second: str) -> None:
    assert sorted(content_words(first)) == sorted(content_words(second))


@pytest.mark.parametrize(("first", "second"), [
    ("Who came after Ana Reyes at Norco?", "Who came before Ana Reyes at Norco?"),
    ("Which language is spoken in Chad?", "Which language is taught in Chad?"),
    ("Who wrote Dune?", "Who sold Dune?"),
])
def test_paraphrase_lexicon_keeps_different_questions_apart(first: str, second: str) -> None:
    assert sorted(content_words(first)) != sorted(content_words(second))


def test_a_light_paraphrase_merges_in_the_step() -> None:
    items = [make_item("Which language is spoken in Chad?", record="a#0"),
             make_item("What language do people speak in Chad?", record="a#1"),
             make_item("Which language is taught in Chad?", record="a#2")]
    kept, fates, _ = run(items)
    assert len(fates) == 1 and fates[0].record in ("a#0", "a#1")
    assert "a#2" in {item.record for item in kept}


def planted(n: int, seed: int = 3) -> list:
    """Questions over a few names, with misspelt and reworded copies: many candidate pairs."""
    rng = random.Random(seed)
    names = ["Varnok", "Tesbur", "Delka", "Shamon", "Rivar"]
    templates = ["Who founded {} Bank in {}?", "Which river flows through {} in {}?",
                 "What took place in {} in {}?", "When was {} Mills sold in {}?"]
    prompts = [rng.choice(templates).format(rng.choice(names), rng.randint(1900, 1905))
               for _ in range(n)]
    prompts += [p.replace("founded", "fuonded").replace("river", "rivr").replace(
        "took place", "happened") for p in rng.sample(prompts, n // 3)]
    return [make_item(prompt, record=f"p#{k}") for k, prompt in enumerate(prompts)]


def test_output_is_identical_for_one_and_two_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    forks: Counter[str] = Counter()
    get_context = multiprocessing.get_context

    def counting(method: str):  # noqa: ANN202 - multiprocessing's context
        forks[method] += 1
        return get_context(method)

    monkeypatch.setattr(reading, "PARALLEL_FROM", 10)
    monkeypatch.setattr(reading, "CHUNK", 7)
    monkeypatch.setattr(reading.multiprocessing, "get_context", counting)
    items = planted(90)
    one = DedupeStep(BuildContext(seed=13, workers=1)).dedupe(items)
    assert forks["fork"] == 0
    two = DedupeStep(BuildContext(seed=13, workers=2)).dedupe(items)
    assert forks["fork"] == 1  # the readings came from forked workers
    assert one[1] and one[0] == two[0] and one[1] == two[1] and one[2] == two[2]
    assert repr(one) == repr(two)


def test_the_cdist_screen_of_crowded_blocks_loses_no_pair(monkeypatch: pytest.MonkeyPatch,
                                                          ) -> None:
    words = ["capital", "capitl", "captial", "railway", "mayor", "bishop", "what", "which",
             "archive", "abbout", "harvest", "flood"]
    contents = [frozenset({"varnok", "1850", word}) for word in words]
    contents.append(frozenset({"varnok", "1850"}))
    scopes = [("", "")] * len(contents)
    screened = blocking.candidate_pairs(contents, scopes, Counter())
    monkeypatch.setattr(blocking, "SCREEN_FROM", 1_000)
    unscreened = blocking.candidate_pairs(contents, scopes, Counter())
    assert screened == unscreened
    assert {(0, 1), (0, 2), (6, 7), (9, 12)} <= screened
    assert (0, 3) not in screened


def test_framing_and_misspelt_question_words_need_no_spacy() -> None:
    items = [make_item("Why did Kanok Kaen leave Torri Bank?", record="a#0"),
             make_item("Pllease tell me why did Kanok Kaen leave Torri Bank?", record="a#1"),
             make_item("Wihch river flows through Nokennok?", record="a#2"),
             make_item("Which river flows through Nokennok?", record="a#3")]
    kept, fates, counters = run(items)
    assert len(fates) == 2 and counters["near:spacy_checked_pairs"] == 0


def test_a_changed_capitalized_content_word_still_goes_to_spacy() -> None:
    items = [make_item("Name the founder of Varnok Bank.", record="a#0"),
             make_item("Nmae the founder of Varnok Bank.", record="a#1")]
    _, _, counters = run(items)
    assert counters["near:spacy_checked_pairs"] == 1


@pytest.mark.parametrize("workers", [1, 2])
def test_readings_hold_each_distinct_word_and_set_once(workers: int,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "PARALLEL_FROM", 2)
    monkeypatch.setattr(reading, "CHUNK", 1)  # at 2 workers, each prompt read in another chunk
    prompts = ["Who founded the Varnok Bank?", "Who founded the Varnok Bank in 1901?",
               "Who founded the Varnok Bank?"]
    readings = reading.read_prompts(prompts, workers)
    assert readings == [reading._read_chunk([prompt])[0] for prompt in prompts]  # same values
    first, second, third = readings
    shared = [word for word in first.content if word in second.content]
    assert shared and all(any(word is other for other in second.content) for word in shared)
    assert first.functions is third.functions and first.content == third.content
    assert all(a is b for a, b in zip(first.content, third.content, strict=True))


def test_word_sets_are_made_for_the_positions_asked_and_shared_when_equal() -> None:
    words = near.WordSets([("varnok", "bank", "varnok"), ("bank", "varnok"), ("delka",)])
    assert words[0] == frozenset({"varnok", "bank"}) and words[1] is words[0]
    assert sorted(words.made) == [0, 1] and len(words) == 3  # position 2 was never asked for


def test_blocking_counts_a_repeated_word_once() -> None:
    contents = [("who", "founded", "varnok", "founded"), ("who", "fuonded", "varnok"),
                ("who", "sold", "varnok")]
    scopes = [""] * 3
    as_sets = blocking.candidate_pairs([frozenset(c) for c in contents], scopes, Counter())
    assert blocking.candidate_pairs(contents, scopes, Counter()) == as_sets == {(0, 1)}
