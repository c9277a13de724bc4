"""The complexity tagger on hand-labelled questions and on each rule of its docstring."""

from __future__ import annotations

import pytest

from abstain_data.items import Complexity
from abstain_data.tagging.complexity import open_ended_reasons, rule_complexity

# Measured: dev 0.990, heldout_a 1.000, heldout_b 0.900.
FLOORS = {"dev": 0.97, "heldout_a": 0.95, "heldout_b": 0.85}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_accuracy_on_hand_labelled_questions(nlp, labelled, name):
    rows = labelled(name)
    docs = nlp.pipe(row.text for row in rows)
    right = sum(rule_complexity(row.text, doc, row.answers).value == row.complexity
                for row, doc in zip(rows, docs, strict=True))
    assert right / len(rows) >= FLOORS[name], f"{name}: {right}/{len(rows)}"


def test_hand_labels_have_both_complexities(labelled):
    rows = labelled("dev")
    assert {row.complexity for row in rows} == {"templated", "open_ended"}
    assert sum(row.complexity == "open_ended" for row in rows) >= 30


@pytest.mark.parametrize(("text", "rule"), [
    ("Explain how tides work.", "explain"),
    ("Why is the sea blue?", "explain"),
    ("Compare wind and solar power.", "explain"),
    ("How does a compass find north?", "how_process"),
    ("How were the pyramids built?", "how_process"),
    ("Should I see a doctor about a cough?", "advice"),
    ("Is it safe to eat raw eggs?", "advice"),
    ("I am 40 and earn $50,000; what is my tax rate?", "own_situation"),
    ("My son is 7; which vaccines does he need?", "own_situation"),
    ("In California, how many days does a landlord have to return a deposit?", "own_situation"),
    ("What is the difference between weather and climate?", "long_list"),
    ("What were the main causes of the Great Depression?", "long_list"),
    ("Ann has 3 bags with 5 apples each. She eats 2 apples. How many apples are left?",
     "multi_step"),
])
def test_each_rule_fires_on_its_example(nlp, text, rule):
    assert rule in open_ended_reasons(text, nlp(text), [])
    assert rule_complexity(text, nlp(text), []) is Complexity.OPEN_ENDED


@pytest.mark.parametrize("text", [
    "What is the capital of Peru?",
    "How many legs does a spider have?",
    "How long is the Nile?",
    "How old was Mozart when he died?",
    "In what year did the Berlin Wall fall?",
    "Who wrote Hamlet?",
    "Ann has 12 apples. She eats 2. How many apples are left?",
    "Which planet is the largest?",
])
def test_short_factoids_stay_templated(nlp, text):
    assert open_ended_reasons(text, nlp(text), ["x"]) == []
    assert rule_complexity(text, nlp(text), ["x"]) is Complexity.TEMPLATED


def test_jurisdiction_rule_needs_a_proper_noun_and_a_comma(nlp):
    for text in ("In what year did the war end?", "In 1066, who won at Hastings?"):
        assert "own_situation" not in open_ended_reasons(text, nlp(text), [])


def test_long_prompt(nlp):
    text = "Which " + " ".join(["very"] * 45) + " big city is the capital of France?"
    assert "long_prompt" in open_ended_reasons(text, nlp(text), [])


def test_long_reference_answer_makes_it_open_ended_but_no_answers_do_not(nlp):
    text = "What did the treaty say?"
    long_answer = "It ended the war, redrew three borders and set up a court to settle claims later"
    assert rule_complexity(text, nlp(text), [long_answer]) is Complexity.OPEN_ENDED
    # the shortest answer decides: one short accepted answer keeps it a factoid
    assert rule_complexity(text, nlp(text), [long_answer, "peace"]) is Complexity.TEMPLATED
    # unanswerable variants carry no reference answers: the prompt alone decides
    assert rule_complexity(text, nlp(text), []) is Complexity.TEMPLATED
