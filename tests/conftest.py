"""Shared test fixtures: the real corpora beside the project (skipping cleanly when absent) and
the session's one Label Studio server (tests/label_studio_server.py)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from label_studio_sdk import LabelStudio
from label_studio_server import LabelStudioServer, unavailable
from real_corpora import require_corpora

from abstain_data.annotation import server
from abstain_data.annotation.client import KEY_ENV, URL_ENV, connect
from abstain_data.errors import UserError

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"
_START_SECONDS: list[float] = []


@pytest.fixture
def corpora() -> Path:
    """`../shared/corpora` from the project root; the test is skipped when it is absent (fails
    under CI=true)."""
    return require_corpora(CORPORA)


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


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Report how long the session's Label Studio took to become healthy (not a test)."""
    for seconds in _START_SECONDS:
        terminalreporter.write_line(f"Label Studio start until /health and token: {seconds:.1f} s")
