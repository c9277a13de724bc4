"""Fixtures of the release tests; the helpers live in release_builds.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from release_builds import make_build, sample_items


@pytest.fixture
def build_dir(tmp_path: Path) -> Path:
    """A build folder holding `sample_items()`."""
    return make_build(tmp_path / "build", sample_items())
