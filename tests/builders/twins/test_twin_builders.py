"""Each twin builder on planted seeds: it runs after its real sibling, shares the pair id, is
answerable with the right answers, and the gates reject a twin that gives its answer away."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from random import Random

import pytest

from abstain_data.builders.base import load_lexicon
from abstain_data.builders.fabricated_entity import FabricatedEntity
from abstain_data.builders.future_shift import FutureShift
from abstain_data.builders.gates import Verdict, find_leak
from abstain_data.builders.negation import Negation
from abstain_data.builders.premise_corruption import PremiseCorruption
from abstain_data.builders.referent_removal import ReferentRemoval
from abstain_data.builders.seed_fluency import reads_garbled
from abstain_data.builders.twins.base import mirror_opening, seed_doubt
from abstain_data.builders.twins.clauses import clauses
from abstain_data.builders.twins.future_fixed import (
    OPENINGS,
    FutureFixed,
    calendar_facts,
    content_stems,
    event_rules,
    find_rule,
    pick_fact,
    presidential_election,
    thanksgiving,
    worded,
)
from abstain_data.builders.twins.negation_answered import NegationAnswered, superlative_fact
from abstain_data.builders.twins.premise_true import PremiseTrue, opens_as_question
from abstain_data.builders.twins.real_entity import (
    OPENING_FRAMES,
    RealEntity,
    dated_fact,
    passage_nouns,
)
from abstain_data.builders.twins.referent_resolved import (
    MINE,
    OURS,
    PERSON,
    TOPIC,
    ReferentResolved,
    lead_ins,
    person_phrase,
)
from abstain_data.items import Category, LabelStatus, pair_id_for
from abstain_data.pipeline.step import BuildContext


def sibling_then_twin(run, sibling, twin, items):
    """Run the sibling step, then the twin step on its output; (sibling variants, twins,
    twin fates)."""
    after_sibling = run(sibling, items)
    out = run(twin, after_sibling.items)
    return out.variants(sibling.name), out.variants(twin.name), out.fates


def assert_twin_of(twin, sibling_variant, seed):
    assert twin.parent_id == seed.id == sibling_variant.parent_id
    assert twin.pair_id == sibling_variant.pair_id == pair_id_for(seed.id)
    assert twin.should_abstain is False and sibling_variant.should_abstain is True
    assert twin.category is Category.ANSWERABLE
    assert twin.label_status is LabelStatus.AUTO


def test_premise_twin_states_the_true_fact_in_its_siblings_frame(ctx, seed, run):
    parent = seed("In what year was the Eiffel Tower completed?", ["1889"])
    (false,), (twin,), _ = sibling_then_twin(run, PremiseCorruption(ctx), PremiseTrue(ctx),
                                             [parent])
    assert_twin_of(twin, false, parent)
    assert twin.prompt.endswith(", in what year was the Eiffel Tower completed?")
    assert "the Eiffel Tower is in Paris" in twin.prompt
    frame = twin.transform.params["frame"]
    assert frame == false.transform.params["frame"]
    expected = frame.format(false="the Eiffel Tower is in Paris",
                            question="in what year was the Eiffel Tower completed?")
    assert twin.prompt == expected[:1].upper() + expected[1:]
    assert twin.reference_answers == ["1889"]
    assert twin.transform.builder == "twin_premise_true"


def test_premise_twins_use_the_same_frames_as_their_siblings(ctx, seed, run):
    # a frame only the false premises used would give the label away (module docstring)
    parents = [seed(f"In what year was the Eiffel Tower completed, part {n}?", ["1889"],
                    record=f"t#{n}") for n in range(12)]
    after = run(PremiseCorruption(ctx), parents)
    siblings = {v.parent_id: v.transform.params["frame"]
                for v in after.variants("premise_corruption")}
    assert len(set(siblings.values())) >= 3
    twins = run(PremiseTrue(ctx), after.items).variants("twin_premise_true")
    assert len(twins) == len(parents)
    assert all(t.transform.params["frame"] == siblings[t.parent_id] for t in twins)


def test_premise_twin_skips_questions_that_do_not_open_as_questions():
    assert opens_as_question("In which county is Stonehenge?")
    assert opens_as_question("What is the capital of France?")
    assert not opens_as_question("Stonehenge is in which UK county?")
    assert not opens_as_question("In Australia, on which side of the road do motorists drive?")


def test_premise_twin_that_gives_the_answer_away_is_rejected(ctx, seed, run):
    parent = seed("In which city is the Eiffel Tower?", ["Paris"])
    (false,), twins, fates = sibling_then_twin(run, PremiseCorruption(ctx), PremiseTrue(ctx),
                                               [parent])
    assert twins == []
    assert [(f.detail, f.record.split(":")[0]) for f in fates] == [
        ("gate:answer_leak", "twin_premise_true")]


def test_no_twin_without_a_sibling(ctx, seed, run):
    parent = seed("In what year was the Eiffel Tower completed?", ["1889"])
    assert run(PremiseTrue(ctx), [parent]).variants("twin_premise_true") == []


def test_referent_twin_names_the_referent_first(ctx, seed, run):
    parent = seed("What is the capital of France?", ["Paris"])
    (vague,), (twin,), _ = sibling_then_twin(run, ReferentRemoval(ctx), ReferentResolved(ctx),
                                             [parent])
    assert_twin_of(twin, vague, parent)
    phrase = twin.transform.params["with"]
    assert vague.prompt == f"What is the capital of {phrase}?"
    lead = twin.transform.params["lead_in"]
    assert lead in lead_ins("country", phrase)
    if lead.endswith(":"):
        assert twin.prompt == f"France: what is the capital of {phrase}?"
    else:
        assert twin.prompt == f"{lead.format(x='France')} What is the capital of {phrase}?"
    assert any(phrase in phrases for phrases in load_lexicon("vague_nps.json")["country"].values())
    assert twin.reference_answers == ["Paris"]


def test_referent_twin_replaces_the_siblings_lead_in_by_its_own(ctx, seed, run):
    countries = ["France", "Kenya", "Peru", "Chile", "Ghana", "Norway", "Japan", "Egypt",
                 "Spain", "Italy", "Cuba", "Nepal"]
    parents = [seed(f"What is the capital of {c}?", ["x"], record=f"t#{k}")
               for k, c in enumerate(countries)]
    vague, twins, _ = sibling_then_twin(run, ReferentRemoval(ctx), ReferentResolved(ctx),
                                        parents)
    led = {v.parent_id: v for v in vague if v.transform.params["lead_in"]}
    assert led, "no sibling variant opened with a lead-in"
    for twin in twins:
        sibling = led.get(twin.parent_id)
        if sibling is None:
            continue
        lead = sibling.transform.params["lead_in"]
        question = sibling.prompt.removeprefix(lead + " ")
        assert lead not in twin.prompt
        assert twin.prompt.endswith(question) or twin.prompt.endswith(
            question[:1].lower() + question[1:])
        assert twin.transform.params["named"] in twin.prompt


def test_referent_lead_ins_fit_the_phrase():
    assert lead_ins("country", "my country") == MINE
    assert lead_ins("city", "here") == MINE
    assert lead_ins("country", "our country's") == OURS
    assert lead_ins("country", "that country") == TOPIC
    assert lead_ins("person", "she") == PERSON


def test_referent_twin_writes_a_person_as_this_person(ctx, seed, run):
    parents = [seed("When was Marie Curie born?", ["1867"], record="t#0"),
               seed("Who was Albert Einstein's first wife?", ["Mileva Marić"], record="t#1")]
    after = run(ReferentRemoval(ctx), parents)
    assert len(after.variants("referent_removal")) == 2
    twins = run(ReferentResolved(ctx), after.items).variants("twin_referent_resolved")
    by_parent = {t.parent_id: t for t in twins}
    curie, einstein = (by_parent[p.id] for p in parents)
    assert curie.prompt.endswith("When was this person born?") or \
        curie.prompt == "Marie Curie: when was this person born?"
    assert "Marie Curie" in curie.prompt
    assert einstein.prompt.endswith("Who was this person's first wife?") or \
        einstein.prompt == "Albert Einstein: who was this person's first wife?"
    for twin in twins:
        assert not {"he", "she", "him", "his", "her"} & set(twin.prompt.lower().split())


def test_person_phrase_needs_the_phrase_exactly_once():
    assert person_phrase("When was she born?", "she", False) == (
        "When was this person born?", "this person")
    assert person_phrase("Who was her first husband?", "her", True) == (
        "Who was this person's first husband?", "this person's")
    assert person_phrase("Her mother met her father?", "her", True) is None
    # a blind reviewer could not resolve "someone I know" from "I'm reading about X."
    assert person_phrase("When did someone I know hold a wedding?", "someone I know",
                         False) == ("When did this person hold a wedding?", "this person")


PASSAGE = ("Wolfgang Amadeus Mozart was born in Salzburg in 1756. He wrote more than 600 works. "
           "The composer never held a permanent post in Vienna.")


@pytest.mark.parametrize(("question", "negated", "twin_prompt"), [
    # the sibling's frame and word, answerable from the passage that states it
    ("Which is the largest planet of the Solar System?",
     "Which is the smallest planet of the Solar System?",
     "Which is the smallest planet of the Solar System?"),
    # "Which" only after a sibling that opens with it: a fixed opening became an answer cue
    ("How many moons has the largest planet of the Solar System?",
     "How many moons has the smallest planet of the Solar System?",
     "What is the smallest planet of the Solar System?"),
])
def test_negation_twin_asks_the_siblings_superlative_where_a_passage_states_it(
        seed, run, question, negated, twin_prompt):
    ctx = BuildContext(seed=13)
    parent = seed(question, ["x"], context="Jupiter is the largest planet of the Solar System.",
                  record="t#0")
    donor = seed("What is Mercury made of?", ["rock"], record="t#1",
                 context="Mercury is the smallest planet of the Solar System. It is rocky.")
    (sibling,), (twin,), _ = sibling_then_twin(run, Negation(ctx), NegationAnswered(ctx),
                                               [parent, donor])
    assert sibling.prompt == negated
    assert_twin_of(twin, sibling, parent)
    assert twin.prompt == twin_prompt and twin.context == donor.context
    assert twin.reference_answers == ["Mercury"]
    assert twin.transform.params["statement"] in donor.context


def test_superlative_facts_need_a_named_subject_and_agree_in_number(ctx):
    passage = ("The Kongo are the largest ethnic group of the country. The city is the largest "
               "port. It was the oldest bridge. Boston, the capital, is the largest city.")
    facts = [superlative_fact(c, passage) for c in clauses(ctx.nlp(passage), ctx.nlp)]
    assert [(f.question, f.answer) for f in facts if f] == [
        ("What is the largest ethnic group of the country?", "the Kongo")]


def test_a_superlative_sibling_its_checks_do_not_trust_still_gets_a_twin(ctx, seed, run):
    # "the four largest": a numeral before the superlative, so the swap is not a trusted one
    parent = seed("Who discovered the four largest moons of Jupiter?", ["Galileo"],
                  record="t#0", context="Galileo discovered the four largest moons of Jupiter.")
    donor = seed("What is Mercury made of?", ["rock"], record="t#1",
                 context="Mercury is the smallest planet of the Solar System.")
    (sibling,), (twin,), _ = sibling_then_twin(run, Negation(ctx), NegationAnswered(ctx),
                                               [parent, donor])
    assert sibling.transform.params["kind"] == "antonym"
    assert sibling.prompt == "Who discovered the four smallest moons of Jupiter?"
    assert_twin_of(twin, sibling, parent)
    assert twin.prompt == "What is the smallest planet of the Solar System?"
    assert twin.reference_answers == ["Mercury"]


def test_a_sibling_that_is_not_a_superlative_swap_gets_no_twin(ctx, seed, run):
    parent = seed("Which team won the 1966 World Cup?", ["England"], record="t#0",
                  context="England won the 1966 World Cup.")
    donor = seed("What is Mercury made of?", ["rock"], record="t#1",
                 context="Mercury is the smallest planet of the Solar System.")
    (lost,), twins, _ = sibling_then_twin(run, Negation(ctx), NegationAnswered(ctx),
                                          [parent, donor])
    assert lost.transform.params["kind"] == "antonym" and twins == []


def test_clauses_skip_pronoun_subjects_and_negated_sentences(ctx):
    doc = ctx.nlp(PASSAGE)
    found = clauses(doc, ctx.nlp)
    assert [c.sentence for c in found] == ["Wolfgang Amadeus Mozart was born in Salzburg in 1756."]
    (clause,) = found
    assert (clause.subject.text, clause.aux, clause.verb, clause.rest_text) == (
        "Wolfgang Amadeus Mozart", "was", "born", "in Salzburg in 1756")


CURIE = ("Marie Curie was born in Warsaw in 1867. She won the Nobel Prize in Physics in 1903. "
         "The Rideau Canal was completed in 1832.")


@pytest.mark.parametrize(("sibling_seed", "answer", "expected"), [
    ("When was Albert Einstein born?", ["1879"],
     ("When was Marie Curie born in Warsaw?", "1867", "when")),
    ("In what year was Albert Einstein born?", ["1879"],
     ("In what year was Marie Curie born in Warsaw?", "1867", "year")),
    ("Which university did Albert Einstein attend?", ["ETH Zurich"],
     ("Who was born in Warsaw in 1867?", "Marie Curie", "subject")),
])
def test_real_entity_twin_asks_about_a_real_name_in_its_siblings_frame(
        ctx, seed, run, sibling_seed, answer, expected):
    # every twin opening "When" made "when" the cue that told twins from siblings
    parent = seed(sibling_seed, answer, record="open#0")
    reading = seed("Which prize did Marie Curie win in 1903?", ["the Nobel Prize in Physics"],
                   context=CURIE, record="reading#0")
    (invented,), (twin,), _ = sibling_then_twin(run, FabricatedEntity(ctx), RealEntity(ctx),
                                                [parent, reading])
    assert_twin_of(twin, invented, parent)
    assert invented.transform.params["label"] == twin.transform.params["label"] == "PERSON"
    prompt, reference, frame = expected
    assert (twin.prompt, twin.reference_answers, twin.transform.params["frame"]) == (
        prompt, [reference], frame)
    assert twin.context == reading.context
    assert twin.transform.params["name"] in twin.context


def test_real_entity_questions_name_the_kind_the_passages_use(ctx):
    doc = ctx.nlp(CURIE)
    facts = {f.name: f for c in clauses(doc, ctx.nlp) if (f := dated_fact(c, CURIE))}
    nouns = frozenset(passage_nouns(ctx.nlp("Boats pass through the canal.")))
    assert facts["the Rideau Canal"].questions(nouns) == {
        "when": ("When was the Rideau Canal completed?", "1832"),
        "year": ("In what year was the Rideau Canal completed?", "1832"),
        "subject": ("Which canal was completed in 1832?", "Rideau Canal")}
    # no passage writes "canal" in lower case: no kind to ask for
    assert "subject" not in facts["the Rideau Canal"].questions(frozenset())


def test_real_entity_frame_follows_the_siblings_opening_else_is_drawn():
    frames = ["subject", "when", "year"]
    def mirror(prompt: str, available: list[str], seed: int = 0) -> str:
        return mirror_opening(prompt, OPENING_FRAMES, available, Random(seed))

    assert mirror("Which city hosts Wendarsh?", frames) == "subject"
    assert mirror("What year was Wendarsh founded?", frames) == "year"
    assert mirror("When was Wendarsh founded?", ["subject", "when"]) == "when"
    assert mirror("Who founded Wendarsh?", ["when", "year"]) in {"when", "year"}
    drawn = {mirror("Where is Wendarsh?", frames, n) for n in range(30)}
    assert drawn == set(frames)


def test_real_entity_twin_skips_first_person_advice(ctx, seed):
    builder = RealEntity(ctx)
    assert not builder.accepts(seed("I live in Ohio and earn $50,000; what tax do I pay?", ["x"]))
    assert builder.accepts(seed("Who founded Ohio State University?", ["x"]))
    assert not builder.accepts(seed("Who founded it?", ["x"], context="Ohio State ..."))


def test_calendar_rules():
    assert presidential_election(2028) == dt.date(2028, 11, 7)
    assert presidential_election(2032) == dt.date(2032, 11, 2)
    assert thanksgiving(2027) == dt.date(2027, 11, 25)
    assert thanksgiving(2030) == dt.date(2030, 11, 28)


def test_future_twin_is_about_the_siblings_year_with_a_fixed_answer(seed, run):
    ctx = BuildContext(seed=13, reference_year=2026)
    parent = seed("Who won the 2018 FIFA World Cup?", ["France"])
    (shifted,), (twin,), _ = sibling_then_twin(run, FutureShift(ctx), FutureFixed(ctx),
                                               [parent])
    assert_twin_of(twin, shifted, parent)
    year = shifted.transform.params["year_to"]
    assert str(year) in twin.prompt and "will" in twin.prompt.lower().split()
    assert twin.transform.params["year"] == year > 2026
    assert twin.reference_answers and twin.transform.params["verified_by"]


def _kinds(facts):
    return {fact.kind: fact for fact in facts}


def test_future_twin_uses_only_hosts_announced_by_the_reference_year():
    early = FutureFixed(BuildContext(seed=13, reference_year=2020))
    assert "host" not in _kinds(early.event_facts("Who won the 2014 World Cup?", 2030, Random(0)))
    late = FutureFixed(BuildContext(seed=13, reference_year=2026))
    assert _kinds(late.event_facts("Who won the 2014 World Cup?", 2030, Random(0)))[
        "host"].answer == "Morocco, Portugal and Spain"
    assert _kinds(late.event_facts("Who was elected president of the United States in 2016?",
                                   2028, Random(0)))[
        "presidential_election"].answer == "November 7, 2028"


def test_future_twin_opens_like_its_sibling_where_the_fact_allows():
    # one fixed wording per fact let the openings alone tell twins from siblings
    fixed = FutureFixed(BuildContext(seed=13, reference_year=2026))
    host = _kinds(fixed.event_facts("Who won the 2016 Summer Olympics marathon?", 2032,
                                    Random(0)))["host"]
    assert worded(host, "Who will win the marathon at the 2032 Olympics?", Random(0)) == (
        "who", "Who will host the 2032 Summer Olympics?", "Brisbane")
    assert worded(host, "Which sprinter will win the 2032 Olympic 100 metres?", Random(0)) == (
        "which", "Which city will host the 2032 Summer Olympics?", "Brisbane")
    christmas, leap = calendar_facts(2032)[1:]
    assert worded(christmas, "Which horse will win the 2032 Derby?", Random(0)) == (
        "which", "Which day of the week will Christmas Day fall on in 2032?", "Saturday")
    assert worded(leap, "How many medals will Norway win in 2032?", Random(0)) == (
        "how many", "How many days will 2032 have?", "366")
    assert worded(leap, "Who will win in 2032?", Random(0))[2] in {"Yes", "366"}
    drawn = {worded(christmas, "Where will it rain in 2032?", Random(n))[0] for n in range(20)}
    assert drawn == {"default", "which"}


def test_future_twin_of_a_who_will_win_question_asks_about_the_winner_answerably():
    # with calendar and host facts only, "will win" and "who will" told siblings from twins
    # (prompt-only AUC 0.82-0.89 between the two in the default build)
    fixed = FutureFixed(BuildContext(seed=13, reference_year=2026))
    sibling = "Who will win the Nobel Prize in Chemistry in 2031?"
    facts = fixed.event_facts("Who won the Nobel Prize in Chemistry in 1911?", 2031, Random(0))
    assert _kinds(facts)["nobel_awarder"].answer == "the Royal Swedish Academy of Sciences"
    assert _kinds(facts)["nobel_ceremony_date"].answer == "December 10, 2031"
    for n in range(10):
        fact = pick_fact(facts, sibling, Random(n))
        opening, question, answer = worded(fact, sibling, Random(n))
        assert (opening, answer) == ("who", "the Royal Swedish Academy of Sciences")
        assert question.startswith("Who will") and "2031 Nobel Prize in Chemistry" in question
        assert content_stems(question) >= {"win", "nobel", "chemistry"}
    peace = fixed.event_facts("Who won the Nobel Peace Prize in 1964?", 2031, Random(0))
    assert _kinds(peace)["nobel_ceremony_city"].answer == "Oslo"
    derby = fixed.event_facts("Which horse won the Kentucky Derby in 1973?", 2034, Random(0))
    fact = pick_fact(derby, "Which horse will win the Kentucky Derby in 2034?", Random(0))
    assert fact.answer == "a garland of roses"
    elected = fixed.event_facts("Who was elected president of the United States in 2016?",
                                2032, Random(0))
    assert _kinds(elected)["electoral_votes"].questions["how many"] == (
        "How many electoral votes will a candidate need to win the 2032 US presidential "
        "election?")
    assert _kinds(elected)["inauguration"].answer == "January 20, 2033"


def rule_facts(rules, question: str, year: int, rng: Random) -> list:
    """The rule-fixed facts of `year` for the event `question` names; empty for none held in
    `year` (what FutureFixed.event_facts adds to an announced host)."""
    rule = find_rule(rules, question, year)
    return [] if rule is None else rule.facts(year, rng)


def test_event_rules_match_specific_events_before_generic_ones():
    rules = event_rules()

    def facts(question, year):
        return _kinds(rule_facts(rules, question, year, Random(0)))

    assert facts("Who won the 2019 Rugby World Cup?", 2031)["trophy"].answer == \
        "the Webb Ellis Cup"
    assert facts("Who won the 2018 FIFA World Cup?", 2030)["trophy"].answer == \
        "the FIFA World Cup Trophy"
    assert facts("Who won the 2014 Winter Olympics slalom?", 2030)["winner_medal"].questions[
        "which"].endswith("the 2030 Winter Olympics receive?")
    assert facts("Who won the 1998 Monaco Grand Prix?", 2031) == {}
    # a fact-check found these named other events than the rule's, with other answers
    for other in ("Who won the 2019 Women's World Cup?", "Who won the 2023 Cricket World Cup?",
                  "Who won the 2022 Women's Rugby World Cup?", "Who won the 2023 WNBA Finals?",
                  "Who won the 2019 Little League World Series?",
                  "Who won the 2022 International Booker Prize?",
                  "Who won the Latin Grammy for Album of the Year in 2015?",
                  "Who was crowned Miss Universe Philippines in 2018?",
                  "Who won the AFC Champions League in 2019?",
                  "Who was Sports Illustrated's Sportsperson of the Year in 2016?",
                  "Who won the Grand Prix at Cannes Lions in 2019?",
                  # a second fact-check's finds
                  "Who won the Cyprus presidential election in 2018?",
                  "Who was elected president in Brazil in 2018?",
                  "Who won the 2016 World Cup of Hockey?",
                  "Who won the EHF Champions League in 2019?",
                  "Who won the Senior League World Series in 2010?",
                  "Who won Junior Eurovision in 2019?", "Who won the 2018 Youth Olympics 100m?",
                  "Which team won the Special Olympics World Summer Games in 2015?",
                  "When did AFC Wimbledon win the FA Cup?",
                  "Who won the 2018 Rugby World Cup Sevens?",
                  "Who won the Japan Academy Award for best film in 2010?"):
        assert facts(other, 2030) == facts(other, 2031) == {}, other
    fixed = FutureFixed(BuildContext(seed=13, reference_year=2026))
    cannes = fixed.event_facts("Who was president of the jury at the 1994 Cannes Film Festival?",
                               2028, Random(0))
    assert {fact.kind for fact in cannes} == {"top_prize", "jury"}
    assert _kinds(fixed.event_facts("Who was elected president of France in 2017?", 2032,
                                    Random(0))) == {}


def test_event_rules_give_no_facts_for_a_year_the_event_is_not_held():
    # "How many electoral votes will a candidate need to win the 2031 US presidential
    # election?" would rest on a false premise
    rules = event_rules()
    election = "Who won the 2016 US presidential election?"
    assert rule_facts(rules, election, 2032, Random(0))
    assert rule_facts(rules, election, 2031, Random(0)) == []
    assert rule_facts(rules, "Who won the 2018 FIFA World Cup?", 2031, Random(0)) == []
    assert rule_facts(rules, "Who won the 2023 Ryder Cup?", 2028, Random(0)) == []
    assert rule_facts(rules, "Who won the 2023 Ryder Cup?", 2029, Random(0))
    fixed = FutureFixed(BuildContext(seed=13, reference_year=2026))
    kinds = _kinds(fixed.event_facts("Who was elected president of the United States in 2016?",
                                     2031, Random(0)))
    assert kinds == {}


def test_every_event_rule_wording_is_a_well_formed_future_question_without_its_answer():
    for rule in event_rules():
        assert rule.templates, rule.pattern.pattern
        names = rule.names(2031)
        for template in rule.templates:
            assert template["verified"] and template["answer"]
            for opening, wordings in template["questions"].items():
                for wording in [wordings] if isinstance(wordings, str) else wordings:
                    question = wording.format(**names)
                    answer = template["answer"].format(**names)
                    assert "2031" in question and " will " in f" {question} ", question
                    assert question.endswith("?") and "{" not in question, question
                    assert find_leak([answer], question) is None, (question, answer)
                    if opening != "default":
                        assert mirror_opening(question, OPENINGS, [opening, "default"],
                                              Random(0)) == opening, question


def test_garbled_seeds_get_no_referent_or_premise_twin(ctx, seed, run):
    assert reads_garbled("On death row In the United States, what is the most popular meal?")
    assert reads_garbled("When will the technology be patent - free in France?")
    assert reads_garbled("What famous hotel in Paris opened? ( It was expensive )")
    assert not reads_garbled("Who wrote The Hobbit in England?")
    parent = seed("On death row In France, what is the most popular last meal?", ["steak"])
    (vague,), twins, _ = sibling_then_twin(run, ReferentRemoval(ctx), ReferentResolved(ctx),
                                           [parent])
    assert vague.should_abstain and twins == []
    # premise_corruption itself takes only seeds that open as questions, as its twin does
    garbled = seed("When will the technology be patent - free in France?", ["x"])
    (false,), twins, _ = sibling_then_twin(run, PremiseCorruption(ctx), PremiseTrue(ctx),
                                           [garbled])
    assert false.should_abstain and twins == []


def test_a_twin_of_a_seed_that_reads_unanswerable_goes_to_review(ctx, seed, run):
    parents = [seed("When did it become the capital of Russia?", ["1918"], record="t#0"),
               seed("Why is Paris the most successful capital in France?", ["x"], record="t#1"),
               seed("When will Paris become the capital of the world in France?", ["x"],
                    record="t#2"),
               seed("What is the capital of France?", ["Paris"], record="t#3")]
    _, twins, _ = sibling_then_twin(run, ReferentRemoval(ctx), ReferentResolved(ctx), parents)
    by_parent = {twin.parent_id: twin for twin in twins}
    assert by_parent[parents[3].id].label_status is LabelStatus.AUTO
    doubtful = [by_parent[p.id] for p in parents[:3] if p.id in by_parent]
    assert doubtful, "the planted seeds made no referent twin"
    for twin in doubtful:
        assert twin.label_status is LabelStatus.NEEDS_REVIEW
        # a dangling pronoun also reads as careless English, which seed fluency checks first
        assert twin.review["queue_reason"] in {"seed_answerability", "seed_not_fluent"}


def test_seed_doubt_names_each_cue_and_trusts_a_passage(seed):

    assert seed_doubt(seed("What is the capital of France?", ["Paris"])).verdict is Verdict.PASS
    dangling = seed_doubt(seed("How many children did she have?", ["2"]))
    assert dangling.verdict is Verdict.UNSURE and dangling.detail == "seed: dangling pronoun"
    opinion = seed_doubt(seed("Why is Project Hope the most successful charity?", ["x"]))
    assert opinion.detail == "seed: opinion or evaluative superlative"
    assert seed_doubt(seed("When will a man travel to England?", ["x"])).detail == (
        "seed: asks about the future")
    grounded = seed("How many children did she have?", ["2"], context="Marie had two children.")
    assert seed_doubt(grounded).verdict is Verdict.PASS
    unchecked = replace(seed("What is the capital of France?", ["Paris"]), confidence=0.8)
    assert seed_doubt(unchecked).detail == "seed: its source's label has confidence 0.8"


def test_referent_twin_writes_an_abbreviated_country_with_the(ctx, seed, run):
    parent = seed("How many states does USA have?", ["50"])
    _, twins, _ = sibling_then_twin(run, ReferentRemoval(ctx), ReferentResolved(ctx), [parent])
    assert twins and all("the usa" in t.prompt.lower() for t in twins)
