"""CHANGELOG.md of a release: what changed since the previous release in the same folder,
followed by the previous release's changelog, so the newest file tells the whole history."""

from __future__ import annotations

from abstain_data.releases.diff import ReleaseRow, diff_releases, render_diff

MAX_IDS = 200
HEADER = "# Changelog\n\n"


def render_changelog(tag: str, rows: list[ReleaseRow], previous_tag: str | None = None,
                     previous_rows: list[ReleaseRow] | None = None, earlier: str = "") -> str:
    """Markdown changelog of release `tag` against `previous_tag` (first release when None).

    `earlier` is the previous release's CHANGELOG.md; its entries follow the new one.
    """
    if previous_tag is None or previous_rows is None:
        entry = f"## {tag}\n\nFirst release: {len(rows)} items.\n"
    else:
        body = render_diff(diff_releases(previous_rows, rows), previous_tag, tag, limit=MAX_IDS)
        entry = f"## {tag}\n\nChanges since {previous_tag}: {body}\n"
    history = earlier.removeprefix(HEADER).strip()
    return HEADER + entry + (f"\n{history}\n" if history else "")
