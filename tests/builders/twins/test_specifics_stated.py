"""Specifics twin: the seed's question with the sibling's wide wording beside each specific
("the US state of California", "a salary of $80,000 a year"), answerable with the seed's
answers; no twin when the sibling used no such wording."""

from __future__ import annotations

from abstain_data.builders.gates import Verdict
from abstain_data.builders.missing_specifics import MissingSpecifics
from abstain_data.builders.twins.specifics_stated import SpecificsStated, kept_check
from abstain_data.items import Category, Domain, LabelStatus, pair_id_for


def twin_of(ctx, run, parent):
    after = run(MissingSpecifics(ctx), [parent])
    (variant,) = after.variants("missing_specifics")
    return variant, run(SpecificsStated(ctx), after.items).variants("twin_specifics_stated")


def test_a_widened_state_keeps_its_country_in_the_twin(ctx, seed, run):
    parent = seed("In California, how many days does a landlord have to return a security "
                  "deposit?", ["21 days"], domain=Domain.LEGAL)
    variant, (twin,) = twin_of(ctx, run, parent)
    assert variant.prompt.startswith("In the US, how many days")
    assert twin.prompt == ("In the US state of California, how many days does a landlord have to "
                           "return a security deposit?")
    assert twin.pair_id == variant.pair_id == pair_id_for(parent.id)
    assert twin.should_abstain is False and twin.category is Category.ANSWERABLE
    assert twin.reference_answers == ["21 days"]
    assert twin.label_status is LabelStatus.AUTO


def test_a_province_is_followed_by_its_country(ctx, seed, run):
    parent = seed("My landlord in Ontario wants to raise my rent by 10 percent; is that allowed?",
                  [], domain=Domain.LEGAL)
    _, (twin,) = twin_of(ctx, run, parent)
    assert twin.prompt == ("My landlord in Ontario, Canada wants to raise my rent by 10 percent; "
                           "is that allowed?")


def test_no_twin_when_the_sibling_only_deleted(ctx, seed, run):
    parent = seed("In Germany, how much notice must a tenant give to end a lease?",
                  ["three months"], domain=Domain.LEGAL)
    _, twins = twin_of(ctx, run, parent)
    assert twins == []
    assert run(SpecificsStated(ctx), [parent]).variants("twin_specifics_stated") == []


def test_the_twin_must_keep_every_number_and_place():
    seed = "I live in Texas and earn $70,000 a year; how much state income tax will I pay?"
    assert kept_check(seed, "I live in the US state of Texas and earn $70,000 a year; how much "
                      "state income tax will I pay?", ["Texas"]).verdict is Verdict.PASS
    assert kept_check(seed, "I live in the US and earn $70,000 a year; how much state income tax "
                      "will I pay?", ["Texas"]).verdict is Verdict.FAIL
    assert kept_check(seed, "I live in Texas and earn a salary; how much state income tax will I "
                      "pay?", ["Texas"]).verdict is Verdict.FAIL


def test_salary_and_savings_keep_the_siblings_words():
    from abstain_data.builders.twins.specifics_stated import (
        apply_in_order,
        salary_edits,
        savings_edits,
    )
    seed = "I earn $60,000 a year and am single; what is my tax bracket?"
    assert apply_in_order(seed, salary_edits(seed, "I earn a salary and am single; ...")) == (
        "I earn a salary of $60,000 a year and am single; what is my tax bracket?")
    assert salary_edits(seed, "I am single; what is my tax bracket?") == []
    # "a salary ... up to 5% of salary" would say it twice
    matched = "I earn $80,000 a year and my employer matches up to 5% of salary; how much?"
    assert salary_edits(matched, "I earn a salary and my employer ...") == []
    seed = "I plan to retire and have $400,000 saved; how much can I withdraw?"
    assert apply_in_order(seed, savings_edits(seed, "I plan to retire and have some savings")) == (
        "I plan to retire and have savings of $400,000; how much can I withdraw?")
