"""What kind of thing a named entity is: the build's first names, learnt a parse at a time."""

from __future__ import annotations

from abstain_data.builders.kinds import FirstNames, learn_first_names
from abstain_data.nlp import load_nlp

QUESTIONS = ["When was John Smith born?", "Where did John Miller live?",
             "Who is Mary Jones?", "When did Mary Jones marry?", "What is the capital of Peru?"]


def test_a_first_name_needs_several_surnames_and_is_learnt_a_parse_at_a_time():
    docs = list(load_nlp("en_core_web_sm").pipe(QUESTIONS))
    learnt = FirstNames()
    for doc in docs[:2]:
        learnt.add(doc)
    assert learnt.names() == {"John"}
    for doc in docs[2:]:
        learnt.add(doc)
    assert learnt.names() == learn_first_names(docs).names() == {"John"}  # Mary: one surname


def test_runs_learnt_apart_merge_into_what_one_walk_learns():
    docs = list(load_nlp("en_core_web_sm").pipe(QUESTIONS))
    first, rest = learn_first_names(docs[:1]), learn_first_names(docs[1:])  # two workers' runs
    assert first.names() == rest.names() == set()  # John Smith, then John Miller
    first.update(rest)
    assert first.names() == {"John"}
