"""Finding, starting and stopping Label Studio, and `annotate serve` as a user runs it."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from label_studio_server import LabelStudioServer, unavailable

from abstain_data.annotation import server
from abstain_data.annotation.client import Connection, connect
from abstain_data.errors import UserError


def test_the_executable_comes_from_the_env_var_then_the_project_venv(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(server.BIN_ENV, str(tmp_path / "nowhere"))
    with pytest.raises(UserError, match=server.BIN_ENV):
        server.find_executable()
    monkeypatch.delenv(server.BIN_ENV)
    local = tmp_path / server.VENV_DIR / "bin" / "label-studio"
    local.parent.mkdir(parents=True)
    local.write_text("#!/bin/sh\n")
    local.chmod(0o755)
    assert server.find_executable(cwd=tmp_path) == local


def test_without_an_install_the_error_names_the_install_command(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(server, "REPO_ROOT", tmp_path)
    monkeypatch.delenv(server.BIN_ENV, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(UserError, match=r"pip install label-studio==1\.23\.2"):
        server.find_executable(cwd=tmp_path)


def test_a_busy_port_is_refused_before_starting(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind((server.HOST, 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert not server.port_is_free(port)
        with pytest.raises(UserError, match=f"port {port}"):
            server.start(tmp_path / "data", port, executable=Path(sys.executable))
    assert not (tmp_path / "data").exists()


def test_a_server_that_dies_at_start_is_reported_with_its_last_log_line(tmp_path: Path) -> None:
    # a stand-in executable that fails the way Label Studio 1.23.2 did with sentry-sdk 3.0.0
    failing = tmp_path / "label-studio"
    failing.write_text("#!/bin/sh\necho 'Traceback (most recent call last):'\n"
                       "echo \"TypeError: Unknown option 'send_default_pii'\"\nexit 1\n")
    failing.chmod(0o755)
    running = server.start(tmp_path / "data", executable=failing)
    with pytest.raises(UserError, match=r"exited with code 1: TypeError: Unknown option "
                                        r"'send_default_pii' \(whole log: .*label-studio\.log\)"):
        server.wait_healthy(running, timeout=30)


def test_the_session_server_is_healthy_and_its_token_works(
        label_studio: LabelStudioServer) -> None:
    assert requests.get(f"{label_studio.url}/health", timeout=10).json() == {"status": "UP"}
    assert connect(label_studio.connection).users.whoami().email
    if label_studio.data_dir is not None:
        stored = (label_studio.data_dir / server.CREDENTIALS_FILE)
        assert stored.stat().st_mode & 0o077 == 0


def test_serve_starts_prints_the_settings_and_stops_on_ctrl_c(
        label_studio: LabelStudioServer, tmp_path: Path) -> None:
    try:
        server.find_executable()
    except UserError as exc:
        unavailable(str(exc))
    data_dir = tmp_path / "serve-data"
    if label_studio.data_dir is not None:
        # A copy of a prepared data dir starts in seconds instead of migrating a new database.
        shutil.copytree(label_studio.data_dir, data_dir,
                        ignore=shutil.ignore_patterns(server.LOG_FILE))
    port = server.free_port()
    command = [str(Path(sys.executable).parent / "abstain-data"), "annotate", "serve",
               "--port", str(port), "--data-dir", str(data_dir)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    lines = []
    try:
        for line in process.stdout:
            lines.append(line)
            if "LABEL_STUDIO_API_KEY=" in line or process.poll() is not None:
                break
        output = "".join(lines)
        url = re.search(r"LABEL_STUDIO_URL=(\S+)", output).group(1)
        key = re.search(r"LABEL_STUDIO_API_KEY=(\S+)", output).group(1)
        pid = int(re.search(r"pid (\d+)", output).group(1))
        assert url == f"http://127.0.0.1:{port}"
        assert connect(Connection(url, key)).users.whoami().email == server.ADMIN_EMAIL
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
    assert "Stopping Label Studio" in process.stdout.read()
    deadline = time.monotonic() + 30
    while not server.port_is_free(port) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert server.port_is_free(port)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
