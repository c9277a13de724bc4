"""`--workers 2` runs the builders' per-seed work in forked processes and writes the same bytes
as `--workers 1`: a small real recipe (the nine builders and their twins over samples of the
real corpora) built both ways, folders compared file by file."""

from __future__ import annotations

from pathlib import Path

import pytest

from abstain_data.build import run_build
from abstain_data.builders import base
from abstain_data.builders.base import seed_chunks
from abstain_data.parsing import store
from abstain_data.pipeline import executor
from abstain_data.recipe import load_recipe

REPO = Path(__file__).resolve().parents[2]
LIMITS = {"unanswgen": 150, "selfaware": 150, "umwp": 100, "falseqa": 100}
FILES = ("items.parquet", "ledger.parquet", "stats.json", "rejects.jsonl",
         "review_queue.jsonl")


def small_recipe(corpora: Path, folder: Path) -> Path:
    """The shared-corpora-variants recipe with each source cut to LIMITS rows."""
    text = (REPO / "recipes" / "shared-corpora-variants.toml").read_text("utf-8")
    for name, limit in LIMITS.items():
        text = text.replace(f'path = "../../shared/corpora/{name}"',
                            f'path = "{corpora / name}"\nlimit = {limit}')
    path = folder / "recipe.toml"
    path.write_text(text, "utf-8")
    return path


@pytest.fixture
def forks(monkeypatch) -> list[int]:
    """The process count of each pool forked (`ordered_map`, a builder's `WorkerPool`), recorded
    before the pool runs."""
    sizes: list[int] = []
    real = executor.multiprocessing.get_context

    def spy(method: str | None = None):  # noqa: ANN202 - joblib asks with no method
        context = real(method)

        class Counted:
            def Pool(self, n: int, *args, **kwargs):  # noqa: N802, ANN002, ANN003, ANN202
                sizes.append(n)  # multiprocessing's name and arguments
                return context.Pool(n, *args, **kwargs)

            def __getattr__(self, name: str):  # noqa: ANN204 - the rest of the context
                return getattr(context, name)

        return Counted()

    monkeypatch.setattr(executor.multiprocessing, "get_context", spy)
    return sizes


def test_two_workers_write_the_same_build_as_one(corpora, tmp_path, forks, monkeypatch):
    monkeypatch.setattr(base, "MIN_CHUNK", 1)  # the few seeds of each builder still forked
    recipe = load_recipe(small_recipe(corpora, tmp_path))
    one = run_build(recipe, tmp_path / "one", workers=1).out
    assert forks == []
    two = run_build(recipe, tmp_path / "two", workers=2).out
    # pools of 2: the tagger, the builders' prepare (gather) and their seeds (all but
    # missing_specifics, with no advice questions here, and the two twins that vary their
    # seeds in order), and validation (a batch per task)
    assert len(forks) >= 10 and all(n == 2 for n in forks)
    stats = (one / "stats.json").read_text("utf-8")
    assert '"variants_made"' in stats
    for name in FILES:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name


def test_short_seed_runs_and_a_small_parse_memory_write_the_same_build(corpora, tmp_path,
                                                                     monkeypatch):
    recipe = load_recipe(small_recipe(corpora, tmp_path))
    default = run_build(recipe, tmp_path / "default", workers=1).out
    monkeypatch.setattr(base, "MAX_CHUNK", 7)  # many runs of seeds, each parsed on its own
    monkeypatch.setattr(store, "MEMORY_DOCS", 16)  # most Docs read back from disk
    monkeypatch.setattr(store, "SHARD_DOCS", 5)
    small = run_build(recipe, tmp_path / "small", workers=1).out
    for name in FILES:
        assert (default / name).read_bytes() == (small / name).read_bytes(), name


def test_seed_chunks_cover_every_seed_once():
    assert seed_chunks(5, 1) == [slice(0, 5)]
    assert [len(range(5_000)[c]) for c in seed_chunks(5_000, 1)] == [2_048, 2_048, 904]
    for n, workers in ((0, 2), (1, 2), (15, 2), (1000, 3)):
        chunks = seed_chunks(n, workers)
        covered = [i for chunk in chunks for i in range(n)[chunk]]
        assert covered == list(range(n))
        assert len(chunks) <= workers * 8


def test_fewer_seeds_than_a_short_run_are_varied_here_not_forked():
    assert seed_chunks(255, 2) == [slice(0, 255)]  # one task: ordered_map does not fork
    assert [len(range(4_209)[c]) for c in seed_chunks(4_209, 2)] == [264] * 15 + [249]


def test_two_workers_write_the_same_default_build_stats_included(tmp_path):
    """The default recipe's twins judge their seeds' English on Docs that other builders also
    read; a builder that wrote lemmas into those Docs changed the judgement in one process only
    (stats.json differed at --workers 2)."""
    built = []
    for workers in (1, 2):  # each as in a new process: no Doc or seed check remembered
        store._STORES.clear()
        base._SEED_PROBLEMS.clear()
        built.append(run_build(load_recipe(), tmp_path / str(workers), workers=workers).out)
    one, two = built
    for name in FILES:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name
