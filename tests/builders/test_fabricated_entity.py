"""Fabricated entity: an invented name of the same kind, unseen in the build and gazetteer."""

from __future__ import annotations

import json

from abstain_data.builders.fabricated_entity import FabricatedEntity
from abstain_data.items import Category, normalize_key


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
               "first_names": ["Jack"], "frames": {"GPE": ["{name}"], "PERSON": ["{first} {name}"]}}
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
    builder.prepare([other], {})
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
