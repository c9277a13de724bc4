"""The parse store: each seed text goes through the real spaCy pipeline once per build (counted
by a component added to that pipeline), parses are shared across processes through the store's
folder, and a Doc read back from disk carries what the steps read (entities, parse, tags)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from spacy.language import Language
from spacy.tokens import DocBin

from abstain_data.build import run_build
from abstain_data.nlp import load_nlp
from abstain_data.parsing import store as store_module
from abstain_data.parsing.store import ParseStore, iter_docs
from abstain_data.pipeline.step import BuildContext
from abstain_data.recipe import default_recipe_path, load_recipe

SEEN: Counter[str] = Counter()


@Language.component("count_parsed_texts")
def count_parsed_texts(doc):  # noqa: ANN001, ANN201 - a spaCy component
    SEEN[doc.text] += 1
    return doc


@pytest.fixture
def counted_nlp():
    """The build's own pipeline (load_nlp is cached per process) counting every text it parses."""
    nlp = load_nlp("en_core_web_sm")
    nlp.add_pipe("count_parsed_texts", last=True)
    SEEN.clear()
    yield nlp
    nlp.remove_pipe("count_parsed_texts")


def untagged_default_recipe(folder: Path) -> Path:
    """The embedded recipe without the demo's stated domain and complexity: the tagger parses
    every seed, then the builders, gates and dedupe ask for the same texts again."""
    default = default_recipe_path()
    lines = [line.replace('path = "../', f'path = "{default.parent.parent.as_posix()}/')
             for line in default.read_text("utf-8").splitlines()
             if line not in ('domain = "domain"', 'complexity = "complexity"')]
    path = folder / "recipe.toml"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def test_each_seed_text_is_parsed_once_per_build(counted_nlp, tmp_path):
    summary = run_build(load_recipe(untagged_default_recipe(tmp_path)), tmp_path / "build")
    stats = {step["name"]: step for step in summary.stats["steps"]}
    items = pq.read_table(summary.out / "items.parquet").to_pylist()
    seeds = {item["prompt"] for item in items if item["parent_id"] is None
             and item["category"] == "answerable"}
    assert len(seeds) > 200
    assert stats["tag"]["counters"]["tagged:domain"] > 0  # the tagger parsed seeds
    assert sum(s["counters"].get("seeds_seen", 0) for s in stats.values()) > len(seeds)
    twice = {text: n for text, n in SEEN.items() if text in seeds and n > 1}
    assert not twice
    assert all(SEEN[text] == 1 for text in seeds if text in SEEN)
    assert sum(text in SEEN for text in seeds) > 200


def test_a_second_store_on_the_same_folder_parses_nothing(counted_nlp, tmp_path):
    texts = ["Who wrote Hamlet in London?", "When did Apollo 11 land on the Moon?",
             "Who wrote Hamlet in London?"]
    first = ParseStore(counted_nlp, "core_web_sm-test", tmp_path)
    fresh = first.docs(texts)
    assert first.parsed == 2 and SEEN["Who wrote Hamlet in London?"] == 1
    second = ParseStore(counted_nlp, "core_web_sm-test", tmp_path)  # another process's view
    stored = second.docs(texts)
    assert second.parsed == 0 and sum(SEEN.values()) == 2
    for new, old in zip(stored, fresh, strict=True):
        assert [(e.text, e.label_) for e in new.ents] == [(e.text, e.label_) for e in old.ents]
        assert [(t.tag_, t.pos_, t.dep_, t.head.i) for t in new] == \
               [(t.tag_, t.pos_, t.dep_, t.head.i) for t in old]
        assert [s.text for s in new.sents] == [s.text for s in old.sents]
    other_model = ParseStore(counted_nlp, "core_web_sm-other", tmp_path)
    other_model.docs(texts[:1])
    assert other_model.parsed == 1  # parses are keyed by model name and version


def test_memory_is_bounded_and_evicted_docs_come_back_from_disk(counted_nlp, tmp_path):
    store = ParseStore(counted_nlp, "core_web_sm-test", tmp_path, memory_docs=2)
    texts = [f"Where is the bridge number {n} in Paris?" for n in range(5)]
    store.docs(texts)
    assert len(store.memory) == 2
    again = store.docs(texts[:1])
    assert store.parsed == 5 and again[0].text == texts[0]
    assert "Paris" in [e.text for e in again[0].ents]
    assert len(list((tmp_path / "core_web_sm-test").glob("*.spacy"))) == 1  # one pipe, one shard


def test_a_damaged_shard_is_parsed_again(counted_nlp, tmp_path):
    texts = ["Who painted the Mona Lisa in Florence?"]
    ParseStore(counted_nlp, "core_web_sm-test", tmp_path).docs(texts)
    shard = next((tmp_path / "core_web_sm-test").glob("*.spacy"))
    shard.write_bytes(shard.read_bytes()[:20])
    again = ParseStore(counted_nlp, "core_web_sm-test", tmp_path)
    docs = again.docs(texts)
    assert again.parsed == 1 and SEEN[texts[0]] == 2
    assert "Florence" in [e.text for e in docs[0].ents]


def test_shards_are_bounded_and_reading_one_key_decodes_it_alone_but_holds_its_shard(
        counted_nlp, tmp_path, monkeypatch):
    monkeypatch.setattr(store_module, "SHARD_DOCS", 2)
    texts = [f"Who built the tower number {n} in Rome?" for n in range(5)]
    ParseStore(counted_nlp, "core_web_sm-test", tmp_path).docs(texts)
    folder = tmp_path / "core_web_sm-test"
    assert sorted(len(p.read_text("ascii").split()) for p in folder.glob("*.keys")) == [1, 2, 2]
    reader = ParseStore(counted_nlp, "core_web_sm-test", tmp_path, memory_docs=3)
    reads = []

    class CountedDocBin(DocBin):
        def from_disk(self, path):  # noqa: ANN001, ANN202 - DocBin's own signature
            reads.append(path)
            return super().from_disk(path)

    monkeypatch.setattr(store_module, "DocBin", CountedDocBin)
    assert reader.docs(texts[:1])[0].text == texts[0]
    assert len(reader.memory) == 1  # the key asked for, not the other Doc of its shard
    assert reader.docs(texts[1:2])[0].text == texts[1] and reader.parsed == 0
    assert len(reads) == 1  # the second key came from the shard already read


def test_at_most_memory_shards_shards_are_held(counted_nlp, tmp_path, monkeypatch):
    monkeypatch.setattr(store_module, "SHARD_DOCS", 1)
    monkeypatch.setattr(store_module, "MEMORY_SHARDS", 2)
    texts = [f"Who crossed the river number {n} near Vienna?" for n in range(4)]
    ParseStore(counted_nlp, "core_web_sm-test", tmp_path).docs(texts)
    reader = ParseStore(counted_nlp, "core_web_sm-test", tmp_path)
    assert [doc.text for doc in reader.docs(texts)] == texts and reader.parsed == 0
    assert len(reader.shards) == 2


def test_decoding_some_docs_of_a_bin_gives_what_decoding_all_gives(counted_nlp):
    texts = ["Who wrote Hamlet in London in 1600?", "When did Apollo 11 land on the Moon?",
             "Which river flows through Vienna and Budapest?", "How tall is the Eiffel Tower?"]
    docbin = DocBin(docs=counted_nlp.pipe(texts))
    every = list(docbin.get_docs(counted_nlp.vocab))
    some = store_module.decode(docbin, [3, 1], counted_nlp.vocab)
    assert [doc.to_json() for doc in some] == [every[3].to_json(), every[1].to_json()]
    assert [doc.has_unknown_spaces for doc in some] == [False, False]


def test_keys_spanning_many_shards_never_fill_memory_past_its_bound(counted_nlp, tmp_path,
                                                                     monkeypatch):
    # a builder asks for its seeds in record order, which spans every shard of the build:
    # before, each shard's other Docs all joined memory until the call returned
    monkeypatch.setattr(store_module, "SHARD_DOCS", 2)
    texts = [f"Who built the tower number {n} in Rome?" for n in range(12)]
    ParseStore(counted_nlp, "core_web_sm-test", tmp_path).docs(texts)
    reader = ParseStore(counted_nlp, "core_web_sm-test", tmp_path, memory_docs=3)
    held = []  # the Docs in memory as each shard is read, then at the end

    class WatchedDocBin(DocBin):
        def from_disk(self, path):  # noqa: ANN001, ANN202 - DocBin's own signature
            held.append(len(reader.memory))
            return super().from_disk(path)

    monkeypatch.setattr(store_module, "DocBin", WatchedDocBin)
    asked = texts[::2]  # one key of each of the six shards
    assert [doc.text for doc in reader.docs(asked)] == asked and reader.parsed == 0
    held.append(len(reader.memory))
    assert len(held) == 7 and max(held) <= 3
    assert [doc.text for doc in reader.docs(texts)] == texts and reader.parsed == 0


def test_iter_docs_gives_every_doc_in_order_a_run_at_a_time(counted_nlp, tmp_path):
    ctx = BuildContext(parse_dir=str(tmp_path))
    texts = [f"When did ship {n} sail from Lisbon?" for n in (*range(7), 0)]
    docs = list(iter_docs(ctx, texts, run=3))
    assert [doc.text for doc in docs] == texts
    assert "Lisbon" in [e.text for e in docs[-1].ents]


def test_a_parsed_doc_is_held_like_a_stored_one_without_the_token_tensor(counted_nlp, tmp_path):
    texts = ["Which river flows through Vienna and Budapest?"]
    assert counted_nlp(texts[0]).tensor.size > 0  # the model's tok2vec output, several KiB
    parsed = ParseStore(counted_nlp, "core_web_sm-test", tmp_path).docs(texts)[0]
    stored = ParseStore(counted_nlp, "core_web_sm-test", tmp_path).docs(texts)[0]
    assert parsed.tensor.size == stored.tensor.size == 0
    assert parsed.to_json() == stored.to_json()
