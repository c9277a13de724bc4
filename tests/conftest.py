"""Shared test fixtures: the real corpora beside the project, skipping cleanly when absent."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"


@pytest.fixture
def corpora() -> Path:
    """`../shared/corpora` from the project root; the test is skipped when it is absent."""
    if not CORPORA.is_dir():
        pytest.skip(f"real corpora not found at {CORPORA}")
    return CORPORA
