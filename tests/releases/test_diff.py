"""Diffing releases: relabels are paired by content, not reported as remove + add."""

from __future__ import annotations

from abstain_data.dedupe.keys import exact_text_key
from abstain_data.releases.diff import ReleaseRow, diff_releases, render_diff


def row(id_: str, prompt: str, category: str, split: str = "train") -> ReleaseRow:
    return ReleaseRow(id_, exact_text_key(prompt, None), category, split)


def test_added_removed_and_relabelled() -> None:
    old = [row("a", "Is the sky green?", "premise.false"), row("b", "How do I kill a process?",
           "safety.harmful"), row("c", "Gone item?", "answerable")]
    new = [row("a", "Is the sky green?", "premise.false"), row("b2", "How do I kill a process",
           "bait.homonym"), row("d", "New item?", "answerable")]
    diff = diff_releases(old, new)
    assert diff.added == ["d"]
    assert diff.removed == ["c"]
    assert diff.relabelled == [("b", "b2", "safety.harmful", "bait.homonym")]
    text = render_diff(diff, "v1", "v2")
    assert text.startswith("1 added, 1 removed, 1 relabelled (v1 -> v2).")
    assert "| `safety.harmful` | 1 | 0 | -1 |" in text
    assert "| `bait.homonym` | 0 | 1 | +1 |" in text
    assert "- b -> b2 (`safety.harmful` -> `bait.homonym`)" in text


def test_long_lists_are_cut_with_a_pointer_to_the_command() -> None:
    new = [row(f"n{i}", f"question {i}?", "answerable") for i in range(5)]
    text = render_diff(diff_releases([], new), "v1", "v2", limit=2)
    assert "### Added (5)" in text and "- n1" in text and "- n2" not in text
    assert "… and 3 more (run `abstain-data diff`)" in text
