"""Step identity: params read from __init__, code closure, data files, model, input hash."""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

import abstain_data
from abstain_data.build import make_steps
from abstain_data.items import Category, Domain, Item, Source
from abstain_data.pipeline.identity import (
    PACKAGE_DIR,
    IdentityError,
    code_modules,
    declared_params,
    imported_modules,
    input_hash,
)
from abstain_data.pipeline.step import Batch, BuildContext, Fate, FateKind, Step
from abstain_data.recipe import load_recipe


class Scaled(Step):
    """A step with two parameters, both stored under their own names."""

    name = "scaled"

    def __init__(self, ctx: BuildContext, factor: float = 2.0, labels: tuple[str, ...] = ()):
        super().__init__(ctx)
        self.factor = factor
        self.labels = labels

    def run(self, batches: Iterable[Batch]) -> Iterator[Batch]:
        yield from batches


class ScaledAndShifted(Scaled):
    def __init__(self, ctx: BuildContext, shift: int = 0, **kwargs: object) -> None:
        super().__init__(ctx, **kwargs)
        self.shift = shift


class Forgetful(Scaled):
    """Takes `offset` but keeps it under another name: its identity cannot be derived."""

    def __init__(self, ctx: BuildContext, offset: int = 0) -> None:
        super().__init__(ctx)
        self._offset = offset


def item(prompt: str, record: str) -> Item:
    return Item(prompt=prompt, should_abstain=False, category=Category.ANSWERABLE,
                source=Source(dataset="toy", license="cc0-1.0"), reference_answers=[prompt],
                record=record)


def test_params_are_the_init_keywords_read_back_from_attributes():
    step = ScaledAndShifted(BuildContext(), shift=3, factor=0.5, labels=("b", "a"))
    assert declared_params(ScaledAndShifted) == ("shift", "factor", "labels")
    assert step.params() == {"shift": 3, "factor": 0.5, "labels": ["b", "a"]}
    assert step.signature("x") != ScaledAndShifted(BuildContext(), shift=4).signature("x")


def test_a_parameter_not_stored_as_an_attribute_fails_at_construction():
    with pytest.raises(IdentityError, match=r"Forgetful: __init__ parameter 'offset'"):
        Forgetful(BuildContext(), offset=1)


def test_a_parameter_without_a_json_form_fails_at_construction():
    with pytest.raises(IdentityError, match=r"parameter 'labels': object value"):
        Scaled(BuildContext(), labels=object())


def test_a_declared_data_file_the_package_lacks_fails_at_class_definition():
    with pytest.raises(IdentityError, match=r"Misread: data_files: no package file 'nope.json'"):
        class Misread(Scaled):
            data_files = ("nope.json",)


def test_signature_changes_with_seed_year_model_version_and_input():
    base = Scaled(BuildContext(seed=1)).signature("in")
    assert base == Scaled(BuildContext(seed=1, workers=4)).signature("in")
    assert base != Scaled(BuildContext(seed=2)).signature("in")
    assert base != Scaled(BuildContext(seed=1, reference_year=2030)).signature("in")
    assert base != Scaled(BuildContext(seed=1, spacy_model_version="9.9.9")).signature("in")
    assert base != Scaled(BuildContext(seed=1)).signature("other")


def test_identity_records_package_version_and_the_installed_model_version():
    parts = Scaled(BuildContext()).identity("in").to_dict()
    assert parts["package_version"] == abstain_data.__version__
    assert parts["model"] == {"name": "en_core_web_sm", "version": "3.8.0"}
    assert len(parts["signature"]) == 24 and parts["input"] == "in"


def test_input_hash_is_the_same_for_a_stream_and_its_unpickled_copy():
    shared = "What is the capital of France?"
    items = [item(shared, "toy#0"), item("Who wrote Hamlet?", "toy#1")]
    items[1].rationale = shared  # pickle memoizes shared objects: bytes differ, content doesn't
    fates = [Fate("toy#2", FateKind.REJECTED, "source", "bad_row")]
    copy_items, copy_fates = pickle.loads(pickle.dumps((items, fates)))
    assert input_hash(copy_items, copy_fates) == input_hash(items, fates)
    assert input_hash(items[::-1], fates) != input_hash(items, fates)
    assert input_hash(items, []) != input_hash(items, fates)
    renamed = [item(shared, "toy#9"), items[1]]
    assert input_hash(renamed, fates) != input_hash(items, fates)
    retagged = [items[0], item("Who wrote Hamlet?", "toy#1")]
    retagged[1].domain = Domain.CULTURE
    assert input_hash(retagged, fates) != input_hash(items, fates)


def test_code_closure_follows_imports_but_not_sibling_builders():
    from abstain_data.builders.negation import Negation

    modules = code_modules(Negation)
    assert {"abstain_data.builders.negation", "abstain_data.builders.base",
            "abstain_data.builders.gates", "abstain_data.pipeline.step",
            "abstain_data.items"} <= modules.keys()
    assert not {"abstain_data.builders.context_swap", "abstain_data.builders"} & modules.keys()
    assert all(len(digest) == 64 for digest in modules.values())


def test_imports_resolve_relative_lazy_and_submodule_forms():
    source = ("from .base import Candidate\nfrom . import gates\nimport abstain_data.items\n"
              "def f():\n    from abstain_data.dedupe.matcher import NearDuplicateIndex\n"
              "from abstain_data import nlp\nimport json\n")
    path = PACKAGE_DIR / "builders" / "negation.py"
    assert imported_modules("abstain_data.builders.negation", source, path) == {
        "abstain_data.builders.base", "abstain_data.builders.gates", "abstain_data.items",
        "abstain_data.dedupe.matcher", "abstain_data.nlp"}


@pytest.fixture(scope="module")
def default_steps() -> list[Step]:
    return make_steps(load_recipe(None), BuildContext(seed=13))


def readers(steps: list[Step], data_file: str) -> list[str]:
    """The names of the steps whose identity hashes `data_file` (package-relative)."""
    return [s.name for s in steps if data_file in s.identity("x").data]


def test_every_data_file_of_the_package_is_hashed_by_the_steps_that_read_it(default_steps):
    bait = [s.name for s in default_steps if s.name.startswith("bait_")]
    assert readers(default_steps, "tagging/lexicons.toml") == ["tag"]
    assert readers(default_steps, "builders/lexicons/antonyms.json") == ["negation"]
    assert readers(default_steps, "builders/lexicons/gazetteer.txt") == [
        "entity_swap", "fabricated_entity", "referent_removal"]  # via kinds.py: people it knows
    assert readers(default_steps, "builders/bait/lexicons/definition.json") == ["bait_definition"]
    assert readers(default_steps, "builders/bait/lexicons/denylist.json") == bait
    assert readers(default_steps, "schema/item.schema.json") == ["validate"]
    lexicons = [p.relative_to(PACKAGE_DIR).as_posix()
                for folder in ("builders/lexicons", "builders/bait/lexicons")
                for p in sorted((PACKAGE_DIR / folder).iterdir())]
    unread = [name for name in lexicons if not readers(default_steps, name)]
    assert unread == []
    assert all(digest != "missing" for s in default_steps
               for digest in s.identity("x").data.values())


def test_a_parameter_naming_a_file_hashes_that_file(tmp_path: Path):
    from abstain_data.builders.fabricated_entity import FabricatedEntity

    syllables = tmp_path / "syllables.json"
    syllables.write_text((PACKAGE_DIR / "builders/lexicons/syllables.json").read_text("utf-8"))
    step = FabricatedEntity(BuildContext(), syllables=str(syllables))
    before = step.identity("x")
    assert before.data[str(syllables)] != "missing"
    syllables.write_text(syllables.read_text("utf-8") + "\n")
    assert FabricatedEntity(BuildContext(), syllables=str(syllables)).signature("x") != (
        before.signature)


def test_build_json_records_every_part_of_each_signature(tmp_path: Path):
    import json

    from abstain_data.build import run_build

    out = tmp_path / "build"
    recipe = tmp_path / "recipe.toml"
    recipe.write_text('seed = 3\n[[sources]]\nname = "qa"\nadapter = "file"\npath = "qa.jsonl"\n'
                      'license = "cc0-1.0"\n[sources.fields]\nprompt = "q"\n', encoding="utf-8")
    (tmp_path / "qa.jsonl").write_text('{"q": "What is 2+2?"}\n', encoding="utf-8")
    run_build(load_recipe(recipe), out)
    steps = json.loads((out / "build.json").read_text(encoding="utf-8"))["steps"]
    assert [s["name"] for s in steps] == ["tag", "dedupe", "validate", "route"]
    for step in steps:
        assert {"params", "code", "data", "model", "input", "signature", "package_version",
                "seed", "reference_year"} <= step.keys()
    assert set(steps[0]["data"]) == {"tagging/lexicons.toml", "tagging/model/domain.json",
                                     "tagging/model/complexity.json",
                                     "tagging/model/word_vectors.txt",
                                     "tagging/model/word_vectors.npy"}
    assert steps[0]["params"] == {"pipe_batch_size": 256} and steps[0]["seed"] == 3
    assert steps[-1]["params"] == {"review_below_confidence": 0.7}


# Run every step of the default recipe, each freshly constructed after every functools cache is
# cleared, and record which package data files it opens (an audit hook sees every open()).
READS_SCRIPT = r"""
import functools, gc, json, pickle, sys
from dataclasses import replace
from pathlib import Path
from abstain_data.build import make_sources, make_steps
from abstain_data.nlp import load_nlp
from abstain_data.pipeline.identity import PACKAGE_DIR
from abstain_data.pipeline.step import Batch, BuildContext
from abstain_data.recipe import load_recipe

recipe = load_recipe(None)
ctx = BuildContext(seed=recipe.seed, spacy_model=recipe.spacy_model,
                   reference_year=recipe.reference_year)
# every field unknown, so that the tagger tags them all; the first rows of each source, so
# that every builder meets seeds of its kind
items = [replace(r.item, known=frozenset()) for source in make_sources(recipe)
         for r in list(source.records())[:30] if r.item]
opened = None

def hook(event, args):
    if event == "open" and opened is not None and isinstance(args[0], (str, Path)):
        path = Path(args[0]).resolve()
        if path.is_relative_to(PACKAGE_DIR) and path.suffix not in (".py", ".pyc"):
            opened.add(path.relative_to(PACKAGE_DIR).as_posix())

sys.addaudithook(hook)
reads = {}
for planned in make_steps(recipe, ctx):
    for obj in gc.get_objects():
        if isinstance(obj, functools._lru_cache_wrapper) and obj is not load_nlp:
            obj.cache_clear()
    opened = set()
    step = type(planned)(ctx, **planned.params())
    for _ in step.run([Batch(pickle.loads(pickle.dumps(items)))]):
        pass
    reads[step.name] = sorted(opened)
    opened = None
print(json.dumps(reads))
"""


def test_every_data_file_a_step_opens_is_in_its_identity(default_steps):
    import json
    import os
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", READS_SCRIPT], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(PACKAGE_DIR.parent)},
                          cwd=PACKAGE_DIR.parent, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    reads = json.loads(done.stdout)
    assert "tagging/lexicons.toml" in reads["tag"]  # the hook sees reads
    # the builders' library word lists (seed fluency) lie outside the package, named by absolute
    # path: tests/builders/test_seed_fluency.py checks them
    assert {s.name: sorted(n for n in s.identity("x").data if not Path(n).is_absolute())
            for s in default_steps} == reads
