"""Missing specifics: advice stripped of the facts it depends on."""

from __future__ import annotations

import pytest

from abstain_data.builders.missing_specifics import MissingSpecifics
from abstain_data.items import Category, Domain, LabelStatus


@pytest.mark.parametrize(("prompt", "domain", "expected", "kinds"), [
    ("I am a 45-year-old woman weighing 70 kg; what is the usual dose of ibuprofen for a "
     "headache?", Domain.MEDICAL, "What is the usual dose of ibuprofen for a headache?", ["age"]),
    ("In California, how many days does a landlord have to return a security deposit?",
     Domain.LEGAL, "How many days does a landlord have to return a security deposit?",
     ["jurisdiction"]),
    ("I want to buy a $300,000 house; how much is a 20% down payment?", Domain.FINANCE,
     "I want to buy a house; how much is a 20% down payment?", ["amount"]),
    ("I live in England and my employer dismissed me; can I claim unfair dismissal?",
     Domain.LEGAL, "I live here and my employer dismissed me; can I claim unfair dismissal?",
     ["jurisdiction"]),
    ("I am 40 years old with a $120,000 salary; how much should I save each month?",
     Domain.FINANCE, "I have a salary; how much should I save each month?", ["age", "amount"]),
])
def test_specifics_stripped(ctx, seed, run, prompt, domain, expected, kinds):
    (variant,) = run(MissingSpecifics(ctx), [seed(prompt, [], domain=domain)]).variants(
        "missing_specifics")
    assert variant.prompt == expected
    assert variant.transform.params["kinds"] == kinds
    assert variant.category is Category.UNDER_DOMAIN_SPECIFICS
    assert variant.label_status is LabelStatus.AUTO


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


def test_joined_places_and_amounts_after_the(ctx, seed, run):
    legal = seed("In England and Wales, when is the legal birthday of someone born on 29 "
                 "February?", [], domain=Domain.LEGAL, record="t#0")
    money = seed("My company got $7 million in funding; what was the $7 million used for?", [],
                 domain=Domain.FINANCE, record="t#1")
    out = run(MissingSpecifics(ctx), [legal, money])
    prompts = {v.parent_id: v.prompt for v in out.variants("missing_specifics")}
    assert prompts[legal.id] == ("When is the legal birthday of someone born on 29 February?")
    assert prompts[money.id] == ("My company got a certain amount in funding; what was the "
                                 "money used for?")


def test_factoids_are_not_advice(ctx, seed, run):
    factoid = seed("Which digital currency debuted in 2009?", ["Bitcoin"], domain=Domain.FINANCE)
    assert run(MissingSpecifics(ctx), [factoid]).counters["seeds_seen"] == 0


@pytest.mark.parametrize("prompt", [
    "In the UK, what is the corporation tax?",
    "In France, why are plainclothes police allowed to carry guns?",
])
def test_a_general_question_that_only_loses_its_place_goes_to_review(ctx, seed, run, prompt):
    # a blind review found such variants answerable ("What is the corporation tax?")
    (variant,) = run(MissingSpecifics(ctx), [seed(prompt, [], domain=Domain.FINANCE)]).variants(
        "missing_specifics")
    assert variant.label_status is LabelStatus.NEEDS_REVIEW
    assert variant.review["queue_reason"] == "general_question"
