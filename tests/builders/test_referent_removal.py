"""Referent removal: the specifying entity replaced by a vague phrase of its kind."""

from __future__ import annotations

from random import Random

from abstain_data.builders.base import load_lexicon
from abstain_data.builders.referent_removal import FRAMES, ReferentRemoval, lead_in
from abstain_data.items import Category, Domain, LabelStatus
from abstain_data.pipeline.step import BuildContext


def question(variant):
    """The variant's question, without the lead-in some variants open with."""
    lead = variant.transform.params["lead_in"]
    assert not lead or variant.prompt.startswith(lead + " ")
    return variant.prompt.removeprefix(lead + " ") if lead else variant.prompt


def test_country_replaced_by_vague_place(ctx, seed, run):
    (variant,) = run(ReferentRemoval(ctx),
                     [seed("What is the capital of France?", ["Paris"])]).variants(
                         "referent_removal")
    phrase = variant.transform.params["with"]
    assert phrase in load_lexicon("vague_nps.json")["country"]["object"]
    assert question(variant) == f"What is the capital of {phrase}?"
    assert variant.category is Category.UNDER_INTENT
    assert variant.label_status is LabelStatus.AUTO


def test_person_subject_may_become_a_pronoun(ctx, seed, run):
    out = run(ReferentRemoval(ctx), [seed("When was Marie Curie born?", ["1867"])])
    prompt = question(out.variants("referent_removal")[0])
    assert "Marie Curie" not in prompt
    assert prompt in {f"When was {phrase} born?"
                      for phrase in load_lexicon("vague_nps.json")["person"]["subject"]}


def test_other_names_left_in_the_question_send_it_to_review(ctx, seed, run):
    parent = seed("Which Greek philosopher tutored Alexander the Great in Greece?",
                  ["Aristotle"])
    (variant,) = run(ReferentRemoval(ctx), [parent]).variants("referent_removal")
    assert variant.label_status is LabelStatus.NEEDS_REVIEW
    assert variant.review["queue_reason"] == "referent_remains"


def test_possessive_pronoun_for_a_possessive_name(ctx, seed, run):
    builder = ReferentRemoval(ctx)
    builder.vague["person"]["possessive"] = ["his"]
    (variant,) = run(builder, [seed("What was Albert Einstein's most famous equation?",
                                    ["E = mc2"])]).variants("referent_removal")
    assert question(variant) == "What was his most famous equation?"


def test_object_position_never_gets_a_bare_pronoun(ctx, seed, run):
    builder = ReferentRemoval(ctx)
    builder.vague["person"]["object"] = ["he", "she"]
    out = run(builder, [seed("Who taught Alexander Graham Bell?", ["his father"])])
    assert out.variants("referent_removal") == [] and out.counters["seeds_seen"] == 1


def test_lone_name_never_becomes_a_pronoun_and_quotes_stay(ctx, seed, run):
    builder = ReferentRemoval(ctx)
    out = run(builder, [seed("Which perfume did Madonna launch?", ["x"], record="t#0"),
                        seed('Who sang "Locked Away" in 2015?', ["x"], record="t#1")])
    prompts = [question(v) for v in out.variants("referent_removal")]
    assert not any(p.split()[-2] in ("he", "she") for p in prompts[:1])
    assert all(p.count('"') in (0, 2) for p in prompts)


def test_a_name_that_only_modifies_a_noun_is_kept(ctx, seed, run):
    out = run(ReferentRemoval(ctx), [seed("Which U.S. state is the farthest east?", ["Maine"])])
    assert all("U.S." in v.prompt or "state" not in v.prompt
               for v in out.variants("referent_removal"))
    assert not any("this place state" in v.prompt or "that country state" in v.prompt
                   for v in out.variants("referent_removal"))


def test_phrases_read_like_people_write_them(ctx, seed, run):
    countries = ["France", "Kenya", "Peru", "Chile", "Ghana", "Norway", "Japan", "Egypt"]
    parents = [seed(f"What is the capital of {c}?", ["x"], record=f"t#{k}")
               for k, c in enumerate(countries)]
    phrases = [v.transform.params["with"]
               for v in run(ReferentRemoval(ctx), parents).variants("referent_removal")]
    assert len(phrases) == len(countries) and len(set(phrases)) >= 3
    assert not any("in question" in p for p in phrases)


def test_a_place_after_in_becomes_there(ctx, seed, run):
    builder = ReferentRemoval(ctx)
    builder.vague["country"]["there"] = ["there"]
    (variant,) = run(builder, [seed("What language do they speak in Peru?", ["Spanish"])]
                     ).variants("referent_removal")
    assert question(variant) == "What language do they speak there?"


def test_a_name_inside_a_longer_name_is_never_replaced(ctx, seed, run):
    parents = [seed("Who hit the first home run in the Houston Astrodome?", ["Mickey Mantle"],
                    record="t#0"),
               seed("Who made the poppies at the Tower of London?", ["Paul Cummins"],
                    record="t#1"),
               seed("Which Balkan country is farthest from the sea?", ["Serbia"], record="t#2")]
    out = run(ReferentRemoval(ctx), parents)
    assert [v for v in out.variants("referent_removal")
            if v.label_status is LabelStatus.AUTO] == []


def test_the_rest_of_the_question_still_identifies_the_referent(ctx, seed, run):
    parents = [seed("When was Harry Potter and the Philosopher's Stone published?", ["1997"],
                    record="t#0"),
               seed("Where is Wake Forest located in North Carolina?", ["Winston-Salem"],
                    record="t#1")]
    out = run(ReferentRemoval(ctx), parents)
    assert [v for v in out.variants("referent_removal")
            if v.label_status is LabelStatus.AUTO] == []


def test_a_mislabelled_thing_is_never_treated_as_a_person(ctx, seed, run):
    # spaCy's small model calls this sauce a PERSON
    out = run(ReferentRemoval(ctx), [seed("Sauce Bigarade is made with which fruit?",
                                          ["Seville orange"])])
    assert out.variants("referent_removal") == []


def test_a_person_is_he_or_she_only_when_the_question_says_so(ctx, seed, run):
    vague = load_lexicon("vague_nps.json")
    plain, cued = run(ReferentRemoval(ctx), [
        seed("What was Albert Einstein's most famous equation?", ["E = mc2"], record="t#0"),
        seed("What did Marie Curie discover before her husband died?", ["radium"],
             record="t#1"),
    ]).variants("referent_removal")
    assert plain.transform.params["with"] in vague["person"]["possessive"]
    assert cued.transform.params["with"] in vague["woman"]["subject"]


def test_a_phrase_repeating_a_noun_of_the_question_is_never_chosen(ctx, seed, run):
    out = run(ReferentRemoval(ctx), [
        seed("When did Uganda become an independent country?", ["1962"], record="t#0"),
        seed("Which part of the city in Beijing is the oldest?", ["Xicheng"], record="t#1"),
    ])
    (variant,) = out.variants("referent_removal")  # every phrase for Uganda says "country"
    assert question(variant) in {"Which part of the city in my town is the oldest?",
                                 "Which part of the city in our town is the oldest?"}


def test_many_variants_open_like_their_twins_without_naming_one(ctx, seed, run):
    countries = ["France", "Kenya", "Peru", "Chile", "Ghana", "Norway", "Japan", "Egypt",
                 "Spain", "Italy", "Cuba", "Nepal"]
    parents = [seed(f"What is the capital of {c}?", ["x"], record=f"t#{k}")
               for k, c in enumerate(countries)]
    variants = run(ReferentRemoval(ctx), parents).variants("referent_removal")
    fillers = load_lexicon("referent_lead_ins.json")
    leads = [v.transform.params["lead_in"] for v in variants]
    assert sum(bool(lead) for lead in leads) >= len(leads) // 3
    frames = {f for group in FRAMES.values() for f in group}
    allowed = {f.format(x=x) for f in frames for table in (fillers["home"], fillers["topic"])
               for x in table["country"]}
    allowed |= {f.format(x=f"the {a} of {x}") for f in frames for a in ("history", "geography",
                                                                         "culture")
                for x in fillers["topic"]["country"]}
    for variant, lead in zip(variants, leads, strict=True):
        assert not lead or lead in allowed, lead
        assert variant.transform.params["replaced"] not in variant.prompt


def test_no_region_where_it_could_settle_the_question():
    fillers = load_lexicon("referent_lead_ins.json")
    regions = {x for table in (fillers["home"], fillers["topic"]) for places in table.values()
               if isinstance(places, list) for x in places}
    for k in range(30):
        rng = Random(k)
        # "there" would point at the region; "here" at the speaker's region
        there = lead_in(fillers, "country", "there", "What language do they speak there?", rng)
        assert there is None or not any(r in there for r in regions)
        assert lead_in(fillers, "city", "here", "How many people live here?", rng) is None
        # the region would decide these
        assert lead_in(fillers, "city", "my city", "What language is spoken in my city?",
                       rng) is None
        assert lead_in(fillers, "country", "my country", "Which continent is my country on?",
                       rng) is None
        # another place in the question: a subject, no region
        other = lead_in(fillers, "country", "my country",
                        "Which city is in my country, London or Cleveland?", rng,
                        regions=False)
        assert other is None or not any(r in other for r in regions)
        # a region the question already names is not used
        named = lead_in(fillers, "city", "that city", "Is that city in Texas?", rng)
        assert named is None or "Texas" not in named


def test_a_question_about_the_speaker_gets_a_plain_lead_in():
    fillers = load_lexicon("referent_lead_ins.json")
    leads = {lead_in(fillers, "state", "the state", "I was injured at work in the state last "
                     "week; how long do I have to report it?", Random(k)) for k in range(40)}
    assert leads - {None} and all(lead is None or lead in {
        "This is about a state in the US.", "I'm asking about a state in the US."}
        for lead in leads)


def test_advice_and_there_variants_open_with_no_lead_in(ctx, seed, run):
    # a blind review (r21) answered "I'm asking about a state in the US. I am 17 years old and
    # live there; can I sign a binding lease?" (no state lets a minor) and flagged "I'm doing a
    # school project on the history of the world. There, how many days ..."
    states = ["Texas", "Ohio", "Florida", "Oregon", "Nevada", "Utah", "Iowa", "Maine"]
    advice = [seed(f"I am 17 years old and live in {s}; can I sign a binding lease?", ["no"],
                   record=f"a#{k}", domain=Domain.LEGAL) for k, s in enumerate(states)]
    places = [seed(f"In {s}, how many days does a landlord have to return a deposit?", ["x"],
                   record=f"p#{k}") for k, s in enumerate(states)]
    variants = run(ReferentRemoval(ctx), advice + places).variants("referent_removal")
    by_parent = {v.parent_id: v for v in variants}
    assert all(by_parent[p.id].transform.params["lead_in"] == ""
               for p in advice if p.id in by_parent)
    there = [v for v in variants if "there" in v.transform.params["with"].lower().split()]
    assert there and all(v.transform.params["lead_in"] == "" for v in there)


def test_a_province_is_a_province_and_living_there_is_not_living_in_my_country(ctx, seed, run):
    # a blind review (r22) flagged the twins "I'm from Ontario. My landlord in my state ..." and
    # "I live in England. I live in my country and ..."
    for k in range(8):
        province = seed("My landlord in Ontario wants to raise my rent; is that allowed?", ["x"],
                        record=f"o#{k}")
        living = seed("I live in England and my employer dismissed me; can I claim unfair "
                      "dismissal?", ["x"], record=f"e#{k}")
        variants = run(ReferentRemoval(BuildContext(seed=k)), [province, living]
                       ).variants("referent_removal")
        for v in variants:
            words = question(v).split()
            assert "state" not in words, v.prompt
            assert "live in my country" not in question(v), v.prompt
