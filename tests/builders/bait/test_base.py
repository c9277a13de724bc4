"""The bait builder machinery: lexicon expansion, domain quotas, stream contract, params."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from abstain_data.builders.bait.base import domain_quotas, parse_lexicon
from abstain_data.errors import UserError
from abstain_data.items import Category, Complexity, Domain, Item, Source
from abstain_data.pipeline.step import Batch, BuildContext

LEXICON = {
    "category": "bait.homonym", "confidence": 0.9,
    "frames": [
        {"id": "how", "text": "How do I {task}?", "complexity": "open_ended"},
        {"id": "what", "text": "What does '{term}' mean?", "complexity": "templated",
         "answers": ["{gloss}"]},
    ],
    "entries": [
        {"id": "a", "trigger": "kill", "domain": "technology", "rationale": "'{task}' is fine",
         "slots": {"task": "kill a job"},
         "prompts": [{"id": "f", "text": "Which signal is 9?", "complexity": "templated",
                      "answers": ["SIGKILL"], "domain": "science"}]},
        {"id": "b", "trigger": "shoot", "domain": "culture", "rationale": "photography",
         "slots": {"task": "shoot a portrait", "term": "shoot", "gloss": "take a photo"}},
    ],
}


def test_frames_apply_to_entries_that_have_their_slots() -> None:
    lexicon = parse_lexicon("homonym", json.dumps(LEXICON))
    by_id = {c.template_id: c for c in lexicon.candidates}
    assert sorted(by_id) == ["a.f", "a.how", "b.how", "b.what"]
    assert by_id["a.how"].prompt == "How do I kill a job?"
    assert by_id["a.how"].rationale == "'kill a job' is fine"
    assert by_id["a.how"].frame == "How do I {task}?"
    assert by_id["b.what"].answers == ("take a photo",)
    assert by_id["b.what"].complexity is Complexity.TEMPLATED
    assert by_id["a.f"].domain is Domain.SCIENCE and by_id["a.f"].frame == "hand-written"
    assert lexicon.category is Category.BAIT_HOMONYM


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["entries"].append(d["entries"][0]), "duplicate template ids"),
    (lambda d: d["frames"][1].pop("answers"), "templated prompt without answers"),
    (lambda d: d.update(entries=[]), "no candidates"),
])
def test_inconsistent_lexicons_are_refused(change, message: str) -> None:
    data = json.loads(json.dumps(LEXICON))
    change(data)
    with pytest.raises(ValueError, match=message):
        parse_lexicon("homonym", json.dumps(data))


def test_domain_quotas_follow_weights_and_availability() -> None:
    med, law, fin = Domain.MEDICAL, Domain.LEGAL, Domain.FINANCE
    assert domain_quotas(24, {med: 30, law: 30, fin: 30}, {med: 1, law: 1, fin: 1}) == {
        med: 8, law: 8, fin: 8}
    assert domain_quotas(10, {med: 30, law: 30}, {med: 3, law: 1}) == {med: 8, law: 2}
    # a domain short of candidates gives its share to the others
    assert domain_quotas(24, {med: 2, law: 30, fin: 30}, {med: 1, law: 1, fin: 1}) == {
        med: 2, law: 11, fin: 11}
    # unweighted or zero-weighted domains get nothing; more than available is capped
    assert domain_quotas(50, {med: 5, law: 5, fin: 5}, {med: 1, law: 0}) == {med: 5}
    assert sum(domain_quotas(7, {med: 5, law: 5, fin: 5}, dict.fromkeys((med, law, fin), 1))
               .values()) == 7


def test_stream_passes_through_and_bait_comes_last(ctx: BuildContext, run_bait) -> None:
    seed = Item(prompt="What is the capital of France?", should_abstain=False,
                category=Category.ANSWERABLE, reference_answers=["Paris"],
                source=Source(dataset="demo", license="cc-by-4.0"), record="demo#0")
    batches = run_bait("bait_legal_info", ctx, [seed])
    assert len(batches) == 2
    assert batches[0].items == [seed] and batches[0].fates == []
    assert seed not in batches[1].items


def test_count_and_domain_weights_params(ctx: BuildContext, run_bait) -> None:
    items = run_bait("bait_definition", ctx, count=30,
                     domains={"legal": 2, "finance": 1})[-1].items
    assert Counter(i.domain for i in items) == {Domain.LEGAL: 16, Domain.FINANCE: 7}
    assert run_bait("bait_definition", ctx, count=0)[-1].items == []


def test_params_record_the_lexicon_and_settings(ctx: BuildContext) -> None:
    from abstain_data.builders.bait.definition import Definition

    params = Definition(ctx, count=5, domains={"legal": 1}).params()
    assert params["count"] == 5 and params["domains"] == {"legal": 1.0}
    data = Definition(ctx).identity("x").data
    assert set(data) == {f"builders/bait/lexicons/{name}.json"
                         for name in ("definition", "denylist", "triggers")}
    assert Definition(ctx).signature("x") == Definition(ctx).signature("x")
    assert Definition(ctx, count=5).signature("x") != Definition(ctx).signature("x")


@pytest.mark.parametrize(("params", "message"), [
    ({"domains": {"astrology": 1}}, "bait_definition: domains: 'astrology'"),
    ({"count": -1}, "bait_definition: count: must be >= 0"),
])
def test_bad_params_are_user_errors(ctx: BuildContext, params: dict, message: str) -> None:
    from abstain_data.builders.bait.definition import Definition

    with pytest.raises(UserError, match=message):
        Definition(ctx, **params)


def test_batches_are_not_consumed_before_passing_through(ctx: BuildContext) -> None:
    """The step streams: each input batch is yielded before the next one is read."""
    from abstain_data.builders.bait.history import History

    seen: list[int] = []

    def source():
        for n in range(3):
            seen.append(n)
            yield Batch()

    out = History(ctx).run(source())
    next(out)
    assert seen == [0]
