"""Fabricated entity: an invented name of the same kind, unseen in the build and gazetteer."""

from __future__ import annotations

import json
from random import Random

from abstain_data.builders.fabricated_entity import (
    FabricatedEntity,
    NameModel,
    grams,
    pronounceable,
)
from abstain_data.items import Category, normalize_key

from .conftest import WalkedDocs


def test_invented_place_replaces_the_country(ctx, seed, run):
    parent = seed("What is the capital of France?", ["Paris"])
    out = run(FabricatedEntity(ctx), [parent])
    (variant,) = out.variants("fabricated_entity")
    name = variant.transform.params["with"]
    assert variant.category is Category.ENTITY_FABRICATED
    assert variant.prompt == f"What is the capital of {name}?"
    assert variant.label_status.value == "auto"
    assert "France" not in variant.prompt and name in variant.rationale


def test_invented_person_is_first_name_plus_invented_surname(ctx, seed, run):
    parent = seed("In what year was Albert Einstein born?", ["1879"])
    (variant,) = run(FabricatedEntity(ctx), [parent]).variants("fabricated_entity")
    first, surname = variant.transform.params["with"].split()
    assert variant.prompt == f"In what year was {first} {surname} born?"


def test_real_entity_planted_as_fabricated_is_rejected(ctx, seed, run, tmp_path):
    # a syllable lexicon that can only spell "London": a real city of the gazetteer
    lexicon = {"onsets": ["Lon"], "middles": ["d"], "codas": ["on"],
               "first_names": ["Jack"]}
    path = tmp_path / "syllables.json"
    path.write_text(json.dumps(lexicon), encoding="utf-8")
    parent = seed("What is the capital of France?", ["Paris"])
    out = run(FabricatedEntity(ctx, syllables=str(path)), [parent])
    assert out.variants("fabricated_entity") == []
    (fate,) = out.fates
    assert fate.detail == "gate:name_seen"
    assert fate.record == "fabricated_entity:t#0#0"
    assert out.counters["rejected:gate:name_seen"] == 1


def test_name_seen_in_the_stream_is_caught(ctx, seed, run):
    builder = FabricatedEntity(ctx)
    other = seed("Who founded Quorvell Mining?", ["Ada Quorvell"], record="t#1")
    builder.prepare([other], WalkedDocs({}))
    assert builder.name_seen("the Quorvell Institute", "Quorvell") is not None
    assert builder.name_seen("Paris", "Paris") is not None
    assert builder.name_seen("Brenna Ysilune", "Ysilune") is None


def test_every_seed_gets_an_invented_country(ctx, seed, run):
    parents = [seed(f"Who was the first president of {c}?", ["x"], record=f"t#{k}")
               for k, c in enumerate(["France", "Kenya", "Peru", "Chile", "Ghana"])]
    out = run(FabricatedEntity(ctx), parents)
    names = [v.transform.params["with"] for v in out.variants("fabricated_entity")]
    assert len(names) == 5
    assert not {normalize_key(n) for n in names} & {"france", "kenya", "peru", "chile", "ghana"}


def test_other_names_left_in_the_question_send_it_to_review(ctx, seed, run):
    # inventing the city leaves the conference and coach that identify the team
    parent = seed("What team in the conference based in Irving was coached by Randy Mazey?",
                  ["West Virginia"])
    (variant,) = run(FabricatedEntity(ctx), [parent]).variants("fabricated_entity")
    assert variant.label_status.value == "needs_review"
    assert variant.review["queue_reason"] == "other_names"


def test_a_title_noun_decides_the_kind_and_the_verb_stays(ctx, seed, run):
    # spaCy's small model calls Jaws a PERSON; "the movie" says it is a work
    (variant,) = run(FabricatedEntity(ctx), [seed("When did the movie Jaws come out?",
                                                  ["1975"])]).variants("fabricated_entity")
    assert variant.transform.params["label"] == "WORK_OF_ART"
    assert variant.prompt.startswith("When did the movie ") and variant.prompt.endswith(
        " come out?")
    assert "Jaws" not in variant.prompt


def test_invented_names_keep_the_shape_of_the_real_name(ctx, seed, run):
    parents = [seed("When was Harvard University founded?", ["1636"], record="t#0"),
               seed("Which university is the oldest in the country?", ["x"], record="t#1")]
    out = run(FabricatedEntity(ctx), parents)
    (variant,) = out.variants("fabricated_entity")
    name = variant.transform.params["with"]
    assert name.endswith(" University") and "Harvard" not in name
    assert variant.prompt == f"When was {name} founded?"


def test_invented_words_come_from_the_build_names_but_copy_none(ctx):
    real = ["Albania", "Algeria", "Argentina", "Armenia", "Australia", "Austria", "Belgium",
            "Bolivia", "Brazil", "Bulgaria", "Cambodia", "Cameroon", "Canada", "Colombia",
            "Croatia", "Denmark", "Ecuador", "Estonia", "Ethiopia", "Finland", "Germany",
            "Hungary", "Iceland", "Indonesia", "Jamaica", "Lithuania", "Madagascar",
            "Malaysia", "Mongolia", "Morocco", "Nigeria", "Norway", "Pakistan", "Romania"]
    model = NameModel(real)
    rng = Random(3)
    words = [w for w in (model.sample(rng) for _ in range(30)) if w]
    assert all(6 <= len(w) <= 10 and w[0].isupper() for w in words)
    real_grams = set().union(*(grams(w) for w in real))
    assert not any(grams(w) & real_grams for w in words)
    assert len(set(words)) >= 12
    assert all(pronounceable(w) for w in words)


def test_unpronounceable_words_are_not_names():
    assert not any(pronounceable(w) for w in ("Mdfongs", "Rclamti", "Forafc"))
    assert all(pronounceable(w) for w in ("Kenvell", "Brandor", "Osmira"))


def test_a_fabricated_name_in_a_long_descriptive_question_goes_to_review(ctx, seed, run):
    # the rest of the question describes the answer (Tidal) whatever the book is called
    parent = seed("On which platform which The Book of Chad was made available is a "
                  "subscription-based music streaming service that combines lossless audio and "
                  "high-definition music videos with exclusive content?", ["Tidal"])
    for variant in run(FabricatedEntity(ctx), [parent]).variants("fabricated_entity"):
        assert variant.label_status.value == "needs_review"


def test_an_invented_word_that_looks_like_a_real_name_is_refused(ctx, seed):
    builder = FabricatedEntity(ctx)
    builder.prepare([seed("Where is Gambia?", ["Africa"])], WalkedDocs({}))
    assert "'gambia'" in builder.name_seen("Jambia", "Jambia")
    assert builder.name_seen("Quelvarth", "Quelvarth") is None


def test_a_member_of_a_list_or_choice_is_never_replaced(ctx, seed, run):
    out = run(FabricatedEntity(ctx), [
        seed("Which magazine has more issues per month, Club or Pro Football Weekly?", ["x"])])
    assert out.variants("fabricated_entity") == []


def test_words_that_still_identify_the_answer_send_it_to_review(ctx, seed, run):
    parent = seed("Greenburst, Zohar, Munchkin and Kong are all varieties of which flower?",
                  ["sunflower"])
    for variant in run(FabricatedEntity(ctx), [parent]).variants("fabricated_entity"):
        assert variant.label_status.value == "needs_review"


def test_a_person_keeps_a_title_or_a_first_name_of_the_build(ctx, seed, run):
    """No "Mrs Kegernan" for Charles Darwin, no "Danny Xuesles" for Mrs Lovatt."""
    prompts = ["When did Mrs Smith die?", "Where did Mrs Jones live?",
               "What did Mrs Lovatt bake?", "When did Charles Darwin die?",
               "Where did Charles Dickens live?", "What did Charles Babbage build?"]
    seeds = [seed(p, ["x"], record=f"t#{k}") for k, p in enumerate(prompts)]
    variants = run(FabricatedEntity(ctx), seeds).variants("fabricated_entity")
    firsts = {v.transform.params["replaced"].split()[0]: v.transform.params["with"].split()[0]
              for v in variants}
    assert firsts == {"Mrs": "Mrs", "Charles": "Charles"}


def test_a_one_word_name_opening_the_question_is_not_varied(ctx, seed, run):
    parent = seed("Photophobia is extreme sensitivity to, or fear of, what?", ["light"])
    assert not run(FabricatedEntity(ctx), [parent]).variants("fabricated_entity")


def test_an_invented_word_does_not_open_like_a_real_one():
    real = ["Japan", "Uganda", "Russia", "Egypt", "Kenya", "Chile", "Norway", "Peru", "Mali",
            "Oman", "Nepal", "Spain", "Italy", "Cuba", "Ghana", "Sudan", "Syria", "Tonga"]
    model = NameModel(real)
    words = [w for w in (model.sample(Random(k)) for k in range(40)) if w]
    assert words
    assert not {w[:4].lower() for w in words} & {r[:4].lower() for r in real}


def test_prepare_walks_the_seeds_parses_once(ctx, seed):
    seeds = [seed(q, ["x"], record=f"t#{k}") for k, q in enumerate(
        ["When was John Smith born?", "Where did John Miller live?", "Where is Quorvell?"])]
    parsed = ctx.nlp.pipe(s.prompt for s in seeds)
    docs = WalkedDocs({s.record: doc for s, doc in zip(seeds, parsed, strict=True)})
    builder = FabricatedEntity(ctx)
    builder.prepare(seeds, docs)
    assert (docs.walks, docs.lookups) == (1, 0)
    assert builder.first_names == {"John"}
    assert builder.votes["John Smith"]["PERSON"] == 1
