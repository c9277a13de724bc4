"""Quantity twin: the sibling's "some" stays, the count follows it ("some 32 students"), the
answer is the seed's, and a twin that loses or adds a number is rejected."""

from __future__ import annotations

from dataclasses import replace

from abstain_data.builders.gates import Verdict
from abstain_data.builders.missing_quantity import MissingQuantity
from abstain_data.builders.twins.quantity_stated import QuantityStated, restate, restored_check
from abstain_data.items import Category, Domain, LabelStatus, pair_id_for

PROBLEM = ("There are 32 students in a class. They split into teams of 4. "
           "How many teams are there?")


def test_twin_is_the_sibling_with_the_count_stated_after_some(ctx, seed, run):
    parent = seed(PROBLEM, ["8"], domain=Domain.MATH)
    after_sibling = run(MissingQuantity(ctx), [parent])
    (vague,) = after_sibling.variants("missing_quantity")
    (twin,) = run(QuantityStated(ctx), after_sibling.items).variants("twin_quantity_stated")
    assert vague.prompt.startswith("There are some students in a class.")
    assert twin.transform.params["stated"] == "There are some 32 students in a class."
    assert twin.prompt == vague.prompt.replace("some students", "some 32 students")
    assert twin.parent_id == vague.parent_id == parent.id
    assert twin.pair_id == vague.pair_id == pair_id_for(parent.id)
    assert twin.should_abstain is False and twin.category is Category.ANSWERABLE
    assert twin.label_status is LabelStatus.AUTO
    assert twin.reference_answers == ["8"]


def test_no_twin_without_a_sibling_or_for_other_domains(ctx, seed, run):
    parent = seed(PROBLEM, ["8"], domain=Domain.MATH)
    assert run(QuantityStated(ctx), [parent]).variants("twin_quantity_stated") == []
    general = seed(PROBLEM, ["8"])
    after = run(MissingQuantity(ctx), [general])
    assert run(QuantityStated(ctx), after.items).variants("twin_quantity_stated") == []


def test_restate_puts_the_count_after_some_as_english_writes_a_figure():
    assert restate("The grasshopper jumped some inches.", "19") == \
        "The grasshopper jumped some 19 inches."
    assert restate("Some passengers got off.", "19") == "Some 19 passengers got off."
    assert restate("A farmer collects some eggs each day.", "1,200") == \
        "A farmer collects some 1,200 eggs each day."
    # small counts ("some 3 apples"), words, a determiner before "some", factors: no twin
    assert restate("Tom has some apples.", "3") is None
    assert restate("Tom has some apples.", "twelve") is None
    assert restate("Matthew gave crackers to his some friends.", "14") is None
    assert restate("Micah drank some times that much water.", "30") is None
    assert restate("Her son is some years old.", "11") is None  # "some 11 years old"


def test_only_a_some_variant_gets_a_twin(ctx, seed, run):
    # the bare plural ("Nina buys apples.") has no "some" to state a count after
    made = {}
    parent = seed("Nina buys 18 apples. She shares them among 3 friends. How many apples does "
                  "each friend get?", ["6"], domain=Domain.MATH)
    for k in range(12):
        after = run(MissingQuantity(replace(ctx, seed=k)), [parent])
        (vague,) = after.variants("missing_quantity")
        twins = run(QuantityStated(ctx), after.items).variants("twin_quantity_stated")
        made[vague.prompt.startswith("Nina buys some apples")] = len(twins)
    assert made == {True: 1, False: 0}


def test_restored_check_fails_when_a_number_is_lost_or_added():
    assert restored_check(PROBLEM, PROBLEM.replace("32 students", "some 32 students")
                          ).verdict is Verdict.PASS
    assert restored_check(PROBLEM, PROBLEM.replace("32 students", "some students")
                          ).verdict is Verdict.FAIL
    assert restored_check(PROBLEM, PROBLEM.replace("32 students", "some 3 students")
                          ).verdict is Verdict.FAIL
