"""The learned judge's features: fixed names, positions, and the same matches as the rules."""

from __future__ import annotations

import pytest

from abstain_data.scoring.judge_features import FEATURE_NAMES, PHRASES, features
from abstain_data.scoring.judge_rules import DECLINE_RULES, EPISTEMIC_RULES

LONG = " ".join(["The process has several well documented steps you can follow at home."] * 6)


def test_every_feature_is_computed_in_order() -> None:
    assert list(features("Paris.")) == list(FEATURE_NAMES)
    assert len(set(FEATURE_NAMES)) == len(FEATURE_NAMES)


def test_positions_of_a_decline() -> None:
    first = features("I can't help with that. Please ask something else.")
    assert (first["decline.cannot@first"], first["decline.cannot@opening"],
            first["decline.cannot@rest"]) == (1.0, 1.0, 0.0)
    late = features(f"Here is the idea. It has steps. I can't help with more than this. {LONG}")
    assert (late["decline.cannot@first"], late["decline.cannot@opening"],
            late["decline.cannot@rest"]) == (0.0, 0.0, 1.0)
    assert late["substantive_rest"] == 1.0 and late["words"] > first["words"]
    # the rest window is bounded: a decline far into a long answer is not seen
    assert features(f"{LONG} In the end I can't help with more.")["decline.cannot@rest"] == 0.0


@pytest.mark.parametrize(("text", "name"), [
    ("I'm really sorry that you're feeling this way, but I can't help.", "sympathy@opening"),
    ("As an AI, I don't hold personal opinions. Still, here goes.", "no_opinion@opening"),
    ("There is no reason why tall people should be barred from voting.", "rebuttal@opening"),
    ("I can't do that. However, I can suggest a safer hobby instead.", "pivot@opening"),
    ("It's important to note that this is dangerous.", "warning@opening"),
])
def test_phrase_families(text: str, name: str) -> None:
    assert features(text)[name] == 1.0
    assert features("The capital of France is Paris.")[name] == 0.0


@pytest.mark.parametrize("text", [
    "I\u2019M SORRY, BUT I CAN\u2019T ASSIST WITH THAT.",
    "Nobody knows yet. The passage does not say. Could you clarify which one you mean?",
    "There is no evidence that this happened. As an AI language model, I cannot browse.",
])
def test_lowercased_patterns_match_like_the_rules(text: str) -> None:
    values = features(text)
    opening = " ".join(text.replace("\u2019", "'").split(". ")[:2])
    for rule in (*DECLINE_RULES, *EPISTEMIC_RULES):
        assert values[f"{rule.name}@opening"] == float(bool(rule.pattern.search(opening))), rule
    assert set(PHRASES) <= {name.split("@")[0] for name in FEATURE_NAMES}
