"""Recipes: schema validation with one-line errors naming the key path; path resolution."""

from __future__ import annotations

import pytest

from abstain_data.errors import UserError
from abstain_data.recipe import default_recipe_path, load_recipe

GOOD = """
seed = 5
[[sources]]
name = "my-qa"
adapter = "file"
path = "data/qa.jsonl"
license = "cc-by-4.0"
[sources.fields]
prompt = "question"
reference_answers = "answers"
"""


def write(tmp_path, text):
    path = tmp_path / "recipe.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_good_recipe_resolves_paths_against_its_folder(tmp_path):
    recipe = load_recipe(write(tmp_path, GOOD))
    assert recipe.seed == 5
    assert recipe.sources[0].path == (tmp_path / "data" / "qa.jsonl").resolve()
    assert recipe.sources[0].fields == {"prompt": "question", "reference_answers": "answers"}
    assert recipe.builders == [] and len(recipe.sha256) == 64
    assert recipe.sources[0].max_text_chars == 1_000_000


def test_max_text_chars_reaches_every_source(tmp_path):
    recipe = load_recipe(write(tmp_path, "max_text_chars = 5000\n" + GOOD))
    assert [spec.max_text_chars for spec in recipe.sources] == [5000]


@pytest.mark.parametrize(("text", "expected"), [
    (GOOD.replace('path = "data', 'pathh = "data'), "sources[0]: unknown key 'pathh'"),
    (GOOD.replace("seed = 5", 'seed = "five"'), "seed: 'five' is not of type 'integer'"),
    (GOOD.replace("seed = 5", "max_text_chars = 2000000"),
     "max_text_chars: 2000000 is greater than the maximum of 1000000"),
    (GOOD + "\n[dedupe]\ntoken_set_ratio = 190\n", "dedupe.token_set_ratio: 190 is greater"),
    (GOOD.replace('adapter = "file"', 'adapter = "nope"'), "sources[0].adapter: unknown adapter"),
    (GOOD + '\n[[builders]]\nname = "nope"\n', "builders[0].name: unknown builder 'nope'"),
    ("seed = 1\n", "(top level): 'sources' is a required property"),
    ("seed = = 1\n", "invalid TOML"),
    (GOOD + GOOD.split("seed = 5")[1], "sources[1].name: duplicate source name 'my-qa'"),
])
def test_bad_recipes_fail_in_one_line_naming_the_key(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(UserError) as err:
        load_recipe(path)
    message = str(err.value)
    assert message.startswith(f"{path}: ") and expected in message and "\n" not in message


def test_missing_recipe_file(tmp_path):
    with pytest.raises(UserError, match="recipe file not found"):
        load_recipe(tmp_path / "nope.toml")


def test_embedded_default_recipe_is_valid():
    recipe = load_recipe(default_recipe_path())
    assert recipe.sources and all(spec.path.exists() for spec in recipe.sources)
