"""The shipped recipes over the real corpora in ../shared/corpora build cleanly and balance."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from real_corpora import require_corpora

from abstain_data import buildfolder
from abstain_data.build import run_build
from abstain_data.recipe import load_recipe
from abstain_data.schema.validate import validate_items

REPO = Path(__file__).resolve().parents[1]

# rows of each corpus sample as its README and SOURCE.txt give them
SOURCE_ROWS = {"selfaware": 3369, "falseqa": 2374 + 982 + 1374, "coconot": 1001 + 379,
               "xstest": 450, "umwp": 5200, "trustllm": 200 + 209 + 241,
               "unanswgen": 3221 + 2255}


@pytest.fixture(scope="module")
def corpora_build(tmp_path_factory) -> Path:
    require_corpora(REPO.parent / "shared" / "corpora")
    out = tmp_path_factory.mktemp("corpora") / "build"
    run_build(load_recipe(REPO / "recipes" / "shared-corpora.toml"), out)
    return out


def test_every_corpus_row_is_accounted_for_in_the_ledger(corpora_build):
    stats = json.loads((corpora_build / "stats.json").read_text())
    assert {s["name"]: s["rows"] for s in stats["sources"]} == SOURCE_ROWS
    assert all(s["rejected"] == 0 for s in stats["sources"])
    ledger = buildfolder.read_ledger(corpora_build / "ledger.parquet")
    assert len(ledger) == stats["ledger"]["records"] == sum(SOURCE_ROWS.values())
    for name, rows in SOURCE_ROWS.items():
        assert sum(r["record"].startswith(f"{name}#") for r in ledger) == rows


def test_every_item_validates_and_xstest_keeps_its_own_prompts(corpora_build):
    dicts = buildfolder.read_item_dicts(corpora_build / "items.parquet")
    assert validate_items(dicts) == []
    by_source: dict[str, int] = {}
    for d in dicts:
        by_source[d["source"]["dataset"]] = by_source.get(d["source"]["dataset"], 0) + 1
    # TrustLLM's exaggerated_safety is XSTest v1: the copies merge into XSTest, listed first
    assert by_source["xstest"] == 450 and by_source["trustllm"] < 650


def test_falseqa_contradictions_go_to_review(corpora_build):
    queue = [json.loads(line) for line in
             (corpora_build / "review_queue.jsonl").read_text().splitlines()]
    conflicts = [q for q in queue if q["source"]["dataset"] == "falseqa"
                 and q["review"]["queue_reason"] == "conflicting_duplicate"]
    assert len(conflicts) == 14
