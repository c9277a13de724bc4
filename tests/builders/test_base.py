"""The builder base over the demo corpus: pairing, fates, counters, determinism, the build."""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter

import pytest

from abstain_data.build import make_sources, run_build
from abstain_data.builders import base, builder_class
from abstain_data.builders.base import (
    SeedDocs,
    apply_edits,
    entity_bounds,
    is_seed,
    parse,
    remembered_seed_problems,
)
from abstain_data.builders.future_shift import FutureShift
from abstain_data.builders.seed_fluency import seed_problem
from abstain_data.items import Category, Item, LabelStatus, Source, pair_id_for
from abstain_data.pipeline.executor import WorkerPool
from abstain_data.pipeline.runner import Runner
from abstain_data.pipeline.step import BuildContext
from abstain_data.recipe import load_recipe

NINE = ("context_swap", "entity_swap", "negation", "fabricated_entity", "future_shift",
        "referent_removal", "premise_corruption", "missing_quantity", "missing_specifics")
CATEGORIES = {builder_class(name).category for name in NINE}


def build_demo(batch_size: int, workers: int, reverse: bool = False) -> list[dict]:
    """The nine builders over the demo sources (fresh spaCy docs: a parse store of its own),
    items as schema dicts."""
    recipe = load_recipe()
    ctx = BuildContext(seed=recipe.seed, reference_year=recipe.reference_year, workers=workers,
                       parse_dir=tempfile.mkdtemp(prefix="abstain-parses-"))
    sources = make_sources(recipe)
    if reverse:
        sources.reverse()
    steps = [builder_class(name)(ctx) for name in NINE]
    result = Runner(batch_size=batch_size, workers=workers).run(sources, steps)
    return sorted((item.to_dict() for item in result.items), key=lambda d: d["id"])


@pytest.fixture(scope="module")
def demo_512() -> list[dict]:
    return build_demo(512, 1)


def test_every_category_with_its_twin(demo_512):
    by_id = {d["id"]: d for d in demo_512}
    made = Counter(d["category"] for d in demo_512 if d["transform"])
    assert set(made) == {c.value for c in CATEGORIES}
    for d in demo_512:
        if d["transform"] is None:
            continue
        parent = by_id[d["parent_id"]]
        assert parent["category"] == "answerable" and not parent["should_abstain"]
        assert d["pair_id"] == parent["pair_id"] == pair_id_for(parent["id"])
        assert d["should_abstain"] and d["reference_answers"] == [] and d["rationale"]
        assert d["transform"]["seed"] == 13 and d["transform"]["builder_version"].startswith("0.")
        assert d["label_status"] in ("auto", "needs_review")
        assert (d["review"] is not None) == (d["label_status"] == "needs_review")


def test_identical_for_batch_sizes_workers_and_order(demo_512):
    assert build_demo(7, 1) == demo_512
    assert build_demo(1, 2) == demo_512
    assert build_demo(512, 2, reverse=True) == demo_512


def test_identical_when_the_stream_is_varied_a_few_seeds_at_a_time(demo_512, monkeypatch):
    monkeypatch.setattr(base, "WINDOW_SEEDS", 3)  # many windows, seeds and copies across them
    assert build_demo(5, 1) == demo_512
    assert build_demo(64, 2) == demo_512


def test_a_builder_forks_its_workers_once_for_all_its_windows(demo_512, monkeypatch):
    monkeypatch.setattr(base, "WINDOW_SEEDS", 3)  # scores of windows in every builder
    monkeypatch.setattr(base, "MIN_CHUNK", 1)  # each window's three seeds spread over workers
    forked: list[WorkerPool] = []
    fork = WorkerPool._fork

    def counted(pool: WorkerPool):  # noqa: ANN202 - the real fork, recorded
        forked.append(pool)
        return fork(pool)

    monkeypatch.setattr(WorkerPool, "_fork", counted)
    assert build_demo(64, 2) == demo_512
    # a pool for each builder's seeds and one for each prepare that reads parses (12), not
    # one a window (48 when each window forked its own)
    assert len(NINE) <= len(forked) <= 2 * len(NINE)


def test_identical_when_windows_are_cut_by_items(demo_512, monkeypatch):
    monkeypatch.setattr(base, "WINDOW_ITEMS", 5)  # a window of one batch of five items
    assert build_demo(5, 1) == demo_512


def test_seeds_and_pass_through(ctx, seed, run):
    parent = seed("Who won the 2010 FIFA World Cup?", ["Spain"], record="t#0")
    bait = Item(prompt="How do I kill a Python process?", should_abstain=False,
                category=Category.BAIT_HOMONYM, source=parent.source, record="t#1")
    out = run(FutureShift(ctx), [parent, bait])
    variant = out.variants("future_shift")[0]
    assert [i.record for i in out.items] == ["t#0", "future_shift:t#0#0", "t#1"]
    assert out.items[0].pair_id == pair_id_for(parent.id) and out.items[0].id == parent.id
    assert out.items[2] is bait
    assert not is_seed(variant) and not is_seed(bait) and is_seed(parent)
    # a variant is never varied again, nor a seed this builder already varied
    again = run(FutureShift(ctx), out.items)
    assert again.items == out.items
    assert again.counters["seeds_seen"] == 0
    assert out.counters == Counter({"seeds_seen": 1, "variants_made": 1, "auto": 1})


def test_a_builder_forgets_what_prepare_built_once_it_has_run(ctx, seed, run):
    for name in ("entity_swap", "premise_corruption"):  # the second replaces __init__'s dicts
        builder = builder_class(name)(ctx)
        made = dict(vars(builder))
        run(builder, [seed("Who was the first president of France?", ["Charles de Gaulle"])])
        assert vars(builder) == made, name


def test_duplicate_seed_rows_get_one_variant_and_both_the_pair_id(ctx, seed, run):
    first = seed("Who won the 2010 FIFA World Cup?", ["Spain"], record="b#7")
    copy = seed("Who won the 2010 FIFA World Cup?", ["Spain"], record="a#3")
    out = run(FutureShift(ctx), [first, copy])
    (variant,) = out.variants("future_shift")
    assert variant.record == "future_shift:a#3#0"
    assert [i.record for i in out.items] == ["b#7", "a#3", "future_shift:a#3#0"]
    assert {i.pair_id for i in out.items} == {pair_id_for(first.id)}
    assert out.counters["seeds_seen"] == 1


def test_a_copy_the_builder_does_not_accept_still_gets_its_seeds_pair_id(ctx, seed, run,
                                                                          monkeypatch):
    class AnsweredOnly(FutureShift):
        name = "answered_only"

        def accepts(self, item):
            return bool(item.reference_answers) and super().accepts(item)

    monkeypatch.setattr(base, "WINDOW_SEEDS", 1)
    copy = seed("Who won the 2010 FIFA World Cup?", ["Spain"], record="b#0")
    copy.reference_answers = []  # the same content id: answers are not part of it
    first = seed("Who won the 2010 FIFA World Cup?", ["Spain"], record="a#0")
    out = run(AnsweredOnly(ctx), [copy, first], batch_size=1)
    assert [i.record for i in out.items] == ["b#0", "a#0", "answered_only:a#0#0"]
    assert out.items[0].pair_id == out.items[1].pair_id == pair_id_for(first.id)


def test_a_copy_ahead_of_its_seed_in_another_window_gets_the_pair_id(ctx, seed, run,
                                                                     monkeypatch):
    monkeypatch.setattr(base, "WINDOW_SEEDS", 1)
    copy = seed("Who won the 2010 FIFA World Cup?", ["Spain"], record="b#7")
    other = seed("Who won the 2014 FIFA World Cup?", ["Germany"], record="b#8")
    first = seed("Who won the 2010 FIFA World Cup?", ["Spain"], record="a#3")
    out = run(FutureShift(ctx), [copy, other, first], batch_size=1)
    assert [i.record for i in out.items] == ["b#7", "b#8", "future_shift:b#8#0", "a#3",
                                             "future_shift:a#3#0"]
    assert out.items[0].pair_id == out.items[3].pair_id == pair_id_for(first.id)
    assert out.counters["seeds_seen"] == 2


def test_rejected_variant_leaves_parent_unpaired(ctx, seed, run):
    parent = seed("Which team won the 2010 World Cup in the the final?", ["Spain"])
    out = run(FutureShift(ctx), [parent])
    assert out.items == [parent] and out.items[0].pair_id is None
    (fate,) = out.fates
    assert (fate.record, fate.detail, fate.step) == (
        "future_shift:t#0#0", "gate:doubled_word", "future_shift")
    assert out.counters["rejected:gate:doubled_word"] == 1


def test_needs_review_items_carry_the_gate(ctx, seed, run):
    out = run(FutureShift(ctx), [seed("Which team had won the cup by 1990?", ["Germany"])])
    (variant,) = out.variants("future_shift")
    assert variant.label_status is LabelStatus.NEEDS_REVIEW
    assert variant.review["queue_reason"] == "tense" and variant.review["detail"]
    assert out.counters["needs_review"] == 1


def test_parse_reuses_docs(ctx):
    first = parse(ctx, ["Who wrote Hamlet?", "Who wrote Hamlet?"])
    assert first[0] is first[1] is parse(ctx, ["Who wrote Hamlet?"])[0]


def test_a_seed_is_checked_for_fluency_once_per_process_and_setting(ctx, seed, monkeypatch):
    seeds = [seed("Where does the pilot whales live?", ["x"], record="f#0"),
             seed("Who wrote Hamlet?", ["Shakespeare"], record="f#1"),
             seed("Who wrote Hamlet?", ["Shakespeare"], "Hamlet is a play.", record="f#2")]
    monkeypatch.setattr(base, "_SEED_PROBLEMS", {})
    expected = [seed_problem(ctx.nlp(s.prompt), ctx.nlp, 2.0, bool(s.context)) for s in seeds]
    assert expected[0] is not None and expected[1] is None
    assert remembered_seed_problems(ctx, seeds, 2.0) == expected
    # a second builder with the same setting parses nothing again; another setting does
    parsed: list[list[str]] = []
    monkeypatch.setattr(base, "parse", lambda c, texts: parsed.append(texts) or
                        [c.nlp(t) for t in texts])
    assert remembered_seed_problems(ctx, seeds, 2.0) == expected
    assert parsed == [[]]
    remembered_seed_problems(ctx, seeds[:1], 1.0)
    assert parsed == [[], [seeds[0].prompt]]


def test_entity_bounds_drop_quotes_and_possessive(ctx):
    doc = ctx.nlp("How did Mark Antony's wife die?")
    (ent,) = [e for e in doc.ents if e.label_ == "PERSON"]
    start, end = entity_bounds(ent)
    assert ent.text == "Mark Antony's" and doc.text[start:end] == "Mark Antony"
    doc = ctx.nlp('What Dreams Are Made Of included "Locked Away" performed by a singer?')
    (ent,) = [e for e in doc.ents if e.label_ == "WORK_OF_ART"]
    start, end = entity_bounds(ent)
    assert ent.text == '"Locked Away' and doc.text[start:end] == "Locked Away"
    doc = ctx.nlp("Who was prime minister when the Second World War ended in Europe?")
    (ent,) = [e for e in doc.ents if e.label_ == "EVENT"]
    start, end = entity_bounds(ent)
    assert ent.text == "the Second World War ended"
    assert doc.text[start:end] == "the Second World War"


def test_apply_edits_tidies_the_seams():
    text = "In California, how long is it ?"
    assert apply_edits(text, [(0, 14, "")]) == "How long is it?"
    assert apply_edits("a b c", [(0, 1, "x"), (4, 5, "z")]) == "X b z"


def test_default_build_has_every_category_and_stats(tmp_path):
    summary = run_build(load_recipe(), tmp_path / "build")
    items = [json.loads(line) for line in (tmp_path / "build" / "review_queue.jsonl")
             .read_text().splitlines()]
    assert all(i["review"]["queue_reason"] for i in items)
    steps = {s["name"]: s for s in summary.stats["steps"]}
    for name in NINE:
        counters = steps[name]["counters"]
        assert counters["seeds_seen"] > 0 and counters["variants_made"] > 0, name
        assert counters["variants_made"] == counters.get("auto", 0) + counters.get(
            "needs_review", 0) + sum(v for k, v in counters.items() if k.startswith("rejected:"))


def test_asks_a_question_takes_questions_and_leaves_imperatives_and_fragments():
    from abstain_data.builders.base import asks_a_question

    assert asks_a_question("In which year did the war end?")
    assert asks_a_question("I will spend a day in Rome; what should I see?")
    assert not asks_a_question("List the flight duration for us to go Afraica from Beijing?")
    assert not asks_a_question("does penguin live in the river of Beijing?")
    assert not asks_a_question("How to take a journey to Africa?")


def test_seed_docs_gather_runs_in_forked_workers_and_returns_them_in_run_order(monkeypatch,
                                                                               tmp_path):
    monkeypatch.setattr(base, "MIN_CHUNK", 1)  # several runs even of these few seeds
    seeds = [Item(prompt=f"Where did Person{k} live?", should_abstain=False,
                  category=Category.ANSWERABLE, reference_answers=["x"], record=f"s#{k}",
                  source=Source(dataset="toy", license="cc0-1.0")) for k in range(40)]

    def run_of(ctx_workers: int) -> list[tuple[list[str], list[str], int]]:
        ctx = BuildContext(workers=ctx_workers, parse_dir=str(tmp_path / "parses"))
        docs = SeedDocs(ctx, {s.record: s.prompt for s in seeds}, needs_doc=True)
        return list(docs.gather(lambda run: ([r for r, _ in run], [d.text for _, d in run],
                                             os.getpid())))

    one, two = run_of(1), run_of(2)
    for runs in (one, two):  # every seed once, in seed order, with its own parse
        assert [r for records, _, _ in runs for r in records] == [s.record for s in seeds]
        assert [t for _, texts, _ in runs for t in texts] == [s.prompt for s in seeds]
    assert len(two) > 2 and os.getpid() not in {pid for _, _, pid in two}
    assert {pid for _, _, pid in one} == {os.getpid()}
