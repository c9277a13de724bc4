"""CHANGELOG.md of a release: what changed since the previous release in the same folder."""

from __future__ import annotations

from abstain_data.releases.diff import ReleaseRow, diff_releases, render_diff

MAX_IDS = 200


def render_changelog(tag: str, rows: list[ReleaseRow], previous_tag: str | None,
                     previous_rows: list[ReleaseRow] | None) -> str:
    """Markdown changelog of release `tag` against `previous_tag` (first release when None)."""
    head = f"# Changelog\n\n## {tag}\n\n"
    if previous_tag is None or previous_rows is None:
        return head + f"First release: {len(rows)} items.\n"
    body = render_diff(diff_releases(previous_rows, rows), previous_tag, tag, limit=MAX_IDS)
    return head + f"Changes since {previous_tag}: " + body + "\n"
