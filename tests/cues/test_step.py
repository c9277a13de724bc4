"""CueFilterStep on a planted source: a deciding cue is filtered until the prompt-only AUC is at
the target, each removal is in the ledger with its reason, pairs go whole, review instead of
drop, the share cap, source items only when asked, determinism whatever the batch size."""

from __future__ import annotations

import random
from collections import Counter

from abstain_data.cues.classifier import auc
from abstain_data.cues.filter import score_records
from abstain_data.cues.step import REASON, CueFilterStep, _record
from abstain_data.items import Category, Item, LabelStatus, written_order
from abstain_data.pipeline.step import Batch, BuildContext, Fate, FateKind

from .planted import CUE, WORDS, item, planted

CTX = BuildContext(seed=13)


def run(items: list[Item], batch_size: int = 50, **params) -> tuple[list[Item], list[Fate],
                                                                     Counter]:
    """The step over `items` in batches: the items out, the fates, the summed counters."""
    batches = [Batch(items[i:i + batch_size]) for i in range(0, len(items), batch_size)]
    out = list(CueFilterStep(CTX, **params).run(batches))
    counters: Counter = Counter()
    for batch in out:
        counters.update(batch.counters)
    return [i for b in out for i in b.items], [f for b in out for f in b.fates], counters


def prompt_auc(items: list[Item]) -> float:
    """The source's prompt-only AUC as the step and `audit artifacts` measure it."""
    records = [_record(i) for i in sorted(items, key=written_order)]
    return auc([r.abstain for r in records], score_records(records, CTX.seed))


def test_a_deciding_cue_is_filtered_until_the_auc_is_at_the_target() -> None:
    items = planted()
    assert prompt_auc(items) > 0.75
    out, fates, counters = run(items, max_auc=0.7, max_share=0.4)
    assert prompt_auc(out) <= 0.7
    assert fates and all(f.kind is FateKind.REJECTED and f.detail == REASON and f.step ==
                         "cue_filter" and f.item is not None for f in fates)
    # every record has exactly one fate: out, or removed with its reason
    assert sorted([i.record for i in out] + [f.record for f in fates]) == sorted(
        i.record for i in items)
    removed = {f.record for f in fates}
    variants = [i for i in items if i.record in removed and i.should_abstain]
    assert sum(CUE in i.prompt for i in variants) / len(variants) > 0.9
    assert counters[f"rejected:{REASON}"] == counters[REASON] == len(fates)
    assert counters[f"{REASON}:source:corpus"] == len(fates)
    assert sum(n for key, n in counters.items()
               if key.startswith(f"{REASON}:builder:")) == len(fates)
    assert counters["auc_prompt_permille_before:corpus"] > 750
    assert counters["auc_prompt_permille_after:corpus"] <= 700
    assert counters["stopped:corpus:at_target"] == 1


def test_pairs_go_whole_and_no_orphan_pair_id_is_left() -> None:
    items = planted()
    out, fates, _ = run(items, max_auc=0.7, max_share=0.4)
    removed = {f.record for f in fates}
    assert not any(r.startswith("corpus#") for r in removed)  # source items are not eligible
    twins_removed = [r for r in removed if r.startswith("twin_")]
    assert twins_removed, "the planted twins of cue variants go with them"
    for twin in twins_removed:
        assert twin.replace("twin_negation_answered", "negation") in removed
    kept = {i.record for i in out}
    for twin in (r for r in kept if r.startswith("twin_")):
        assert twin.replace("twin_negation_answered", "negation") in kept
    members = Counter(i.pair_id for i in out if i.pair_id)
    assert set(members.values()) >= {2} and 1 not in members.values()
    lone = [i for i in out if i.record.startswith("corpus#")
            and f"negation:{i.record}#0" in removed]
    assert lone and all(i.pair_id is None for i in lone)


def test_review_queues_the_same_items_instead_of_dropping_them() -> None:
    items = planted()
    dropped = {f.record for f in run(items, max_auc=0.7, max_share=0.4)[1]}
    queued_before = next(i for i in items if i.record in dropped)
    queued_before.label_status = LabelStatus.NEEDS_REVIEW
    queued_before.review = {"queue_reason": "fluency"}
    out, fates, counters = run(items, action="review", max_auc=0.7, max_share=0.4)
    assert not fates and len(out) == len(items)
    queued = {i.record: i for i in out if i.review and "cue_predictability" in i.review}
    assert set(queued) == dropped
    assert all(i.label_status == LabelStatus.NEEDS_REVIEW for i in queued.values())
    assert queued[queued_before.record].review["queue_reason"] == "fluency"
    assert Counter(i.review["queue_reason"] for i in queued.values())[REASON] == len(queued) - 1
    assert counters[REASON] == len(queued) and not counters[f"rejected:{REASON}"]
    assert [i.pair_id for i in out] == [i.pair_id for i in items]


def test_the_share_cap_stops_the_rounds() -> None:
    items = planted()
    out, fates, counters = run(items, max_auc=0.55, max_share=0.05)
    assert 0 < len(fates) <= int(0.05 * len(items))
    assert counters["stopped:corpus:share_cap"] == 1
    assert prompt_auc(out) > 0.55


def test_source_items_are_eligible_only_when_asked() -> None:
    """A corpus whose own unanswerable items carry the cue: only include_sources can help."""
    rng = random.Random(5)
    items = []
    for n in range(160):
        words = rng.sample(WORDS, 6) + ([CUE] if n % 2 and n % 10 != 1 else [])
        items.append(item(" ".join(words) + "?", Category.CTX_NEGATION_ANTONYM if n % 2
                          else Category.ANSWERABLE, f"c#{n}"))
    assert not run(items, max_auc=0.7, max_share=0.5)[1]
    out, fates, counters = run(items, max_auc=0.7, max_share=0.5, include_sources=True)
    assert fates and counters[f"{REASON}:builder:(source)"] == len(fates)
    assert prompt_auc(out) <= 0.7


def test_variants_less_predictable_than_the_source_stay() -> None:
    """A corpus whose own unanswerable items carry the cue, plus cue-free variants: removing
    the variants raises the AUC, so without include_sources the filter keeps the removals of
    its lowest AUC and never leaves the source more predictable than it found it."""
    rng = random.Random(6)
    items = [item(" ".join(rng.sample(WORDS, 6) + ([CUE] if n % 2 else [])) + "?",
                  Category.CTX_NEGATION_ANTONYM if n % 2 else Category.ANSWERABLE, f"c#{n}")
             for n in range(200)]
    for n in range(0, 200, 5):
        items.append(item(" ".join(rng.sample(WORDS, 6)) + "?", Category.CTX_NEGATION_ANTONYM,
                          f"negation:c#{n}#0", builder="negation", parent=items[n]))
    out, fates, counters = run(items, max_auc=0.7, max_share=0.5)
    after, before = (counters[f"auc_prompt_permille_{when}:corpus"] for when in ("after", "before"))
    assert before > 800 and after <= before
    assert counters["stopped:corpus:at_target"] == 0
    assert round(prompt_auc(out) * 1000) == after


def test_same_result_whatever_the_batch_size_and_run() -> None:
    items = planted(seed=3)
    first = run(items, batch_size=7, max_auc=0.7, max_share=0.4)
    second = run(planted(seed=3), batch_size=500, max_auc=0.7, max_share=0.4)
    assert [i.to_dict() for i in first[0]] == [i.to_dict() for i in second[0]]
    assert [f.to_row() for f in first[1]] == [f.to_row() for f in second[1]]
    assert first[2] == second[2]


def test_a_builder_over_its_limit_is_filtered_once_the_source_is_at_its_target() -> None:
    """Many cue-free corpus items of both labels keep the source under max_auc while the
    negation variants still give themselves away against their seeds and twins: only
    max_builder_auc removes them, whole families at a time, until the builder is at its limit."""
    rng = random.Random(7)
    items = planted(seeds=60, cue_share=0.8, twins_every=2, seed=7)
    items += [item(" ".join(rng.sample(WORDS, 6)) + "?", Category.CTX_NEGATION_ANTONYM if n % 2
                   else Category.ANSWERABLE, f"other#{n}") for n in range(600)]
    assert not run(items, max_auc=0.7, max_share=0.3)[1]
    out, fates, counters = run(items, max_auc=0.7, max_share=0.3, max_builder_auc=0.6)
    before, after = (counters[f"builder_auc_permille_{when}:corpus:negation"]
                     for when in ("before", "after"))
    assert before > 750 and after <= 600
    assert counters["stopped:corpus:at_target"] == 1
    assert counters["auc_prompt_permille_after:corpus"] <= 700
    removed = {f.record: f.item for f in fates}
    assert removed and all(i["transform"]["builder"] in {"negation", "twin_negation_answered"}
                           for i in removed.values())
    # a twin never stays without the variant it contrasts
    kept_pairs = {i.pair_id for i in out if i.transform and i.transform.builder == "negation"}
    assert all(i.pair_id in kept_pairs for i in out
               if i.transform and i.transform.builder == "twin_negation_answered")


def test_the_audit_of_the_filtered_build_reads_back_the_figures_of_the_step(tmp_path) -> None:
    """The step runs after dedupe on what the build folder holds, in the folder's order (the
    folds depend on it), so `audit artifacts` with its default seed (the build's) gives each
    source's and builder's AUC exactly as the step's "after" counters do."""
    import json

    from typer.testing import CliRunner

    from abstain_data import buildfolder
    from abstain_data.cli import app

    rng = random.Random(7)
    items = planted(seeds=60, cue_share=0.8, twins_every=2, seed=7)
    items += [item(" ".join(rng.sample(WORDS, 6)) + "?", Category.CTX_NEGATION_ANTONYM if n % 2
                   else Category.ANSWERABLE, f"other#{n}") for n in range(600)]
    out, fates, counters = run(items, max_auc=0.7, max_share=0.3, max_builder_auc=0.6)
    assert fates
    folder = buildfolder.BuildFolder(tmp_path)
    buildfolder.write_items(folder.items, sorted(out, key=written_order))  # as the runner
    folder.build.write_text(json.dumps({"seed": CTX.seed}), encoding="utf-8")
    result = CliRunner().invoke(app, ["audit", "artifacts", str(tmp_path)])
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "audits" / "artifacts.json").read_text())
    assert report["seed"] == CTX.seed
    assert round(report["sources"]["corpus"]["auc_prompt"] * 1000) == \
        counters["auc_prompt_permille_after:corpus"]
    for builder in ("negation", "twin_negation_answered"):
        assert round(report["sources"]["corpus"]["builders"][builder]["auc_prompt"] * 1000) == \
            counters[f"builder_auc_permille_after:corpus:{builder}"]
