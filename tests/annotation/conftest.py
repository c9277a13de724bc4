"""A real Label Studio for the annotation tests, shared by the whole session, and small builds.

The server: LABEL_STUDIO_URL + LABEL_STUDIO_API_KEY if both are set; otherwise one started
through abstain_data.annotation.server on a free 127.0.0.1 port with a throwaway data dir, and
stopped by PID at the end of the session. Without either the tests skip, except when CI=true,
where they fail: CI must always have a server.
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Iterator

import pytest
from annotation_helpers import LabelStudioServer, unavailable
from label_studio_sdk import LabelStudio

from abstain_data.annotation import server
from abstain_data.annotation.client import KEY_ENV, URL_ENV, connect
from abstain_data.errors import UserError

_START_SECONDS: list[float] = []
_NAMES = itertools.count(1)


@pytest.fixture(scope="session")
def label_studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabelStudioServer]:
    """The session's Label Studio server (see module docstring)."""
    url, key = os.environ.get(URL_ENV), os.environ.get(KEY_ENV)
    if url and key:
        yield LabelStudioServer(url.rstrip("/"), key)
        return
    try:
        executable = server.find_executable()
    except UserError as exc:
        unavailable(f"no Label Studio server: set {URL_ENV} and {KEY_ENV}, or install one ({exc})")
    data_dir = tmp_path_factory.mktemp("label-studio")
    started = time.monotonic()
    running = server.start(data_dir, executable=executable)
    try:
        server.wait_healthy(running)
        credentials = server.ensure_credentials(running)
        _START_SECONDS.append(time.monotonic() - started)
        yield LabelStudioServer(running.url, credentials.token, data_dir)
    finally:
        server.stop(running.pid)


@pytest.fixture(scope="session")
def client(label_studio: LabelStudioServer) -> LabelStudio:
    """An SDK client of the session server, checked by a first request."""
    return connect(label_studio.connection)


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


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Report how long the session's Label Studio took to become healthy (not a test)."""
    for seconds in _START_SECONDS:
        terminalreporter.write_line(f"Label Studio start until /health and token: {seconds:.1f} s")
