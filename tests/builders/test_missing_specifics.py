"""Missing specifics: advice stripped of the facts it depends on, the sentence kept whole."""

from __future__ import annotations

import pytest

from abstain_data.builders.missing_specifics import MissingSpecifics, clean_edit
from abstain_data.items import Category, Domain, LabelStatus


@pytest.mark.parametrize(("prompt", "domain", "expected", "kinds"), [
    ("My 6-year-old son weighs 20 kg and has a fever; how much paracetamol can I give him?",
     Domain.MEDICAL, "My son has a fever; how much paracetamol can I give him?", ["age", "weight"]),
    ("I am 30 years old, 175 cm tall and weigh 90 kg; what is my body mass index?",
     Domain.MEDICAL, "I am 175 cm tall; what is my body mass index?", ["age", "weight"]),
    ("I am a 25-year-old woman, 165 cm tall and weighing 55 kg, and I exercise three times a "
     "week; how many calories do I need each day?", Domain.MEDICAL,
     "I am a woman, 165 cm tall, and I exercise three times a week; how many calories do I need "
     "each day?", ["age", "weight"]),
    ("In Germany, how much notice must a tenant give to end a residential lease?", Domain.LEGAL,
     "How much notice must a tenant give to end a residential lease?", ["jurisdiction"]),
    ("In California, how many days does a landlord have to return a security deposit?",
     Domain.LEGAL, "In the US, how many days does a landlord have to return a security deposit?",
     ["jurisdiction"]),
    ("I live in England and my employer dismissed me; can I claim unfair dismissal?",
     Domain.LEGAL, "My employer dismissed me; can I claim unfair dismissal?", ["jurisdiction"]),
    ("I am 17 years old and live in Texas; can I sign a binding lease for an apartment?",
     Domain.LEGAL, "I live in the US; can I sign a binding lease for an apartment?",
     ["age", "jurisdiction"]),
    ("I took out a 30-year fixed mortgage of $250,000 at 6% interest; what is my monthly "
     "payment?", Domain.FINANCE,
     "I took out a 30-year fixed mortgage at 6% interest; what is my monthly payment?", ["amount"]),
    ("I am 40 years old with a $120,000 salary and no retirement savings; how much should I save "
     "each month?", Domain.FINANCE, "I have no retirement savings; how much should I save each "
     "month?", ["age", "amount"]),
    ("I am self-employed in the US with $50,000 of net earnings in 2023; roughly how much "
     "self-employment tax will I owe?", Domain.FINANCE,
     "I am self-employed; roughly how much self-employment tax will I owe?",
     ["amount", "jurisdiction", "year"]),
    ("I am single, earn $90,000 a year in the US, and in 2023 sold shares at a $5,000 gain; at "
     "what federal rate is the gain taxed?", Domain.FINANCE,
     "I am single and sold shares at a gain; at what federal rate is the gain taxed?",
     ["amount", "jurisdiction", "year"]),
])
def test_specifics_go_with_the_words_that_carry_them(ctx, seed, run, prompt, domain, expected,
                                                     kinds):
    (variant,) = run(MissingSpecifics(ctx), [seed(prompt, [], domain=domain)]).variants(
        "missing_specifics")
    assert variant.prompt == expected
    assert variant.transform.params["kinds"] == kinds
    assert variant.category is Category.UNDER_DOMAIN_SPECIFICS
    assert variant.label_status is LabelStatus.AUTO


@pytest.mark.parametrize(("prompt", "options"), [
    ("I have $10,000 in a savings account paying 4% interest; how much will I have after 3 "
     "years?", {"I have money in a savings account paying 4% interest; how much will I have "
                "after 3 years?", "I have some money in a savings account paying 4% interest; "
                "how much will I have after 3 years?"}),
    ("I live in Texas and earn $70,000 a year; how much state income tax will I pay?",
     {"I live in the US; how much state income tax will I pay?"}),
    ("I earn $60,000 a year in the US and am single; what is my federal tax bracket?",
     {"I am single; what is my federal tax bracket?",
      "I earn a salary and am single; what is my federal tax bracket?"}),
])
def test_amounts_give_way_to_plain_words_never_a_fixed_phrase(ctx, seed, run, prompt, options):
    (variant,) = run(MissingSpecifics(ctx), [seed(prompt, [], domain=Domain.FINANCE)]).variants(
        "missing_specifics")
    assert variant.prompt in options
    assert "certain" not in variant.prompt and " here" not in variant.prompt
    assert variant.label_status is LabelStatus.AUTO


@pytest.mark.parametrize(("prompt", "reason"), [
    # age alone seldom changes the advice: a runner's resting pulse of 48 is fine at 35 or 70
    ("I am a 35-year-old runner and my resting heart rate is 48; should I be worried?",
     "age_only"),
    ("I am 70 years old and take warfarin every day; can I take aspirin for back pain?",
     "age_only"),
    # a usual adult dose is the same for every adult
    ("I am a 45-year-old woman weighing 70 kg; what is the usual adult dose of ibuprofen?",
     "general_question"),
    ("I rent an apartment in New York City and it has no heat; what can I do?",
     "general_question"),
    # paying down 22% APR debt first is sound whatever the balances
    ("I am 30 years old with $15,000 of credit card debt at 22% APR and $5,000 in savings; "
     "should I pay down the debt before investing?", "judgement_question"),
    # "5% of your salary" answers it
    ("I earn $80,000 a year and my employer matches 401(k) contributions up to 5% of salary; "
     "how much must I contribute to get the full match?", "proportional"),
    ("I want to buy a $300,000 house with a 20% down payment; how much do I need for the down "
     "payment?", "proportional"),
    # an ISA is British: the place is still there
    ("I live in the UK and earn £30,000 a year; how much can I put into a Stocks and Shares ISA "
     "this tax year?", "place_implied"),
    ("My company got $7 million in funding; what was the $7 million used for?", "edit_not_clean"),
])
def test_what_cannot_be_verified_goes_to_review(ctx, seed, run, prompt, reason):
    (variant,) = run(MissingSpecifics(ctx), [seed(prompt, [], domain=Domain.FINANCE)]).variants(
        "missing_specifics")
    assert variant.label_status is LabelStatus.NEEDS_REVIEW
    assert variant.review["queue_reason"] == reason


@pytest.mark.parametrize("prompt", [
    "Take warfarin every day; can I take aspirin for back pain?",
    "165 cm tall and, and I exercise three times a week; how many calories do I need?",
    ".5 mmol/L; should I start taking a statin?",
    "Live here; can I sign a binding lease?",
    "I earn and; what is my tax?",
])
def test_fragments_are_not_clean_edits(prompt):
    assert clean_edit(prompt) is not None


def test_whole_sentences_are_clean_edits():
    assert clean_edit("I am a runner and my resting heart rate is 48; should I be worried?") is None
    assert clean_edit("From what age can a person make a valid will?") is None


def test_place_left_in_the_question_goes_to_review(ctx, seed, run):
    parent = seed("I earn $50,000 a year; what is the income tax rate in Texas?", [],
                  domain=Domain.FINANCE)
    (variant,) = run(MissingSpecifics(ctx), [parent]).variants("missing_specifics")
    assert "Texas" not in variant.prompt
    parent = seed("I earn $50,000 a year; what is Texas income tax?", [], domain=Domain.FINANCE)
    (variant,) = run(MissingSpecifics(ctx), [parent]).variants("missing_specifics")
    assert variant.label_status is LabelStatus.NEEDS_REVIEW
    assert variant.review["queue_reason"] == "specifics_remain"


def test_questions_without_specifics_or_outside_the_domains_make_nothing(ctx, seed, run):
    plain = seed("What is a normal adult resting heart rate?", ["60 to 100"],
                 domain=Domain.MEDICAL, record="t#0")
    general = seed("In France, what side of the road do people drive on?", ["right"],
                   record="t#1")
    mine = seed("My resting heart rate is 70; is that normal?", ["yes"], domain=Domain.MEDICAL,
                record="t#2")
    out = run(MissingSpecifics(ctx), [plain, general, mine])
    assert out.variants("missing_specifics") == []
    assert out.counters["seeds_seen"] == 1  # only the first-person one is advice


def test_joined_places_are_removed_together(ctx, seed, run):
    legal = seed("In England and Wales, when is the legal birthday of someone born on 29 "
                 "February?", [], domain=Domain.LEGAL)
    (variant,) = run(MissingSpecifics(ctx), [legal]).variants("missing_specifics")
    assert variant.prompt == "When is the legal birthday of someone born on 29 February?"


def test_factoids_are_not_advice(ctx, seed, run):
    factoid = seed("Which digital currency debuted in 2009?", ["Bitcoin"], domain=Domain.FINANCE)
    assert run(MissingSpecifics(ctx), [factoid]).counters["seeds_seen"] == 0


@pytest.mark.parametrize("prompt", [
    "In the UK, what is the corporation tax?",
    "In France, why are plainclothes police allowed to carry guns?",
    "I live in Texas; what is the federal minimum wage?",
])
def test_a_general_question_that_only_loses_its_place_goes_to_review(ctx, seed, run, prompt):
    # a blind review found such variants answerable ("What is the corporation tax?")
    (variant,) = run(MissingSpecifics(ctx), [seed(prompt, [], domain=Domain.FINANCE)]).variants(
        "missing_specifics")
    assert variant.label_status is LabelStatus.NEEDS_REVIEW
    assert variant.review["queue_reason"] == "general_question"


def test_no_salary_wording_when_the_question_already_says_salary(ctx, seed, run):
    parent = seed("I earn $80,000 a year and my employer matches 401(k) contributions up to 5% "
                  "of salary; how much must I contribute?", [], domain=Domain.FINANCE)
    (variant,) = run(MissingSpecifics(ctx), [parent]).variants("missing_specifics")
    assert variant.prompt.startswith("My employer matches")
