"""Future shift: the year moved after the build's reference year, tense made future."""

from __future__ import annotations

import re

import pytest

from abstain_data.builders.future_shift import FutureShift
from abstain_data.items import Category, LabelStatus
from abstain_data.pipeline.step import BuildContext


@pytest.mark.parametrize(("prompt", "expected"), [
    ("Who won the 2010 FIFA World Cup?", r"Who will win the (\d{4}) FIFA World Cup\?"),
    ("Which team won the Super Bowl in 2010?", r"Which team will win the Super Bowl in (\d{4})\?"),
    ("Who was elected president of the United States in 2008?",
     r"Who will be elected president of the United States in (\d{4})\?"),
    ("Which city hosted the 2012 Summer Olympics?",
     r"Which city will host the (\d{4}) Summer Olympics\?"),
])
def test_year_after_reference_year_and_future_tense(ctx, seed, run, prompt, expected):
    (variant,) = run(FutureShift(ctx), [seed(prompt, ["x"])]).variants("future_shift")
    found = re.fullmatch(expected, variant.prompt)
    assert found, variant.prompt
    assert 2026 < int(found.group(1)) <= 2036
    assert variant.category is Category.UNKNOWN_FUTURE
    assert variant.label_status is LabelStatus.AUTO


def test_reference_year_comes_from_the_context_not_the_clock(seed, run):
    ctx = BuildContext(seed=13, reference_year=2100)
    (variant,) = run(FutureShift(ctx, max_years_ahead=4),
                     [seed("Who won the 2010 FIFA World Cup?", ["Spain"])]).variants("future_shift")
    # the only World Cup year in 2101..2104
    assert "2102" in variant.prompt and "2100" in variant.rationale


def test_past_tense_it_cannot_change_goes_to_review(ctx, seed, run):
    # a past perfect ("had ... won"): the rules only turn did/was/were or a plain past verb future
    parent = seed("Which team had won the cup by 1990?", ["Germany"])
    (variant,) = run(FutureShift(ctx), [parent]).variants("future_shift")
    assert variant.label_status is LabelStatus.NEEDS_REVIEW
    assert variant.review["queue_reason"] == "tense"


def test_two_verbs_turned_future_go_to_review(ctx, seed, run):
    # spaCy reads "was ... held" here as two clauses: "In which city will be the 2032 Eurovision
    # Song Contest will hold?" was labelled auto before this check
    parent = seed("In which city was the 2019 Eurovision Song Contest held?", ["Tel Aviv"])
    (variant,) = run(FutureShift(ctx), [parent]).variants("future_shift")
    assert re.fullmatch(r"In which city was the 20\d\d Eurovision Song Contest held\?",
                        variant.prompt), variant.prompt  # as in every unsure tense: year only
    assert variant.label_status is LabelStatus.NEEDS_REVIEW
    assert variant.review["queue_reason"] == "tense"


@pytest.mark.parametrize("prompt", [
    "Which company did Steve Jobs co-found in 1976?",
    "Who was the British prime minister when the Second World War ended in 1945?",
    "Why did the Berlin Wall fall in 1989?",
    "Which country won the first FIFA World Cup in 1930?",
])
def test_a_named_person_or_one_time_event_goes_to_review(ctx, seed, run, prompt):
    (variant,) = run(FutureShift(ctx), [seed(prompt, ["x"])]).variants("future_shift")
    assert variant.label_status is LabelStatus.NEEDS_REVIEW
    assert variant.review["queue_reason"] == "one_time_subject"


def test_items_without_a_year_or_with_a_passage_are_not_seeds(ctx, seed, run):
    no_year = seed("Who won the FIFA World Cup?", ["Spain"], record="t#0")
    passage = seed("Who won in 2010?", ["Spain"], context="Spain won in 2010.", record="t#1")
    out = run(FutureShift(ctx), [no_year, passage])
    assert out.variants("future_shift") == [] and out.counters["seeds_seen"] == 0


def test_years_after_now_quoted_or_several_are_not_seeds(ctx, seed, run):
    seeds = [seed("How much of our energy will solar meet by 2060?", ["half"], record="t#0"),
             seed("How much did '1941' earn?", ["$92 million"], record="t#1"),
             seed("Which artist painted Three Dancers (1925) and Weeping Woman (1937)?",
                  ["Picasso"], record="t#2")]
    assert run(FutureShift(ctx), seeds).counters["seeds_seen"] == 0


def test_every_simple_past_becomes_future(ctx, seed, run):
    parent = seed("Who coached the team that played UCLA in the 2012 Holiday Bowl?", ["Briles"])
    (variant,) = run(FutureShift(ctx), [parent]).variants("future_shift")
    assert re.fullmatch(r"Who will coach the team that will play UCLA in the \d{4} Holiday Bowl\?",
                        variant.prompt), variant.prompt


def test_max_years_ahead_must_be_positive(ctx):
    with pytest.raises(ValueError, match="max_years_ahead"):
        FutureShift(ctx, max_years_ahead=0)


def test_olympics_move_only_to_an_olympic_year(ctx, seed, run):
    parents = [seed("When was the opening ceremony of the 2012 Olympics?", ["27 July"],
                    record=f"t#{k}", dataset=f"d{k}") for k in range(6)]
    for variant in run(FutureShift(ctx), parents).variants("future_shift"):
        found = re.fullmatch(r"When will the opening ceremony of the (\d{4}) Olympics be\?",
                             variant.prompt)
        assert found, variant.prompt
        assert int(found.group(1)) in (2028, 2032, 2036)
        assert variant.label_status is LabelStatus.AUTO


def test_passive_question_keeps_its_word_order(ctx, seed, run):
    parent = seed("Where was the 2019 Rugby World Cup held?", ["Japan"])
    (variant,) = run(FutureShift(ctx), [parent]).variants("future_shift")
    assert re.fullmatch(r"Where will the (2027|2031|2035) Rugby World Cup be held\?",
                        variant.prompt), variant.prompt
    # a venue may be fixed or announced years ahead (2031 went to the USA in 2022): review
    assert variant.label_status is LabelStatus.NEEDS_REVIEW
    assert variant.review["queue_reason"] == "fixed_venue"


def test_a_word_that_pins_the_past_goes_to_review(ctx, seed, run):
    parent = seed("Who won the NCAA women's championship last year 2019?", ["Baylor"])
    (variant,) = run(FutureShift(ctx), [parent]).variants("future_shift")
    assert variant.label_status is LabelStatus.NEEDS_REVIEW
    assert variant.review["queue_reason"] == "tense"


def test_no_recurring_event_goes_to_review(ctx, seed, run):
    (variant,) = run(FutureShift(ctx), [seed("Which digital currency debuted in 2009?",
                                              ["Bitcoin"])]).variants("future_shift")
    assert variant.label_status is LabelStatus.NEEDS_REVIEW
    assert variant.review["queue_reason"] == "cadence"



def test_a_host_announced_by_the_reference_year_is_never_asked_for(seed, run):
    # the 2028 and 2032 Summer Olympics hosts were announced in 2017 and 2021: asking which city
    # will host them has an answer, so only 2036 is left in ten years after 2026
    for k in range(6):  # whatever year the seed's random draw would pick
        parent = seed(f"Which city hosted the 201{k} Summer Olympics?", ["x"], record=f"t#{k}")
        (variant,) = run(FutureShift(BuildContext(seed=k, reference_year=2026)),
                         [parent]).variants("future_shift")
        assert variant.prompt == "Which city will host the 2036 Summer Olympics?"
    # before those announcements, 2020 and 2024 are unknown too
    early = {run(FutureShift(BuildContext(seed=k, reference_year=2016)),
                 [seed("Which city hosted the 2012 Summer Olympics?", ["London"])]
                 ).variants("future_shift")[0].transform.params["year_to"] for k in range(8)}
    assert early & {2020, 2024}
    # a question about who wins is not about the host: years with an announced host stay open
    won = {run(FutureShift(BuildContext(seed=k, reference_year=2026)),
               [seed("Which country won the 2010 FIFA World Cup?", ["Spain"])]
               ).variants("future_shift")[0].transform.params["year_to"] for k in range(8)}
    assert won & {2030, 2034}
