"""The keyword domain rule (the classifier's signals and baseline) on hand labels and per signal."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest

from abstain_data.items import Domain
from abstain_data.tagging.domain import (
    LEXICON_FILE,
    PRIORITY,
    alternation,
    domain_scores,
    keyword_domain,
    lexicon_patterns,
)

# Measured: dev 0.981, heldout_a 0.975 (0.675 before the lexicons were widened), heldout_b 0.750.
FLOORS = {"dev": 0.95, "heldout_a": 0.95, "heldout_b": 0.70}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_accuracy_on_hand_labelled_questions(nlp, labelled, name):
    rows = labelled(name)
    docs = nlp.pipe(row.text for row in rows)
    right = sum(keyword_domain(row.text, doc).value == row.domain
                for row, doc in zip(rows, docs, strict=True))
    assert right / len(rows) >= FLOORS[name], f"{name}: {right}/{len(rows)}"


def test_hand_labels_cover_every_required_domain(labelled):
    labels = {row.domain for name in FLOORS for row in labelled(name)}
    required = {"general", "science", "history", "geography", "math", "medical", "legal",
                "finance", "technology", "culture"}
    assert required <= labels
    assert len(labelled("dev")) >= 80


def test_lexicon_file_names_real_domains_and_has_no_duplicates():
    domains = tomllib.loads(LEXICON_FILE.read_text(encoding="utf-8"))["domains"]
    assert {Domain(name) for name in domains} == set(PRIORITY)
    for name, entries in domains.items():
        assert len(entries) == len(set(entries)), name
        assert len(entries) >= 50, name


@pytest.mark.parametrize(("text", "domain"), [
    ("What is the capital of Peru?", Domain.GEOGRAPHY),
    ("Which vaccinations does a newborn get?", Domain.MEDICAL),  # prefix entry "vaccin*"
    ("How many bonds did the company issue?", Domain.FINANCE),  # plural of "bond"
    ("Who painted the portrait?", Domain.CULTURE),
    ("What is 17 multiplied by 23?", Domain.MATH),  # arithmetic expression
    # numbers in a first-person story are the asker's specifics, not a word problem
    ("I am 30 years old and weigh 90 kg. What is my body mass index?", Domain.MEDICAL),
])
def test_tagged_domain(nlp, text, domain):
    assert keyword_domain(text, nlp(text)) is domain


def test_whole_words_only(nlp):
    # "art" must not fire inside "start", nor "war" inside "awards" or "software"
    text = "When does the start of the awards ceremony happen for software?"
    assert domain_scores(text, nlp(text)) == {Domain.TECHNOLOGY: 1}


def test_no_signal_is_general(nlp):
    text = "What is your favourite colour?"
    assert domain_scores(text, nlp(text)) == {}
    assert keyword_domain(text, nlp(text)) is Domain.GENERAL


def test_word_problem_outweighs_money_words(nlp):
    text = ("Sara has 12 dollars. She earns 8 more dollars and spends 5 dollars on a book. "
            "How many dollars does she have now?")
    scores = domain_scores(text, nlp(text))
    assert scores[Domain.FINANCE] > 0
    assert keyword_domain(text, nlp(text)) is Domain.MATH


def test_blood_pressure_reading_is_not_arithmetic(nlp):
    text = "My blood pressure is 150/95 mmHg; is that high?"
    assert domain_scores(text, nlp(text))[Domain.MATH] == 0


def test_past_date_question_and_era_dates_add_history(nlp):
    asked = "In what year did the bridge open?"
    assert domain_scores(asked, nlp(asked))[Domain.HISTORY] == 1
    present = "In what year does the bridge open?"
    assert domain_scores(present, nlp(present))[Domain.HISTORY] == 0
    era = "Who ruled Egypt in 30 BC?"
    assert domain_scores(era, nlp(era))[Domain.HISTORY] >= 1


def test_money_entity_adds_finance(nlp):
    text = "Is $250 enough?"
    assert domain_scores(text, nlp(text))[Domain.FINANCE] >= 1


def test_ties_go_to_the_more_specific_domain(nlp):
    # one medical word and one history word: medical comes first in PRIORITY
    text = "Which doctor served the emperor?"
    scores = domain_scores(text, nlp(text))
    assert scores[Domain.MEDICAL] == scores[Domain.HISTORY] == 1
    assert keyword_domain(text, nlp(text)) is Domain.MEDICAL


def test_agrees_with_the_domains_the_demo_corpus_states(nlp):
    # measured 0.84 over the 419 demo questions (their stated domain is by passage topic, which
    # a question alone often does not show: "Who designed ENIAC?"; and the keyword baseline
    # calls a sports question with a past year history: "Which city hosted the 1964 Summer
    # Olympics?"), 0.87 over the first 308
    demo = Path(__file__).resolve().parents[2] / "abstain_data" / "demo"
    rows = [json.loads(line) for path in sorted(demo.glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines()]
    docs = nlp.pipe(row["question"] for row in rows)
    right = sum(keyword_domain(row["question"], doc).value == row["domain"]
                for row, doc in zip(rows, docs, strict=True))
    assert right / len(rows) >= 0.83, f"{right}/{len(rows)}"


def flat(entries: list[str]) -> re.Pattern[str]:
    """The lexicon pattern as one flat alternation of the entries, longest first (what
    `alternation` groups by first character)."""
    bodies = "|".join(re.escape(e[:-1]) + r"\w*" if e.endswith("*") else re.escape(e) + "(?:s|es)?"
                      for e in sorted(entries, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{bodies})(?![\w-])", re.IGNORECASE)


def test_grouped_alternation_matches_what_the_flat_one_matches():
    entries = ["cell", "cells", "cell phone", "Cellular*", "blood", "blood pressure", "bone",
               "bond", "b", "vaccin*", "3d printing", "x-ray"]
    grouped = re.compile(rf"(?<![\w-])(?:{alternation(entries)})(?![\w-])", re.IGNORECASE)
    texts = ["Cell phones and CELLS; a cellular bond, blood pressures and bloods.",
             "Is a Bone-marrow vaccine or vaccinations safe? B and b-cells, 3D printings.",
             "An X-ray of cellphone blood pressure", "cellss celles bonded b."]
    for text in texts:
        assert [m.span() for m in grouped.finditer(text)] == \
               [m.span() for m in flat(entries).finditer(text)]


def test_the_lexicon_patterns_match_what_the_flat_ones_match():
    data = tomllib.loads(LEXICON_FILE.read_text(encoding="utf-8"))["domains"]
    demo = Path(__file__).resolve().parents[2] / "abstain_data" / "demo"
    texts = [text for path in sorted(demo.glob("*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines()
             for text in (json.loads(line)["question"], json.loads(line).get("context") or "")]
    for name, pattern in lexicon_patterns().items():
        old = flat(data[name.value])
        assert [[m.span() for m in pattern.finditer(t)] for t in texts] == \
               [[m.span() for m in old.finditer(t)] for t in texts], name


def test_a_lexicon_entry_must_start_with_an_ascii_character():
    with pytest.raises(ValueError, match="ASCII"):
        alternation(["blood", "\u017fun"])  # the long s matches "s" case-insensitively
