"""Where the tests find the real corpora (`../shared/corpora` beside the project)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def require_corpora(path: Path) -> Path:
    """`path` when the corpora folder exists; otherwise skip the test, or fail it when CI=true
    (CI always runs with `../shared` beside the clone, so a missing folder there is a broken
    set-up, not a reason to run fewer tests)."""
    if not path.is_dir():
        reason = f"real corpora not found at {path}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)
    return path
