"""Negation/antonym: a predicate the passage does not support."""

from __future__ import annotations

from abstain_data.builders.negation import Negation, antonym_table, negated_nearby
from abstain_data.items import Category, LabelStatus

JUPITER = "Jupiter is the largest planet of the Solar System. It is made mostly of hydrogen."
ENIAC = "ENIAC was built at the University of Pennsylvania and announced in February 1946."


def test_antonym_swapped_when_the_passage_lacks_it(ctx, seed, run):
    parent = seed("Which is the largest planet of the Solar System?", ["Jupiter"], JUPITER)
    out = run(Negation(ctx), [parent])
    (variant,) = out.variants("negation")
    assert variant.prompt == "Which is the smallest planet of the Solar System?"
    assert variant.category is Category.CTX_NEGATION_ANTONYM
    assert variant.label_status is LabelStatus.AUTO
    assert variant.transform.params["kind"] == "antonym"


def test_antonym_the_passage_uses_goes_to_review(ctx, seed, run):
    passage = JUPITER + " Mercury is the smallest planet."
    parent = seed("Which is the largest planet of the Solar System?", ["Jupiter"], passage)
    (variant,) = run(Negation(ctx), [parent]).variants("negation")
    assert variant.label_status is LabelStatus.NEEDS_REVIEW
    assert variant.review["queue_reason"] == "antonym_in_passage"


def test_negation_inserted_before_the_main_verb(ctx, seed, run):
    parent = seed("At which university was ENIAC built?", ["the University of Pennsylvania"],
                  ENIAC)
    (variant,) = run(Negation(ctx), [parent]).variants("negation")
    assert variant.prompt == "At which university was ENIAC not built?"
    assert variant.transform.params["kind"] == "negation"


def test_already_negated_question_is_left_alone(ctx, seed, run):
    parent = seed("Which university did not build ENIAC?", ["none"], ENIAC)
    assert run(Negation(ctx), [parent]).variants("negation") == []


def test_negated_nearby_finds_a_negated_form_of_the_verb():
    assert negated_nearby("The bridge was never built. It rained.", "built")
    assert not negated_nearby("The bridge was built. It did not rain.", "built")


def test_antonym_table_is_symmetric():
    table = antonym_table()
    assert table["largest"][0] == "smallest" and table["smallest"][0] == "largest"
    assert table["before"][0] == "after" and table["after"][0] == "before"


def test_antonym_only_in_its_part_of_speech(ctx, seed, run):
    # "left" is an adjective here, and the lexicon pairs "left" only as a verb ("joined")
    passage = "The Seine flows past the Louvre, which stands on its right bank."
    left = seed("Which museum is on the left bank of the river?", ["none"], passage, record="t#0")
    assert run(Negation(ctx), [left]).variants("negation") == []
    won = seed("Which team won the 1966 World Cup?", ["England"], "England won in 1966.",
               record="t#1")
    (variant,) = run(Negation(ctx), [won]).variants("negation")
    assert variant.prompt == "Which team lost the 1966 World Cup?"


def test_counting_questions_are_not_negated(ctx, seed, run):
    # "How many rainy days does it not have?" is 365 minus the answer: still answerable
    parent = seed("How many rainy days does the city typically have?", ["129"],
                  "The city typically has 129 rainy days a year.")
    assert run(Negation(ctx), [parent]).variants("negation") == []


def test_a_final_verb_tagged_as_an_adjective_is_never_swapped(ctx, seed, run):
    # spaCy's small model reads the final "last" as an adjective; "first" would break the question
    passage = "The Nigerian Civil War lasted 30 months, from July 1967 to January 1970."
    parent = seed("How many months did the Nigerian Civil War last?", ["30"], context=passage)
    variants = run(Negation(ctx), [parent]).variants("negation")
    assert all(not v.prompt.endswith("first?") for v in variants)


def test_time_and_counting_questions_are_never_negated(ctx, seed, run):
    # "When was X not founded?" reads as nonsense; a negated share is its complement
    passage = "The monastery was founded in 1043. In 2012, 12 percent of the EU was Protestant."
    for question, answer in (("When was the monastery founded?", "1043"),
                             ("In 2012, what percentage of the EU was thought to be Protestant?",
                              "12 percent")):
        parent = seed(question, [answer], context=passage)
        variants = run(Negation(ctx), [parent]).variants("negation")
        assert all(" not " not in v.prompt for v in variants), [v.prompt for v in variants]


def test_a_swapped_verb_goes_to_review(ctx, seed, run):
    # "won his father" for "lost his father": a verb's antonym often misses its sense
    passage = "Avicenna lost his father at the age of twenty-two and moved to Gorgan."
    parent = seed("At what age did Avicenna lose his father?", ["twenty-two"], passage)
    swapped = [v for v in run(Negation(ctx, max_per_seed=2), [parent]).variants("negation")
               if v.transform.params["kind"] == "antonym"]
    assert [v.prompt for v in swapped] == ["At what age did Avicenna win his father?"]
    assert swapped[0].label_status is LabelStatus.NEEDS_REVIEW
    assert swapped[0].review["queue_reason"] == "antonym_sense"


def test_a_share_or_a_day_is_never_negated(ctx, seed, run):
    passage = "In 2004 1 percent of the GDP was spent on health. Bell got to Washington on 26 May."
    for question in ("What percent of the GDP was spent on health?",
                     "On what day did Bell get to Washington?"):
        parent = seed(question, ["x"], context=passage)
        variants = run(Negation(ctx), [parent]).variants("negation")
        assert all(" not " not in v.prompt for v in variants), [v.prompt for v in variants]


def test_every_negation_variant_goes_to_a_person_in_a_build(tmp_path):
    # blind reviews measured negation far below the other builders: its confidence sits under
    # the routing threshold, so no negation variant ships as `auto`
    from abstain_data import buildfolder
    from abstain_data.build import run_build
    from abstain_data.recipe import load_recipe

    run_build(load_recipe(None), tmp_path / "build", cache_dir=None)
    items = buildfolder.read_items(tmp_path / "build" / buildfolder.ITEMS)
    negated = [i for i in items if i.transform and i.transform.builder == "negation"]
    assert negated and all(i.label_status is LabelStatus.NEEDS_REVIEW for i in negated)
