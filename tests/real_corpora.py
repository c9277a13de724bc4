"""Where the tests find the real corpora (`../shared/corpora` beside the project)."""

from __future__ import annotations

from pathlib import Path

from ci import skip_or_fail


def require_corpora(path: Path) -> Path:
    """`path` when the corpora folder exists; otherwise skip the test, or fail it when CI=true
    (CI always runs with `../shared` beside the clone, so a missing folder there is a broken
    set-up, not a reason to run fewer tests)."""
    if not path.is_dir():
        skip_or_fail(f"real corpora not found at {path}")
    return path
