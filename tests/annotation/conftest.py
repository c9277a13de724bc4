"""Annotation test fixtures: annotator accounts and project names on the session's Label Studio
(the `label_studio` and `client` fixtures of tests/conftest.py)."""

from __future__ import annotations

import itertools
import os

import pytest
from label_studio_sdk import LabelStudio

_NAMES = itertools.count(1)


@pytest.fixture(scope="session")
def annotators(client: LabelStudio) -> list[int]:
    """Three annotator accounts created through the API (POST /api/users/); their user ids."""
    existing = {user.email: user.id for user in client.users.list()}
    ids = []
    for n in (1, 2, 3):
        email = f"annotator{n}@abstain-data.test"
        if email not in existing:
            existing[email] = client.users.create(
                username=f"annotator{n}", email=email, password=f"Annotator-{n}-pass!").id
        ids.append(existing[email])
    return ids


@pytest.fixture
def project_name(request: pytest.FixtureRequest) -> str:
    """A project title unique to this test (Label Studio titles have at most 50 chars)."""
    return f"t{next(_NAMES)}-{os.getpid()}-{request.node.name}"[:50]
