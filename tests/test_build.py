"""`abstain-data build` end to end: the build folder, determinism, atomicity, bad inputs."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from abstain_data import buildfolder
from abstain_data.build import run_build
from abstain_data.cli import app
from abstain_data.recipe import load_recipe

runner = CliRunner()

FILE_RECIPE = """
seed = 3
[[sources]]
name = "my-qa"
adapter = "file"
path = "{path}"
license = "cc-by-4.0"
[sources.fields]
prompt = "question"
reference_answers = "answers"
"""


def file_recipe(tmp_path: Path, data_name: str, data: bytes | str) -> Path:
    data_path = tmp_path / data_name
    if isinstance(data, str):
        data_path.write_text(data, encoding="utf-8")
    else:
        data_path.write_bytes(data)
    recipe = tmp_path / "recipe.toml"
    recipe.write_text(FILE_RECIPE.format(path=data_name), encoding="utf-8")
    return recipe


@pytest.fixture(scope="module")
def default_build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("default") / "build"
    result = runner.invoke(app, ["build", "--out", str(out), "--no-cache"])
    assert result.exit_code == 0, result.output
    return out


def test_default_build_writes_every_file(default_build):
    names = {p.name for p in default_build.iterdir()}
    assert names == {"items.parquet", "ledger.parquet", "rejects.jsonl", "review_queue.jsonl",
                     "stats.json", "build.json"}
    manifest = json.loads((default_build / "build.json").read_text())
    assert manifest["spacy_model"]["setting"] == "en_core_web_sm"
    assert manifest["spacy_model"]["version"] == "3.8.0"
    assert len(manifest["recipe_sha256"]) == 64 and manifest["recipe"]["sources"]


def test_default_build_ledger_balances_against_source_rows(default_build):
    stats = json.loads((default_build / "stats.json").read_text())
    ledger = buildfolder.read_ledger(default_build / "ledger.parquet")
    rows_in = sum(s["rows"] for s in stats["sources"])
    created = sum(s["created"] for s in stats["steps"])
    assert stats["ledger"]["records"] == rows_in + created == len(ledger)
    assert len({row["record"] for row in ledger}) == len(ledger)
    items = buildfolder.read_items(default_build / "items.parquet")
    kept_or_queued = [r for r in ledger if r["fate"] in ("kept", "needs_review")]
    assert sorted(r["item_id"] for r in kept_or_queued) == sorted(i.id for i in items)
    queue = (default_build / "review_queue.jsonl").read_text().splitlines()
    assert len(queue) == sum(1 for r in ledger if r["fate"] == "needs_review")


def test_every_item_of_the_default_build_validates(default_build):
    result = runner.invoke(app, ["validate", str(default_build / "items.parquet")])
    assert result.exit_code == 0, result.output


def test_same_recipe_twice_gives_byte_identical_items(default_build, tmp_path):
    out = tmp_path / "again"
    run_build(load_recipe(None), out)
    assert (out / "items.parquet").read_bytes() == (default_build / "items.parquet").read_bytes()
    assert (out / "ledger.parquet").read_bytes() == (default_build / "ledger.parquet").read_bytes()


def test_stats_command_prints_counts_and_matrix(default_build):
    result = runner.invoke(app, ["stats", str(default_build)])
    assert result.exit_code == 0, result.output
    assert "items by category" in result.output and "domain x complexity" in result.output


def test_interrupted_build_leaves_previous_build_intact(tmp_path, monkeypatch):
    recipe = file_recipe(tmp_path, "qa.jsonl", '{"question": "What is 2+2?", "answers": ["4"]}\n')
    out = tmp_path / "out"
    run_build(load_recipe(recipe), out)
    before = (out / "items.parquet").read_bytes()

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(buildfolder, "write_ledger", crash)
    with pytest.raises(KeyboardInterrupt):
        run_build(load_recipe(recipe), out)
    assert (out / "items.parquet").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


BAD_INPUTS = [
    ("malformed JSON line", "qa.jsonl",
     '{"question": "What is 2+2?", "answers": ["4"]}\n{"question": "broken\n', "qa.jsonl:2"),
    ("missing column", "qa.jsonl", '{"q": "What is 2+2?", "answers": ["4"]}\n', "question"),
    ("wrong type", "qa.jsonl", '{"question": 42, "answers": ["4"]}\n', "question"),
    ("undecodable bytes", "qa.csv", b"question,answers\nWhat is \xff\xfe 2+2?,4\n", "qa.csv"),
    ("empty file", "qa.jsonl", "", "qa.jsonl"),
]


@pytest.mark.parametrize(("case", "name", "data", "expected"), BAD_INPUTS,
                         ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_fails_in_one_line_without_traceback(tmp_path, case, name, data, expected):
    recipe = file_recipe(tmp_path, name, data)
    result = runner.invoke(app, ["build", str(recipe), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and expected in lines[0]
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()


def test_missing_file_names_the_file(tmp_path):
    recipe = tmp_path / "recipe.toml"
    recipe.write_text(FILE_RECIPE.format(path="nope.jsonl"), encoding="utf-8")
    result = runner.invoke(app, ["build", str(recipe), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1 and "nope.jsonl" in result.stderr


def test_skip_sends_bad_rows_to_rejects_and_the_ledger_balances(tmp_path):
    data = ('{"question": "What is 2+2?", "answers": ["4"]}\n{"question": "broken\n'
            '{"question": 42, "answers": ["4"]}\n{"question": "What is 3+3?", "answers": ["6"]}\n')
    recipe = file_recipe(tmp_path, "qa.jsonl", data)
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(recipe), "--out", str(out), "--on-error", "skip"])
    assert result.exit_code == 0, result.output
    rejects = [json.loads(line) for line in (out / "rejects.jsonl").read_text().splitlines()]
    assert len(rejects) == 2 and all(r["reason"] and r["file"].endswith("qa.jsonl")
                                     for r in rejects)
    stats = json.loads((out / "stats.json").read_text())
    assert stats["ledger"]["records"] == 4
    assert stats["ledger"]["fates"]["rejected"] == 2 and stats["ledger"]["fates"]["kept"] == 2


def test_default_build_fills_the_domain_complexity_matrix_for_every_kind(default_build):
    items = buildfolder.read_items(default_build / "items.parquet")
    cells: dict[tuple[str, str, str], int] = {}
    for item in items:
        kind = "bait" if item.category.is_bait else ("abstain" if item.should_abstain else "answer")
        key = (item.domain.value, item.complexity.value, kind)
        cells[key] = cells.get(key, 0) + 1
    empty = [(domain, complexity, kind)
             for domain in ("general", "medical", "legal", "finance")
             for complexity in ("templated", "open_ended")
             for kind in ("answer", "abstain", "bait") if not cells.get((domain, complexity, kind))]
    assert empty == []


def test_default_build_has_every_category_but_harmful_and_twenty_per_bait_family(default_build):
    from abstain_data.items import BAIT_CATEGORIES, Category

    items = buildfolder.read_items(default_build / "items.parquet")
    counts: dict[Category, int] = {}
    for item in items:
        counts[item.category] = counts.get(item.category, 0) + 1
    synthesized = {"ctx.missing", "ctx.entity_swap", "ctx.negation_antonym", "premise.false",
                   "entity.fabricated", "under.intent", "under.variables",
                   "under.domain_specifics", "unknown.future"}
    assert synthesized <= {c.value for c in counts}
    assert all(counts.get(c, 0) >= 20 for c in BAIT_CATEGORIES)
    assert Category.SAFETY_HARMFUL not in counts  # never synthesized
    ids = {item.id for item in items}
    variants = [item for item in items if item.category.value in synthesized]
    assert all(item.parent_id in ids and item.pair_id for item in variants)


def two_megabyte_prompt_recipe(tmp_path: Path, setting: str = "") -> Path:
    """A recipe over a JSONL whose second row holds a real 2 MB prompt (2,000,000 chars)."""
    huge = "Why " + " ".join(["is the sky blue"] * 125_000)[: 2_000_000 - 5] + "?"
    rows = [{"question": "What is 2+2?", "answers": ["4"]},
            {"question": huge, "answers": ["Rayleigh scattering"]},
            {"question": "What is 3+3?", "answers": ["6"]}]
    recipe = file_recipe(tmp_path, "qa.jsonl", "".join(json.dumps(r) + "\n" for r in rows))
    recipe.write_text(setting + recipe.read_text("utf-8"), encoding="utf-8")
    return recipe


def test_a_2mb_prompt_is_a_row_error_that_skip_sends_to_rejects(tmp_path):
    out = tmp_path / "out"
    recipe = two_megabyte_prompt_recipe(tmp_path)

    result = runner.invoke(app, ["build", str(recipe), "--out", str(out), "--on-error", "skip"])

    assert result.exit_code == 0, result.output
    [reject] = [json.loads(line) for line in (out / "rejects.jsonl").read_text().splitlines()]
    assert reject["file"].endswith("qa.jsonl") and reject["row"] == 2
    assert reject["field"] == "question (-> prompt)"
    assert "2,000,000 characters, over the limit of 1,000,000" in reject["reason"]
    prompts = {item.prompt for item in buildfolder.read_items(out / "items.parquet")}
    assert {"What is 2+2?", "What is 3+3?"} <= prompts
    assert max(map(len, prompts)) < 1_000_000


def test_the_text_limit_is_a_recipe_setting_and_fail_names_it(tmp_path):
    recipe = two_megabyte_prompt_recipe(tmp_path, setting="max_text_chars = 12\n")

    result = runner.invoke(app, ["build", str(recipe), "--out", str(tmp_path / "out")])

    assert result.exit_code == 1
    [line] = result.stderr.strip().splitlines()
    assert "qa.jsonl:2: question (-> prompt): 2,000,000 characters, over the limit of 12 " \
           "(recipe max_text_chars)" in line


def test_the_cue_filter_is_off_by_default_and_runs_between_dedupe_and_validation(tmp_path):
    from abstain_data.build import make_steps
    from abstain_data.errors import UserError
    from abstain_data.pipeline.step import BuildContext

    ctx = BuildContext(seed=13)
    default = load_recipe()
    text = default.path.read_text(encoding="utf-8").replace(
        '"../demo/', f'"{default.path.parent}/../demo/')

    def steps(table: str) -> list[tuple[str, dict]]:
        recipe = tmp_path / "recipe.toml"
        recipe.write_text(text + table, encoding="utf-8")
        return [(step.name, step.params()) for step in make_steps(load_recipe(recipe), ctx)]

    plain = [(step.name, step.params()) for step in make_steps(default, ctx)]
    assert "cue_filter" not in [name for name, _ in plain]
    assert steps("\n[cue_filter]\nenabled = false\nmax_auc = 0.6\n") == plain
    on = steps('\n[cue_filter]\nenabled = true\naction = "review"\nmax_auc = 0.65\n')
    names = [name for name, _ in on]
    assert names[names.index("cue_filter") - 1] == "dedupe"  # it measures what is written
    assert names[names.index("cue_filter") + 1] == "validate"
    assert [name for name in names if name != "cue_filter"] == [name for name, _ in plain]
    assert dict(on)["cue_filter"]["max_auc"] == 0.65
    assert dict(on)["cue_filter"]["action"] == "review"
    with pytest.raises(UserError, match=r"cue_filter\.action"):
        steps('\n[cue_filter]\naction = "downweight"\n')


def test_arrow_tables_made_in_chunks_write_the_same_parquet_bytes(tmp_path, monkeypatch):
    rows = [{"record": f"r#{n}", "item_id": str(n % 7), "fate": "kept", "step": "final",
             "detail": "", "method": None, "score": None} for n in range(50)]
    whole = tmp_path / "whole.parquet"
    buildfolder.write_ledger(whole, rows)
    monkeypatch.setattr(buildfolder, "TABLE_CHUNK", 8)
    chunked = tmp_path / "chunked.parquet"
    buildfolder.write_ledger(chunked, iter(rows))
    assert chunked.read_bytes() == whole.read_bytes()
    table = tmp_path / "table.parquet"  # what one conversion of the whole table writes
    pq.write_table(pa.Table.from_pylist(rows, schema=buildfolder.LEDGER_SCHEMA), table,
                   compression="zstd")
    assert table.read_bytes() == whole.read_bytes()


def write_chunked(tmp_path, monkeypatch, rows, row_group: int, chunks: tuple[int, ...]):
    """The ledger files of `rows` written with row groups of `row_group` rows, one file per
    chunk size of `chunks`."""
    monkeypatch.setattr(buildfolder, "ROW_GROUP", row_group)
    files = []
    for size in chunks:
        monkeypatch.setattr(buildfolder, "TABLE_CHUNK", size)
        files.append(tmp_path / f"groups{row_group}-chunk{size}.parquet")
        buildfolder.write_ledger(files[-1], iter(rows))
    return files


def test_parquet_is_written_a_row_group_at_a_time(tmp_path, monkeypatch):
    rows = [{"record": f"r#{n}", "item_id": str(n % 7), "fate": "kept", "step": "final",
             "detail": "", "method": None, "score": None} for n in range(50)]
    # chunks that fill a group exactly, cross it, or hold every row
    files = write_chunked(tmp_path, monkeypatch, rows, 16, (8, 7, 50))
    assert files[0].read_bytes() == files[1].read_bytes() == files[2].read_bytes()
    parquet = pq.ParquetFile(files[0])
    assert [parquet.metadata.row_group(k).num_rows for k in range(4)] == [16, 16, 16, 2]
    assert buildfolder.read_ledger(files[0]) == rows
    # long rows fill Arrow's pages inside a group: where chunks start must not move them
    long_rows = [{**rows[0], "detail": f"{n} " + "x" * 700} for n in range(6_000)]
    long_files = write_chunked(tmp_path, monkeypatch, long_rows, 4_096, (4_096, 1_000, 7))
    assert long_files[0].read_bytes() == long_files[1].read_bytes() == long_files[2].read_bytes()
    empty = tmp_path / "empty.parquet"
    buildfolder.write_ledger(empty, [])
    assert buildfolder.read_ledger(empty) == []
    assert pq.read_schema(empty).names == buildfolder.LEDGER_SCHEMA.names
