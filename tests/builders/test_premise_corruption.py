"""Premise corruption: a false statement about a well-known entity built into the question."""

from __future__ import annotations

from abstain_data.builders.base import load_lexicon
from abstain_data.builders.premise_corruption import FRAMES, PremiseCorruption
from abstain_data.items import Category


def test_false_location_presupposed(ctx, seed, run):
    parent = seed("In what year was the Eiffel Tower completed?", ["1889"])
    (variant,) = run(PremiseCorruption(ctx), [parent]).variants("premise_corruption")
    premise = variant.transform.params["premise"]
    assert premise.startswith("the Eiffel Tower is in ")
    assert premise in next(f["false"] for f in load_lexicon("facts.json")["facts"]
                           if f["entity"] == "the Eiffel Tower")
    frame = variant.transform.params["frame"]
    assert frame in FRAMES
    expected = frame.format(false=premise, question="in what year was the Eiffel Tower completed?")
    assert variant.prompt == expected[:1].upper() + expected[1:]
    assert variant.category is Category.PREMISE_FALSE
    assert "Paris" in variant.rationale


def test_only_seeds_that_open_as_questions_get_a_premise(ctx, seed, run):
    # behind a frame a statement reads garbled, and its twin could not take it: the frame alone
    # would mark the false premises
    statement = seed("I will spend a day in Rome; what should I see?", [], record="t#0")
    question = seed("What should I see in Rome in one day?", [], record="t#1")
    variants = run(PremiseCorruption(ctx), [statement, question]).variants("premise_corruption")
    assert [v.parent_id for v in variants] == [question.id]
    assert variants[0].prompt.endswith(", what should I see in Rome in one day?")


def test_false_premise_that_contains_the_answer_is_rejected(ctx, seed, run):
    # every false continent for France that names the answer leaks it into the prompt
    wrong = ["Africa", "Asia", "North America", "South America", "Oceania"]
    parent = seed("Which is a continent other than the one France is in?", wrong)
    out = run(PremiseCorruption(ctx), [parent])
    assert out.variants("premise_corruption") == []
    assert [f.detail for f in out.fates] == ["gate:answer_leak"]


def test_every_false_statement_differs_from_the_true_one():
    for fact in load_lexicon("facts.json")["facts"]:
        assert fact["false"], fact["entity"]
        assert fact["true"] not in fact["false"]
        assert all(s.startswith(fact["entity"]) for s in fact["false"])


def test_only_proper_noun_mentions_match(ctx, seed, run):
    # "china" the material is not the country
    parent = seed("What is bone china made of?", ["bone ash"])
    assert run(PremiseCorruption(ctx), [parent]).variants("premise_corruption") == []


def test_premises_are_stated_in_varied_frames(ctx, seed, run):
    cities = ["Paris", "London", "Berlin", "Rome", "Madrid", "Tokyo", "Beijing", "Moscow",
              "Cairo", "Chicago", "Boston", "Sydney"]
    parents = [seed(f"What is the population of {city}?", ["x"], record=f"t#{k}")
               for k, city in enumerate(cities)]
    frames = [v.transform.params["frame"]
              for v in run(PremiseCorruption(ctx), parents).variants("premise_corruption")]
    assert len(frames) == len(cities)
    assert len(set(frames)) >= 4
    assert frames.count("Given that {false}, {question}") <= len(frames) // 2


def test_every_frame_grants_the_statement_rather_than_reasoning_from_it():
    # a causal frame around a true statement still reads as a false premise, so the twin cannot
    # share it, and a frame only false premises use becomes an abstain cue
    for frame in FRAMES:
        head = frame.split("{false}")[0].strip().lower()
        assert head.endswith("that"), frame
        assert ", so " not in frame and not frame.startswith(("Since", "Because", "As "))


def test_an_imperative_seed_gets_no_premise(ctx, seed, run):
    # "Since Beijing is in Egypt, list ..." reads as garbled to reviewers
    parent = seed("list the number of the courts in Beijing?", ["many"])
    assert run(PremiseCorruption(ctx), [parent]).variants("premise_corruption") == []


def test_false_predicates_follow_the_true_predicates_of_the_seeds(ctx, seed, run):
    # nine seeds about Asian countries make "is in Asia" the build's common true predicate, so
    # the one European seed gets it as its false premise: the predicate alone does not tell a
    # false premise from a true one (module docstring)
    asian = ["China", "Japan", "India", "Vietnam", "Thailand", "Indonesia", "Pakistan", "Iran",
             "Iraq"]
    parents = [seed(f"What is the national dish of {country}?", ["x"], record=f"t#{k}")
               for k, country in enumerate(asian)]
    parents.append(seed("What is the national dish of France?", ["x"], record="t#99"))
    variants = run(PremiseCorruption(ctx), parents).variants("premise_corruption")
    premises = {v.parent_id: v.transform.params["premise"] for v in variants}
    assert premises[parents[-1].id] == "France is in Asia"
    # an Asian seed's false premise is drawn from the one other true predicate, Europe
    assert premises[parents[0].id] == "China is in Europe"


def test_a_false_predicate_no_seed_has_is_still_drawn_when_nothing_else_is_weighted(ctx, seed,
                                                                                     run):
    parent = seed("How tall is the Eiffel Tower?", ["330 m"])
    (variant,) = run(PremiseCorruption(ctx), [parent]).variants("premise_corruption")
    assert variant.transform.params["premise"].startswith("the Eiffel Tower is in ")
