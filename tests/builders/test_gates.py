"""The shared gates: each catches a planted bad variant and lets a good one through."""

from __future__ import annotations

from abstain_data.builders.gates import (
    AnswerableIndex,
    GateResult,
    Verdict,
    answer_leak,
    answerable_index,
    answerable_rows,
    decide,
    doubled_word,
    fluent,
    leftover_slot,
    length,
    question_shape,
    well_formed,
)
from abstain_data.items import Category, Source, pair_id_for

from .conftest import make_seed


def test_answer_leak_exact_in_prompt_fails():
    result = answer_leak(["Paris"], "Given that Paris is nice, what is the capital of France?")
    assert result.verdict is Verdict.FAIL
    assert "Paris" in result.detail


def test_answer_leak_is_whole_word_and_case_insensitive():
    assert answer_leak(["1827"], "In what year did he not die, 18270?").verdict is Verdict.PASS
    assert answer_leak(["the Nile"], "Is THE NILE long?").verdict is Verdict.FAIL


def test_answer_leak_fuzzy_for_long_answers():
    # a long answer with one letter changed still counts as leaked
    result = answer_leak(["the University of Pennsylvania"],
                         "Why did the Universty of Pennsylvania build it?")
    assert result.verdict is Verdict.FAIL
    # short answers are matched exactly only
    assert answer_leak(["Titan"], "Is Titon a moon?").verdict is Verdict.PASS


def test_answer_leak_in_new_passage_fails():
    result = answer_leak(["1889"], "When was the tower completed?",
                         context="The tower was completed in 1889 for the fair.")
    assert result.verdict is Verdict.FAIL
    assert "passage" in result.detail


def test_answer_already_in_parent_prompt_is_unsure():
    parent = "Which is older, Rome or Paris?"
    result = answer_leak(["Rome"], "Which is newer, Rome or Paris?", parent_prompt=parent)
    assert result.verdict is Verdict.UNSURE


def test_leftover_slot_caught():
    for text in ("What is the capital of {country}?", "Who wrote [TITLE]?",
                 "When was <name> born?", "Who founded ___ ?"):
        assert leftover_slot(text).verdict is Verdict.FAIL, text
    assert leftover_slot("What is 3 {times} 4?").verdict is Verdict.FAIL
    assert leftover_slot("What does {a, b} mean in set notation?").verdict is Verdict.PASS


def test_doubled_word_caught_but_idiom_allowed():
    assert doubled_word("Who wrote the the Odyssey?").verdict is Verdict.FAIL
    assert doubled_word("Who had had the idea first?").verdict is Verdict.PASS
    assert doubled_word("Is 4 4 a pair?").verdict is Verdict.PASS


def test_length_bounds():
    assert length("Hi").verdict is Verdict.FAIL
    assert length("x" * 4001).verdict is Verdict.FAIL
    assert length("Why?").verdict is Verdict.PASS


def test_question_shape_with_spacy(ctx):
    assert question_shape(ctx.nlp("What is the capital of France?")).verdict is Verdict.PASS
    assert question_shape(ctx.nlp("Explain how vaccines work.")).verdict is Verdict.PASS
    assert question_shape(ctx.nlp("Capital of France.")).verdict is Verdict.FAIL


def test_well_formed_names_the_failing_check(ctx):
    text = "What is the the capital of {country}?"
    result = well_formed(text, ctx.nlp(text))
    assert result.verdict is Verdict.FAIL
    assert result.gate in ("leftover_slot", "doubled_word")
    assert well_formed("Who wrote Hamlet?").gate == "well_formed"


def test_decide_prefers_failure_then_unsure():
    ok, bad, doubt = (GateResult.passed("a"), GateResult.failed("b", "x"),
                      GateResult.unsure("c", "y"))
    assert decide([ok, doubt, bad]) == (Verdict.FAIL, bad)
    assert decide([ok, doubt]) == (Verdict.UNSURE, doubt)
    assert decide([ok]) == (Verdict.PASS, None)


def test_near_duplicate_of_another_answerable_item_fails():
    parent = make_seed("Who was the first president of Kenya?", ["Jomo Kenyatta"], record="a#0")
    other = make_seed("Who was the frist president of France?", ["Charles de Gaulle"],
                      record="a#1")
    index = AnswerableIndex(answerable_rows([parent, other]))
    variant = parent.derive(prompt="Who was the first president of France?",
                            category=Category.ENTITY_FABRICATED, should_abstain=True,
                            reference_answers=[], parent_id=parent.id,
                            pair_id=pair_id_for(parent.id))
    result = index.clash(variant)
    assert result.verdict is Verdict.FAIL
    assert other.id in result.detail


def test_near_duplicate_ignores_parent_and_other_passages():
    parent = make_seed("When was the bridge opened?", ["1937"], context="Opened in 1937.",
                       record="a#0")
    sibling = make_seed("When was the bridge opened?", ["1883"],
                        context="The Brooklyn Bridge opened in 1883.", record="a#1")
    index = AnswerableIndex(answerable_rows([parent, sibling]))
    # same prompt as the parent, over a third passage: neither item is about that passage
    variant = parent.derive(context="The bridge is painted orange.",
                            category=Category.CTX_MISSING, should_abstain=True,
                            reference_answers=[], parent_id=parent.id,
                            source=Source(dataset="test", license="cc-by-4.0"))
    assert index.clash(variant).verdict is Verdict.PASS
    # over the sibling's passage it is the sibling's answerable question
    clash = index.clash(variant.derive(context=sibling.context))
    assert clash.verdict is Verdict.FAIL


def test_conditional_results():
    assert GateResult.unsure_if(True, "g", "why").verdict is Verdict.UNSURE
    assert GateResult.unsure_if(False, "g", "why") == GateResult.passed("g")
    assert GateResult.failed_if(True, "g", "why") == GateResult.failed("g", "why")
    assert GateResult.failed_if(False, "g", "why").verdict is Verdict.PASS




def _span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def test_a_vague_phrase_after_a_wh_determiner_is_not_fluent(ctx):
    seed = "Which Balkan country is farthest from the sea?"
    result = fluent(ctx.nlp(seed), ctx.nlp("Which that country is farthest from the sea?"))
    assert result.verdict is Verdict.FAIL and result.detail == "doubled determiner"


def test_a_vague_phrase_after_an_ordinal_is_not_fluent(ctx):
    seed = "Who was the 19th president who was both a painter and a graphic designer?"
    variant = "Who was the 19th the person who was both a painter and a graphic designer?"
    assert fluent(ctx.nlp(seed), ctx.nlp(variant)).verdict is Verdict.FAIL


def test_edit_of_a_name_that_modifies_a_noun_is_not_fluent(ctx):
    seed = "Who hit the first home run in the Houston Astrodome?"
    doc = ctx.nlp(seed)
    variant = ctx.nlp("Who hit the first home run in the that country Astrodome?")
    result = fluent(doc, variant, _span(seed, "Houston"))
    assert result.verdict is Verdict.FAIL


def test_edit_that_swallows_the_root_verb_is_not_fluent(ctx):
    seed = "When did the movie Jaws come out?"
    result = fluent(ctx.nlp(seed), ctx.nlp("When did the movie Lorcan Corosk?"),
                    _span(seed, "Jaws come out"))
    assert result.verdict is Verdict.FAIL


def test_whole_argument_noun_phrase_edit_is_fluent(ctx):
    seed = "What is the capital of France?"
    result = fluent(ctx.nlp(seed), ctx.nlp("What is the capital of my country?"),
                    _span(seed, "France"))
    assert result.verdict is Verdict.PASS


def test_a_lost_question_word_is_not_fluent(ctx):
    seed = "Who wrote the novel Dracula?"
    result = fluent(ctx.nlp(seed), ctx.nlp("He wrote the novel Dracula?"))
    assert result.verdict is Verdict.FAIL and "who" in result.detail


def test_answerable_index_is_shared_while_the_answerable_items_are_the_same():
    parent = make_seed("When was the bridge opened?", ["1937"], record="a#0")
    other = make_seed("Who built the bridge?", ["Roebling"], record="a#1")
    index = answerable_index([parent, other])
    variant = parent.derive(prompt="When was the tunnel opened?", should_abstain=True,
                            category=Category.ENTITY_FABRICATED, reference_answers=[],
                            parent_id=parent.id, record="b#0")
    assert answerable_index([parent, variant, other]) is index  # a variant is not answerable
    reworded = make_seed("Who designed the bridge?", ["Roebling"], record="a#1")
    assert answerable_index([parent, reworded]) is not index


def test_the_last_builder_releases_the_shared_answerable_index(ctx):
    from abstain_data.builders import gates
    from abstain_data.builders.future_shift import FutureShift
    from abstain_data.builders.negation import Negation
    from abstain_data.dedupe.step import DedupeStep

    seed = make_seed("Who won the 2010 FIFA World Cup?", ["Spain"], record="a#0")
    first = answerable_index([seed])
    assert answerable_index([seed]) is first  # the next builder reuses it
    FutureShift(ctx).finished([Negation(ctx), DedupeStep(ctx)])
    assert answerable_index([seed]) is first
    Negation(ctx).finished([DedupeStep(ctx)])
    assert gates._LAST_INDEX == [] and answerable_index([seed]) is not first
