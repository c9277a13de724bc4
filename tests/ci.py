"""What a test does when something it needs is missing: skip on a developer's machine, fail in
CI (CI=true), where `.ci/run` always provides the Label Studio server and `../shared/corpora`, so
a missing one is a broken set-up, not a reason to run fewer tests."""

from __future__ import annotations

import os

import pytest


def skip_or_fail(reason: str) -> None:
    """Skip the running test with `reason`, or fail it when CI=true."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)
