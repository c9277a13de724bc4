"""Missing quantity: a word problem with a needed count made vague ("some", the bare plural, "a
few", "several")."""

from __future__ import annotations

from dataclasses import replace
from random import Random

from abstain_data.builders.gates import Verdict
from abstain_data.builders.missing_quantity import (
    MissingQuantity,
    blur_count,
    needed_check,
    numbers,
    one_step,
    ordinal_check,
    two_steps,
    vague_forms,
)
from abstain_data.items import Category, Domain, LabelStatus


def test_needed_count_made_vague_is_auto(ctx, seed, run):
    parent = seed("There are 32 students in a class. They split into teams of 4. "
                  "How many teams are there?", ["8"], domain=Domain.MATH)
    out = run(MissingQuantity(ctx, max_per_seed=2), [parent])
    variants = out.variants("missing_quantity")
    # "teams of 4" counts no plural noun: only the students can become vague
    assert [v.prompt for v in variants] == [
        "There are some students in a class. They split into teams of 4. How many teams are there?"]
    assert all(v.category is Category.UNDER_VARIABLES for v in variants)
    assert all(v.label_status is LabelStatus.AUTO for v in variants)


def test_the_problem_still_mentions_what_is_missing(ctx, seed, run):
    # deleting "19 passengers got off at the first stop." would leave a complete problem (46-15)
    parent = seed("There were 46 passengers on the bus. 19 passengers got off at the first stop. "
                  "15 passengers got off at the second stop. How many passengers were left on "
                  "the bus?", ["12"], domain=Domain.MATH)
    variants = run(MissingQuantity(ctx, max_per_seed=3), [parent]).variants("missing_quantity")
    assert variants
    for variant in variants:
        assert variant.prompt.lower().count("passengers") == 4
        assert len(numbers(variant.prompt)) == 2
        assert len(variant.prompt) > len("There were 46 passengers on the bus. 15 passengers got "
                                          "off at the second stop. How many passengers were left "
                                          "on the bus?")


def test_redundant_count_made_vague_is_rejected(ctx, seed, run):
    # the answer 12 is 3 * 4 without the 7 pens
    parent = seed("Sam has 3 boxes. Each box holds 4 pencils. Sam also owns 7 pens. "
                  "How many pencils does Sam have?", ["12"], domain=Domain.MATH)
    out = run(MissingQuantity(ctx, max_per_seed=3), [parent])
    kept = {v.transform.params["vague_sentence"] for v in out.variants("missing_quantity")}
    assert kept == {"Sam has 3 boxes.", "Each box holds 4 pencils."}
    assert [f.detail for f in out.fates] == ["gate:quantity_needed"]
    assert out.fates[0].record.startswith("missing_quantity:t#0#")


def test_only_a_lone_count_of_a_plural_noun_is_made_vague():
    assert blur_count("19 passengers got off.") == ("Some passengers got off.", 19.0)
    assert blur_count("She lost 16 lives.") == ("She lost some lives.", 16.0)
    assert blur_count("They split into teams of 4.") is None  # no counted noun
    assert blur_count("He paid $5 for 3 apples.") is None  # two numbers
    assert blur_count("She has 1 cat.") is None
    assert blur_count("Mary has 3 times as much candy as Megan.") is None  # a multiplier
    assert blur_count("Three fifths of the girls have long hair.") is None  # a fraction
    assert blur_count("Each shelf had exactly 12 books on it.") is None  # "exactly some"
    assert blur_count("She sold at least 7 cakes.") is None
    assert blur_count("She put the remaining 9 letters into small envelopes.") is None
    # a unit inside a larger unit is common knowledge, not a missing variable
    assert blur_count("Since there are 12 inches in a foot, how long is it?") is None
    assert blur_count("There are 30 students in a class.") == (
        "There are some students in a class.", 30.0)


def test_the_vague_form_fits_the_count_and_the_noun():
    # "some" only where the twin can state the count again ("some 32 students")
    assert vague_forms(32, digits=True, bare=True) == ["some", ""]
    assert vague_forms(12, digits=False, bare=True) == [""]
    assert vague_forms(3, digits=True, bare=False) == ["a few"]
    assert vague_forms(7, digits=True, bare=False) == ["several"]
    rng = Random(0)
    made = {blur_count("Nina buys 18 apples.", rng)[0] for _ in range(20)}
    assert made == {"Nina buys some apples.", "Nina buys apples."}
    assert blur_count("Nina buys 3 apples.", rng) == ("Nina buys apples.", 3.0)
    # units, an opening subject, a capacity, a rate: never bare
    assert blur_count("Ben runs 3 kilometres every morning.", rng)[0] == \
        "Ben runs a few kilometres every morning."
    assert blur_count("A shirt costs 8 dollars.", rng)[0] == "A shirt costs several dollars."
    assert blur_count("6 seats are empty.", rng)[0] == "Several seats are empty."
    assert blur_count("A vase can hold 5 flowers.", rng)[0] == "A vase can hold several flowers."
    assert blur_count("He uses 4 pages per day.", rng)[0] == "He uses a few pages per day."
    assert blur_count("Each box holds 6 pencils each.", rng)[0] == \
        "Each box holds several pencils each."
    assert blur_count("In all, there were 5 dogs.", rng)[0] == "In all, there were several dogs."
    assert blur_count("She rode the bus 7 blocks to the shop.", rng)[0] == \
        "She rode the bus several blocks to the shop."


def test_garbled_counts_are_left_alone():
    # blind-read outputs: "ninety-some cloves", "some less raspberries", "Another some friends",
    # "weighs some pounds exactly"
    assert blur_count("Maria stored ninety-three cloves of garlic.") is None
    assert blur_count("There are 5 less raspberries than green grapes.") is None
    assert blur_count("Another 3 friends join them.") is None
    assert blur_count("The collection weighs 18 pounds exactly.") is None


def test_a_needed_count_is_preferred_to_a_redundant_one(ctx, seed, run):
    # the 7 pens are not needed: with one variant per seed, a needed count is made vague
    parent = seed("Sam also owns 7 pens. Sam has 3 boxes. Each box holds 4 pencils. "
                  "How many pencils does Sam have?", ["12"], domain=Domain.MATH)
    for k in range(5):
        ctx_k = replace(ctx, seed=k)
        (variant,) = run(MissingQuantity(ctx_k), [parent]).variants("missing_quantity")
        assert "7 pens" in variant.prompt


def test_long_solutions_go_to_review():
    # 92 is more than two steps of +,-,*,/ away from 10, 3, 13 and 7
    result = needed_check(92.0, [10.0], [3.0, 13.0, 7.0])
    assert result.verdict is Verdict.UNSURE


def test_numbers_reads_digits_and_words():
    assert numbers("Two adults pay 12.5 dollars each, 1,200 in all.") == [12.5, 1200.0, 2.0]


def test_reach_sets():
    assert 7.0 in one_step([3.0, 4.0]) and 0.75 in one_step([3.0, 4.0])
    assert 14.0 in two_steps([3.0, 4.0, 2.0]) and 14.0 not in one_step([3.0, 4.0, 2.0])


def test_non_math_items_are_not_seeds(ctx, seed, run):
    parent = seed("There are 3 cats. How many cats?", ["3"], domain=Domain.GENERAL)
    assert run(MissingQuantity(ctx), [parent]).counters["seeds_seen"] == 0


def test_no_some_after_a_determiner_or_a_dollar_sign_and_decimals_stay_whole(ctx, seed, run):
    # a blind review flagged "his some friends", "$ some dollars" and "1. Some yards" as garbled
    assert blur_count("Matthew gave crackers to his 4 friends.") is None
    assert blur_count("They make $ 5 dollars off each shirt.") is None
    assert blur_count("That game adds another 30 hours of play.") is None
    floss = seed("There are 20 students in his class. Each student needs 1.5 yards of floss. "
                 "How many yards does he need?", ["30"], domain=Domain.MATH)
    made = run(MissingQuantity(ctx), [floss]).variants("missing_quantity")
    assert made and all("1. Some" not in v.prompt and "1.5 yards" in v.prompt for v in made)


def test_things_counted_one_by_one_up_to_the_blurred_count_go_to_review(ctx, seed, run):
    # tuning round r21: "Trevor buys bouquets ... how many were in the third?" gives the count
    parent = seed("Trevor buys 3 bouquets of carnations. The first included 9 carnations, and "
                  "the second included 14 carnations. If the average number of carnations in "
                  "the bouquets is 12, how many carnations were in the third bouquet?", ["13"],
                  domain=Domain.MATH)
    variants = run(MissingQuantity(ctx), [parent]).variants("missing_quantity")
    assert variants and all(v.label_status is LabelStatus.NEEDS_REVIEW for v in variants)
    assert ordinal_check("How many were in the third?", 3).verdict is Verdict.UNSURE
    assert ordinal_check("How many were in the third?", 4).verdict is Verdict.PASS
