"""LLM-assisted tagging against a loopback OpenAI-compatible server (real HTTP, our client)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from chat_server import ChatServer
from typer.testing import CliRunner

from abstain_data.cli import app
from abstain_data.errors import UserError
from abstain_data.items import Category, Complexity, Domain, Item, Source
from abstain_data.pipeline.step import Batch, BuildContext
from abstain_data.tagging.classify import classify
from abstain_data.tagging.llm import LLMTagStep, parse_tags

# prompts of different kinds; each test picks those the shipped classifier is sure of or guesses
# on (`kinds`), so that retraining the classifier cannot silently empty a test
CANDIDATES = [
    "What is the capital of Peru?",
    "Who sang the song about the yellow boat?",
    "When was the young and the restless first aired?",
    "What year did seven nation army come out?",
    "Tell me about the harbour.",
    "What is the most common eye color in human beings?",
    "Which film featured the song 'I've had the time of my life'?",
    "What is the ultimate fate of the universe?",
    "Where do thoughts come from?",
    "Who knows everything that is needed to get to the truth and goal?",
    "What does it mean?",
    "Who was the first to do it?",
    "Who owns the harbour?",
]


def kinds(domain_guessed: bool, complexity_guessed: bool) -> list[str]:
    """The candidates whose domain and complexity the shipped classifier guesses (or not)."""
    nlp = BuildContext().nlp
    picked = []
    for prompt in CANDIDATES:
        tags = classify(prompt, nlp(prompt))
        if (tags["domain"].guessed, tags["complexity"].guessed) == (domain_guessed,
                                                                     complexity_guessed):
            picked.append(prompt)
    assert picked, "no candidate of this kind left: add prompts to CANDIDATES"
    return picked


def seed(prompt: str, row: int) -> Item:
    """An answerable source item with nothing stated but its prompt."""
    item = Item(prompt=prompt, should_abstain=False, category=Category.ANSWERABLE,
                source=Source(dataset="test", license="cc-by-4.0", row=row))
    item.record = f"test#{row}"
    return item


def asked_prompt(body: dict) -> str:
    """The prompt the tagger sent in a chat request."""
    return body["messages"][-1]["content"].split("Prompt:\n", 1)[1].split("\n\nTags:")[0]


def test_only_the_classifiers_guesses_are_asked_and_retagged():
    sure, guessed = kinds(False, False)[0], kinds(True, False)[:2]
    items = [seed(p, i) for i, p in enumerate([sure, *guessed])]
    with ChatServer(reply="culture templated") as server:
        step = LLMTagStep(BuildContext(), url=server.url, model="tiny-tagger")
        out = step.process(Batch(items=items))
    assert [asked_prompt(b) for b in server.requests] == guessed
    system = server.requests[0]["messages"][0]["content"]
    assert "Domain and complexity guideline" in system and "library shelf test" in system
    assert server.requests[0]["model"] == "tiny-tagger" and server.requests[0]["temperature"] == 0
    first, *retagged = out.items
    assert first.tag_origin["domain"]["method"] == "tagger"
    for item in retagged:
        assert item.domain is Domain.CULTURE
        assert item.tag_origin["domain"] == {"method": "llm", "model": "llm:tiny-tagger"}
        # complexity was not a guess: the classifier's tag stays
        assert item.tag_origin["complexity"]["method"] == "tagger"
    assert out.counters["llm:domain"] == 2
    assert out.counters["domain:culture"] == 2 + (first.domain is Domain.CULTURE)
    assert "guessed:domain" not in out.counters


def test_an_unclear_reply_keeps_the_guess_and_is_counted():
    with ChatServer(reply="I am not sure") as server:
        out = LLMTagStep(BuildContext(), url=server.url, model="m").process(
            Batch(items=[seed(kinds(True, False)[0], 0)]))
    item = out.items[0]
    assert item.tag_origin["domain"]["method"] == "tagger" and item.tag_origin["domain"]["guessed"]
    assert out.counters["llm_unclear:domain"] == 1 and out.counters["guessed:domain"] == 1


def test_an_unreachable_endpoint_is_one_line_naming_it():
    with ChatServer() as server:
        url = server.url
    step = LLMTagStep(BuildContext(), url=url, model="m", timeout=5)
    unreachable = r"^http://127\.0\.0\.1:\d+/v1: tagging endpoint unreachable"
    with pytest.raises(UserError, match=unreachable):
        step.process(Batch(items=[seed(kinds(True, False)[0], 0)]))


@pytest.mark.parametrize(("reply", "tags"), [
    ("History, open-ended.", {"domain": "history", "complexity": "open_ended"}),
    ("domain: sports\ncomplexity: templated", {"domain": "sports", "complexity": "templated"}),
    ("Politics", {"domain": "politics"}),
    ("no idea", {}),
])
def test_reply_parsing(reply, tags):
    assert parse_tags(reply) == tags


RECIPE = """
seed = 3
[[sources]]
name = "my-qa"
adapter = "file"
path = "qa.jsonl"
license = "cc-by-4.0"
[sources.fields]
prompt = "question"
reference_answers = "answers"
[tagging.llm]
url = "{url}"
model = "tiny-tagger"
"""


def test_a_recipe_with_tagging_llm_builds_validated_items_and_the_card_counts_them(tmp_path: Path):
    sure, guessed = kinds(False, False)[0], kinds(True, False)[:2]
    rows = [{"question": q, "answers": ["x"]} for q in [sure, *guessed]]
    (tmp_path / "qa.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    runner = CliRunner()
    with ChatServer(reply="culture templated") as server:
        (tmp_path / "recipe.toml").write_text(RECIPE.format(url=server.url), "utf-8")
        built = runner.invoke(app, ["build", str(tmp_path / "recipe.toml"),
                                    "--out", str(tmp_path / "out"), "--no-cache"])
    assert built.exit_code == 0, built.output
    table = pq.read_table(tmp_path / "out" / "items.parquet").to_pylist()
    origins = {r["prompt"]: json.loads(r["tag_origin"])["domain"]["method"] for r in table}
    assert origins == {sure: "tagger", guessed[0]: "llm", guessed[1]: "llm"}
    assert {r["domain"] for r in table if r["prompt"] in guessed} == {"culture"}
    assert runner.invoke(app, ["validate", str(tmp_path / "out" / "items.parquet")]).exit_code == 0
    released = runner.invoke(app, ["release", "0.1.0", "--build", str(tmp_path / "out"),
                                   "--out", str(tmp_path / "rel")])
    assert released.exit_code == 0, released.output
    card = (tmp_path / "rel" / "v0.1.0" / "README.md").read_text("utf-8")
    assert "2 re-tagged by a chat model" in card


def test_a_tagging_llm_table_without_a_model_is_a_recipe_error(tmp_path: Path):
    (tmp_path / "qa.jsonl").write_text('{"question": "What is 2+2?", "answers": ["4"]}\n')
    (tmp_path / "recipe.toml").write_text(
        RECIPE.format(url="http://127.0.0.1:9/v1").replace('model = "tiny-tagger"\n', ""))
    result = CliRunner().invoke(app, ["build", str(tmp_path / "recipe.toml"),
                                      "--out", str(tmp_path / "out")])
    assert result.exit_code != 0
    assert "recipe.toml: tagging.llm: 'model' is a required property" in result.output
    assert "Traceback" not in result.output


def test_a_complexity_guess_is_asked_and_a_sure_domain_kept():
    prompt = kinds(False, True)[0]
    with ChatServer(reply="medical templated") as server:
        out = LLMTagStep(BuildContext(), url=server.url, model="m").process(
            Batch(items=[seed(prompt, 0)]))
    item = out.items[0]
    assert len(server.requests) == 1
    assert item.complexity is Complexity.TEMPLATED
    assert item.tag_origin["complexity"] == {"method": "llm", "model": "llm:m"}
    assert item.domain is not Domain.MEDICAL and item.tag_origin["domain"]["method"] == "tagger"
    assert out.counters["llm:complexity"] == 1 and "llm:domain" not in out.counters
