"""The seed-fluency check: real questions of the corpora the builders vary, parsed by spaCy.

The not-fluent examples are verbatim questions of FalseQA, SelfAware and UnAnswGen (SQuAD); the
fluent ones are their well-written neighbours, including British spellings and rare real words
that a spelling dictionary lacks.
"""

from __future__ import annotations

import pytest

from abstain_data.builders.base import SEED_NOT_FLUENT, SEED_WORDING_UNCHECKED
from abstain_data.builders.fabricated_entity import FabricatedEntity
from abstain_data.builders.missing_quantity import MissingQuantity
from abstain_data.builders.negation import Negation
from abstain_data.builders.premise_corruption import PremiseCorruption
from abstain_data.builders.referent_removal import ReferentRemoval
from abstain_data.builders.seed_fluency import seed_problem, word_lists
from abstain_data.builders.twins.premise_true import PremiseTrue
from abstain_data.items import Domain, LabelStatus
from abstain_data.parsing import parse

NOT_FLUENT = {
    # FalseQA
    "list the flight duration for us to go Afraica": "starts lower-case",
    "which country went to a war with Canada in 2001? China or Afghanistan": "starts lower-case",
    "What kind of things will weather forcasters talk about?": "misspelt 'forcasters'",
    "Which one is farm animal? Sheep or dolpin?": "misspelt 'dolpin'",
    "How can humen go to the moon?": "misspelt 'humen'",
    "Why human beings need wood?": "no auxiliary",
    "Why vegetarians also get cancer?": "no auxiliary",
    "Why a cat has a brain?": "no auxiliary",
    "Where does carrot grow? In soil or sea?": "'carrot' has no article",
    "How many leg does a sofa have?": "'leg' is singular after a plural quantifier",
    "What kind of antibiotics can a patient take if he get pneumonia in 2000?":
        "'he' disagrees with 'get'",
    "Howm many tails does a monkey have?": "misspelt 'Howm'",
    # SelfAware
    "Does penguin live in Antarctica?": "'penguin' has no article",
    "Which bird has legs but cant walk?": "misspelt 'nt'",
    "In whic type of government is the leader elected?": "misspelt 'whic'",
    # UnAnswGen (SQuAD)
    "When was the earliest evidnce of settlement in the city centre?": "misspelt 'evidnce'",
    "How many TBD Devastator torpedo bombers were lauched from the Hornet?":
        "misspelt 'lauched'",
    "what style of music did afrika bambaataa play?": "starts lower-case",
    "Why Jay Chou can publish albums?": "'can' comes after the subject",
    "How many zoos in Shanghai?": "no verb",
    "Does monkeys live in the national park in China?": "'monkeys' disagrees with 'Does'",
    "On death row In the USA, what is most popular request for last meal":
        "'In' is capitalized mid-sentence",
    # punctuation and articles (SelfAware, FalseQA)
    "What is the capital city of Japan.": "does not end with a question mark",
    "List the reason why cats can catch mice?": "'List' ends with a question mark",
    "With what is Europa associated??": "doubled question mark",
    "What kind of cat is a animal?": "'a' before a vowel",
    # garbled patterns and an unnamed person (FalseQA rows a blind review flagged)
    "How many televisions was invented in China?": "a plural after 'how many'",
    "How many colonies did Britain have now?": "a past tense asked with 'now'",
    "Why was telemarketing fraud so rampant now?": "a past tense asked with 'now'",
    "Why noodle a typical lunch in China which most mum cooks at home?": "'why' is followed",
    "When was he born?": "'he' refers to nothing the question names",
    # found by a later fresh review (FalseQA)
    "What famous hotel in Paris opened? ( The only reason not to stay there was if you "
    "couldn't afford it )": "carelessly written",
    "Name a country that located in the east of Asia.": "carelessly written",
    "Since which year did China encourage people to follow the plan of birth":
        "does not end with a question mark",
    # found by a later fresh review (FalseQA, SelfAware's quiz-bowl rows)
    "What percentage is Wales accounts for the United Kingdom in area?":
        "'is' with a second finite verb 'accounts'",
    "When was the last time that Beijing snows?": "a past question about a present-tense clause",
    "Hungry Howie's Pizza & Subs, Inc., also known as Hungry Howie's Pizza, is a franchise and "
    "the 11th largest pizza chain in the United States, with over 550 locations, it's products "
    "include pizza, calzone-style subs, and which cuisine of the United States, is an unbreaded "
    "chicken wing section that is generally deep-fried then coated in a sauce?":
        "a run-on question of 61 words",
    "Which mountain did Ming Dynasty built the Great Wall?": "'did' with the past form 'built'",
    "When is the National Holiday in China, it is on 1st of February?": "a comma splice",
    "The violence beginning in 1967 resulted in the deaths of many Turks?":
        "a statement that ends with a question mark",
    "When did it become the capital of Russia?": "a pronoun with nothing to refer to",
    "Steven has 15 peaches.. How many peaches does Jake have?": "carelessly written",
    "Haley gives 2 marbles to each boy. If she had 14 marbles. How many boys did she give "
    "marbles to?": "an 'If ...' clause with no main clause",
    "Where in New England does the pilot whales live?": "'does' with the plural",
    "What mode of government does the anarchists prefer?": "disagrees with 'does'",
    "If I want to get milk from a cow, how long will it takes?":
        "a modal with the inflected verb 'takes'",
    "Where will God resurrected the \"other sheep\" after Armageddon?":
        "a modal with the inflected verb 'resurrected'",
    "If I want to find a tropical tree, which province should I go in China?":
        "'province' is the bare place of 'go'",
    "Which university school in Beijing should I go, if I want to study astronomy?":
        "'school' is the bare place of 'go'",
    "April 2012 was the year which Metrobus line opened?":
        "a statement that ends with a question mark",
}

FLUENT = [
    "What is the capital of France?",
    "During a sale they sold some cats. How many cats do they have left?",
    "When did the Manchester Small-Scale Experimental Machine run its first program?",
    "Which way should I go?",
    "Which city should I go to?",
    "Which bus should I take to the airport?",
    "How many legs does the spider have?",
    "Does the news say it?",
    "Machine B can put caps on 2 fewer bottles than Machine A. How many does it cap?",
    "In Greek mythology, which Cyclops had his only eye blinded by Odysseus?",
    "Which is the year in which the war ended?",
    "How many wings does a bird have?",
    "Which mould killed the bacteria?",
    "What colour is the sky over the city centre?",
    "Which colour of hair is most common among mammalian sheep?",
    "Consisting of taurine, glucuronolactone, caffeine and sucrose, what beverage is it?",
    "Where would you spend stotinki?",
    "What do historians try to piece together from pre-Western environments?",
    "Is coffee bad for you?",
    "What is life?",
    "When was the Cork County Cricket Club established?",
    "Which birds have the highest rates of climb to altitude?",
    "Jessa needs to make cupcakes for 3 classes that each have 30 students. How many cupcakes "
    "does she need?",
    "The master bedroom and bath totaled 500 sq ft. How big is the cottage?",
    "How many wives did Henry VIII have?",
    "Is a university a useful place to study?",
    "A plane flies between cities A and B. How far does it fly.",
    "Name a city with a population over 10 million.",
    "Who wrote Of Mice and Men?",
    "How do lions hunt?",
    "How many eyes does a journalist have?",
    " For the school bake sale Amy made 15 cupcakes. How many did she sell?",
    "What was the city now known as Istanbul called?",
    "How many people live in Paris now?",
    "Why not use solar power?",
    "Why did the Berlin Wall fall?",
    "Why is the sky blue?",
    "In which year did the Berlin Wall fall?",
    "A city that is located on a river (the Danube) grew fast. How many people live there?",
    "How long does it take to boil an egg?",
    "When did Beyonce say she was born?",
    "What was the name of the company that makes iPhones?",
    "Who is the man that sells shoes?",
    "Why was the man who lives here arrested?",
    "Which team is playing tonight?",
    "What is it that makes bread rise?",
    "Where did the workers put the bones?",
    "In 1990, did the team win the league?",
    "Can you tell me the capital of France?",
    "Beyonce's first album was called what?",
    "I live in England and my employer dismissed me; can I claim unfair dismissal?",
    "Are there any cats in Spain?",
    "If Haley had 14 marbles, how many boys got 2 each?",
    "Wait... how many were there?",
]


def test_a_pronoun_may_refer_to_the_seeds_passage(ctx):
    doc = parse(ctx, ["What did she win in 2003?"])[0]
    assert "refers to nothing" in seed_problem(doc, ctx.nlp)
    assert seed_problem(doc, ctx.nlp, has_passage=True) is None


@pytest.fixture
def problem(ctx):
    def check(text: str) -> str | None:
        return seed_problem(parse(ctx, [text])[0], ctx.nlp)
    return check


@pytest.mark.parametrize(("text", "reason"), sorted(NOT_FLUENT.items()))
def test_not_fluent_seed_is_flagged_with_its_reason(problem, text, reason):
    found = problem(text)
    assert found is not None and reason in found


@pytest.mark.parametrize("text", FLUENT)
def test_fluent_seed_passes(problem, text):
    assert problem(text) is None


def test_threshold_is_the_spelling_gain(ctx):
    doc = parse(ctx, ["What did Kenya reveil in 2030?"])[0]
    assert "reveil" in seed_problem(doc, ctx.nlp, spelling_gain=2.0)
    assert seed_problem(doc, ctx.nlp, spelling_gain=9.0) is None


def test_variants_of_a_not_fluent_seed_go_to_review(ctx, seed, run):
    seeds = [seed("What is the offical language of Peru?", ["Spanish"], record="t#0"),
             seed("What is the capital of France?", ["Paris"], record="t#1")]
    out = run(ReferentRemoval(ctx), seeds)
    by_parent = {v.parent_id: v for v in out.variants("referent_removal")}
    held, kept = by_parent[seeds[0].id], by_parent[seeds[1].id]
    assert held.label_status is LabelStatus.NEEDS_REVIEW
    assert held.review["queue_reason"] == SEED_NOT_FLUENT
    assert "offical" in held.review["detail"]
    assert kept.label_status is LabelStatus.AUTO
    assert out.counters[SEED_NOT_FLUENT] == 1
    assert out.counters["auto"] + out.counters["needs_review"] == out.counters["variants_made"]


def test_every_builder_kind_applies_the_check(ctx, seed, run):
    """A builder without a parse of its seeds (missing_quantity) and a twin apply it too."""
    problem = seed("There are 32 students in a clas. They split into teams of 4. "
                   "How many teams are there?", ["8"], domain=Domain.MATH)
    (variant,) = run(MissingQuantity(ctx), [problem]).variants("missing_quantity")
    assert variant.review["queue_reason"] == SEED_NOT_FLUENT
    parent = seed("In what year was the Eiffel Tower compleeted?", ["1889"])
    stream = run(PremiseCorruption(ctx), [parent]).items
    (twin,) = run(PremiseTrue(ctx), stream).variants("twin_premise_true")
    assert twin.review["queue_reason"] == SEED_NOT_FLUENT


def test_recipe_sets_the_threshold_and_the_word_lists_are_in_the_identity(ctx):
    """Every builder takes the threshold, also one whose own __init__ does not name it."""
    for builder in (FabricatedEntity(ctx, max_per_seed=2, seed_spelling_gain=3.0),
                    Negation(ctx, seed_spelling_gain=3.0), PremiseTrue(ctx, seed_spelling_gain=3.0),
                    MissingQuantity(ctx, seed_spelling_gain=3.0)):
        assert builder.seed_spelling_gain == builder.params()["seed_spelling_gain"] == 3.0
        identity = builder.identity("input").to_dict()
        assert all(str(path) in identity["data"] for path in word_lists())
    assert FabricatedEntity(ctx, max_per_seed=2).params()["max_per_seed"] == 2
    assert ReferentRemoval(ctx).params()["seed_spelling_gain"] != 3.0


def test_variants_of_a_dataset_with_unchecked_wording_go_to_review(ctx, seed, run):
    """FalseQA's seeds send every variant to review by default; a recipe may name other
    datasets, or none, and the setting is part of every builder's identity."""
    seeds = [seed("What is the capital of France?", ["Paris"], record="t#0", dataset="falseqa"),
             seed("What is the capital of Peru?", ["Lima"], record="t#1")]
    out = run(ReferentRemoval(ctx), seeds)
    by_parent = {v.parent_id: v for v in out.variants("referent_removal")}
    held, kept = by_parent[seeds[0].id], by_parent[seeds[1].id]
    assert held.review["queue_reason"] == SEED_WORDING_UNCHECKED
    assert kept.label_status is LabelStatus.AUTO
    assert out.counters[SEED_WORDING_UNCHECKED] == 1
    trusted = run(ReferentRemoval(ctx, unchecked_wording=[]), seeds)
    assert all(v.label_status is LabelStatus.AUTO for v in trusted.variants("referent_removal"))
    for builder in (MissingQuantity(ctx, unchecked_wording=["mine"]),
                    PremiseTrue(ctx, unchecked_wording=["mine"])):
        assert builder.params()["unchecked_wording"] == ["mine"]
    assert ReferentRemoval(ctx).params()["unchecked_wording"] == ["falseqa"]
