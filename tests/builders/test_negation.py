"""Negation/antonym: a superlative (or another antonym, for review) the passage does not
support."""

from __future__ import annotations

from abstain_data.builders.negation import (
    AUDITED_CONFIDENCE,
    Negation,
    antonym_table,
    ranked_in_passage,
    word_forms,
)
from abstain_data.items import Category, LabelStatus
from abstain_data.routing import RouteStep

JUPITER = "Jupiter is the largest planet of the Solar System. It is made mostly of hydrogen."
ENIAC = "ENIAC was built at the University of Pennsylvania and announced in February 1946."


def test_antonym_swapped_when_the_passage_lacks_it(ctx, seed, run):
    parent = seed("Which is the largest planet of the Solar System?", ["Jupiter"], JUPITER)
    out = run(Negation(ctx), [parent])
    (variant,) = out.variants("negation")
    assert variant.prompt == "Which is the smallest planet of the Solar System?"
    assert variant.category is Category.CTX_NEGATION_ANTONYM
    # every check passed: only the builder's confidence sends it to a person
    assert variant.label_status is LabelStatus.AUTO and variant.review is None
    assert variant.transform.params["kind"] == "superlative"
    assert variant.confidence == AUDITED_CONFIDENCE < RouteStep(ctx).review_below_confidence


def test_antonym_the_passage_uses_goes_to_review(ctx, seed, run):
    passage = JUPITER + " Mercury is the smallest planet."
    parent = seed("Which is the largest planet of the Solar System?", ["Jupiter"], passage)
    (variant,) = run(Negation(ctx), [parent]).variants("negation")
    assert variant.label_status is LabelStatus.NEEDS_REVIEW
    assert variant.review["queue_reason"] == "antonym_in_passage"


def test_a_verb_is_never_negated(ctx, seed, run):
    # "At which university was ENIAC not built?" has many answers or none that reads as sense
    for question in ("At which university was ENIAC built?", "What did ENIAC replace?"):
        parent = seed(question, ["x"], ENIAC)
        assert run(Negation(ctx), [parent]).variants("negation") == []


def test_already_negated_question_is_left_alone(ctx, seed, run):
    parent = seed("Which is not the largest planet?", ["Mars"], JUPITER)
    assert run(Negation(ctx), [parent]).variants("negation") == []


def test_word_forms_find_the_antonym_in_any_degree():
    assert word_forms("lowest").search("he left office with a record low 23%")
    assert word_forms("driest").search("a dry season")
    assert word_forms("wettest").search("the wet season")
    assert word_forms("most expensive").search("the expensive hotels")
    assert not word_forms("smallest").search("the largest planet")


def test_the_antonym_in_another_degree_sends_the_swap_to_review(ctx, seed, run):
    # "a record low 23%" answers "What was his lowest approval rating?"
    passage = ("He began his tenure with record high approval ratings (as high as 89% in December "
               "2003), and left office with a record low 23%.")
    parent = seed("What was Schwarzenegger's highest approval rating as governor?", ["89%"],
                  passage)
    (variant,) = run(Negation(ctx), [parent]).variants("negation")
    assert variant.prompt == "What was Schwarzenegger's lowest approval rating as governor?"
    assert variant.review["queue_reason"] == "antonym_in_passage"


def test_a_list_of_figures_for_the_noun_sends_the_swap_to_review(ctx, seed, run):
    # "Currently printed denominations are $1, $2, ... $100": the lowest is $1
    passage = ("Currently printed denominations are $1, $2, $5, $10, $20, $50, and $100. Notes "
               "above the $100 denomination stopped being printed in 1946.")
    parent = seed("What is the highest currently printed denomination of bill?", ["$100"],
                  passage)
    (variant,) = run(Negation(ctx), [parent]).variants("negation")
    assert variant.prompt == "What is the lowest currently printed denomination of bill?"
    assert variant.review["queue_reason"] == "ranked_in_passage"


def test_a_possessive_superlative_is_trusted(ctx, seed, run):
    passage = "In August 2013 Japan launched its largest military ship since World War II."
    parent = seed("How many troops can Japan's largest military ship carry?", ["400"], passage)
    (variant,) = run(Negation(ctx), [parent]).variants("negation")
    assert variant.prompt == "How many troops can Japan's smallest military ship carry?"
    assert variant.transform.params["kind"] == "superlative" and variant.review is None


def test_ordinals_ranks_and_unpaired_superlatives_go_to_review(ctx, seed, run):
    passage = "Lagos is the largest city. Kano is the second largest city. Abuja was built in 1980."
    for question in ("Which is the second largest city?", "Which is one of the largest cities?",
                     "When was the oldest city built?", "Which is the greatest city?"):
        variants = run(Negation(ctx), [seed(question, ["x"], passage)]).variants("negation")
        assert variants, question
        for variant in variants:
            assert variant.transform.params["kind"] == "antonym", variant.prompt
            assert variant.review["queue_reason"] == "antonym_kind", variant.prompt


def test_a_trusted_superlative_comes_before_other_swaps(ctx, seed, run):
    parent = seed("Before the war, which was the largest city of the region?", ["Lagos"],
                  "Lagos was the largest city of the region until the war began.")
    variants = run(Negation(ctx, max_per_seed=2), [parent]).variants("negation")
    assert [v.transform.params["kind"] for v in variants] == ["superlative", "antonym"]
    assert variants[0].prompt == "Before the war, which was the smallest city of the region?"


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
    assert swapped[0].review["queue_reason"] == "antonym_kind"


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


def test_a_figure_list_ranks_only_the_noun_it_is_about(ctx):
    # the model leaves lemmas empty: the noun's own letters are matched, so a list of figures
    # about something else does not send the variant to review
    doc = ctx.nlp("Which is the smallest planet of the Solar System?")
    smallest = next(t for t in doc if t.lower_ == "smallest")
    assert not ranked_in_passage(smallest, "Printed denominations are $1, $2, $5 and $10.")
    assert ranked_in_passage(smallest, "The planets measure 1, 2, 5 and 10 units across.")
