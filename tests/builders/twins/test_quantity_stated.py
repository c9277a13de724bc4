"""Quantity twin: the sibling's "some" stays, the count is stated next to it, the answer is the
seed's, and a twin that loses or adds a number is rejected."""

from __future__ import annotations

from random import Random

from abstain_data.builders.gates import Verdict
from abstain_data.builders.missing_quantity import MissingQuantity
from abstain_data.builders.twins.quantity_stated import (
    AT_END,
    INSIDE,
    MEASURE,
    QuantityStated,
    restate,
    restored_check,
)
from abstain_data.items import Category, Domain, LabelStatus, pair_id_for


def written(sentence: str, noun_end: int, forms: tuple[str, ...], count: str) -> set[str]:
    """`sentence` with each of `forms` (for `count`) inserted at `noun_end`."""
    out = set()
    for form in forms:
        phrase = form.format(n=count)
        gap = "" if phrase[:1] in ", " else " "
        out.add(sentence[:noun_end] + gap + phrase + sentence[noun_end:])
    return out

PROBLEM = ("There are 32 students in a class. They split into teams of 4. "
           "How many teams are there?")


def test_twin_is_the_sibling_with_the_count_stated_after_some(ctx, seed, run):
    parent = seed(PROBLEM, ["8"], domain=Domain.MATH)
    after_sibling = run(MissingQuantity(ctx), [parent])
    (vague,) = after_sibling.variants("missing_quantity")
    (twin,) = run(QuantityStated(ctx), after_sibling.items).variants("twin_quantity_stated")
    assert vague.prompt.startswith("There are some students in a class.")
    stated = twin.transform.params["stated"]
    vague_sentence = "There are some students in a class."
    assert stated in written(vague_sentence, len("There are some students"), INSIDE, "32")
    assert twin.prompt == vague.prompt.replace("There are some students in a class.", stated)
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


def test_restate_places_the_count_where_it_reads_naturally():
    rng = Random(0)
    for _ in range(8):
        # a unit of measure or a rate: the count closes the sentence, never "in all"
        jump = "The grasshopper jumped some inches."
        assert restate(jump, "19", rng) in written(jump, len(jump) - 1, MEASURE, "19")
        long_ = "The first chapter is some pages long.."
        assert restate(long_, "10", rng) in written(long_, len(long_) - 2, MEASURE, "10")
        eggs = "A farmer collects some eggs each day."
        assert restate(eggs, "24", rng) in written(eggs, len(eggs) - 1, MEASURE, "24")
        # a short "of" phrase: the count follows it
        candy = "Bobby ate some pieces of candy."
        assert restate(candy, "28", rng) in written(candy, len(candy) - 1, AT_END, "28")
    # a long "of" phrase or a determiner before "some": no twin
    assert restate("They have some sets of tables, each with the same number of chairs.", "2",
                   rng) is None
    assert restate("A pipe fills it at some litres per minute, starting from empty.", "8",
                   rng) is None
    assert restate("Jill has to braid some dancers' hair.", "8", rng) is None
    assert restate("Matthew gave crackers to his some friends.", "4", rng) is None
    assert restate("Micah drank some times that much water.", "3", rng) is None
    assert restate("Some birds sat on the fence", "3", rng) is None  # no final stop


def test_restored_check_fails_when_a_number_is_lost_or_added():
    assert restored_check(PROBLEM, PROBLEM.replace("32 students", "some students (32 of them)")
                          ).verdict is Verdict.PASS
    assert restored_check(PROBLEM, PROBLEM.replace("32 students", "some students")
                          ).verdict is Verdict.FAIL
    assert restored_check(PROBLEM, PROBLEM.replace("32 students", "some students (3 of them)")
                          ).verdict is Verdict.FAIL
