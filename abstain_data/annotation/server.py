"""Start and stop a local Label Studio server for annotation rounds.

Label Studio pins many packages (label-studio-sdk exactly, Django, ...), so it lives in its own
virtual environment. `find_executable` looks for it in this order:
`$ABSTAIN_DATA_LABEL_STUDIO_BIN`, `<cwd>/.venv-label-studio/bin/label-studio`,
`<repo>/.venv-label-studio/bin/label-studio`, then `label-studio` on PATH.

The server always binds 127.0.0.1, keeps its SQLite database and files in a data dir we choose,
and gets the admin e-mail and password through the environment. A personal access token is made
without a browser: log in through the web form (CSRF cookie), then `POST /api/token/`. Label
Studio allows one such token per user and never shows it again, so `ensure_credentials` keeps
the admin password and token in `<data dir>/abstain-data-credentials.json` (mode 0600), next to
the server's own database that already holds them; nothing else writes the token anywhere.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from abstain_data.errors import UserError
from abstain_data.staging import write_text_atomically

BIN_ENV = "ABSTAIN_DATA_LABEL_STUDIO_BIN"
VENV_DIR = ".venv-label-studio"
INSTALL_HINT = (
    f"python3 -m venv {VENV_DIR} && {VENV_DIR}/bin/pip install label-studio==1.23.2 "
    "-c constraints/label-studio.txt "
    f"(or set {BIN_ENV} to a label-studio executable)"
)
HOST = "127.0.0.1"
CREDENTIALS_FILE = "abstain-data-credentials.json"
LOG_FILE = "label-studio.log"
ADMIN_EMAIL = "admin@abstain-data.local"
# Un-prefixed variables Label Studio also reads; a stray PORT or HOST would move the server.
_STRAY_ENV = ("USERNAME", "PASSWORD", "PORT", "HOST", "DEBUG")


@dataclass(frozen=True)
class Credentials:
    """The admin login of one data dir and its personal access token (kept secret)."""

    email: str
    password: str
    token: str = ""

    def __repr__(self) -> str:
        return f"Credentials(email={self.email!r}, password=***, token=***)"


@dataclass
class RunningServer:
    """A Label Studio process we started: its PID, URL, data dir and log file."""

    pid: int
    url: str
    data_dir: Path
    log: Path
    process: subprocess.Popen[bytes] | None = None


# the checkout this package runs from (an editable install): its .venv-label-studio counts too
REPO_ROOT = Path(__file__).resolve().parents[2]


def find_executable(cwd: Path | None = None) -> Path:
    """The label-studio executable (see module docstring for the order); UserError if none."""
    configured = os.environ.get(BIN_ENV)
    if configured:
        path = Path(configured)
        if not (path.is_file() and os.access(path, os.X_OK)):
            raise UserError(f"{BIN_ENV}={configured} is not an executable file")
        return path
    for root in (cwd or Path.cwd(), REPO_ROOT):
        candidate = root / VENV_DIR / "bin" / "label-studio"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which("label-studio")
    if found:
        return Path(found)
    raise UserError(f"Label Studio is not installed; install it in its own venv: {INSTALL_HINT}")


def port_is_free(port: int, host: str = HOST) -> bool:
    """True when nothing listens on host:port (Label Studio silently moves off a busy port).

    Connections of a server that just stopped linger in TIME_WAIT; they do not make the port
    busy (SO_REUSEADDR), a listening socket does.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = HOST) -> int:
    """A port on `host` that is free right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def server_env(data_dir: Path, credentials: Credentials) -> dict[str, str]:
    """The environment for a headless Label Studio keeping its state in `data_dir`."""
    env = {k: v for k, v in os.environ.items() if k not in _STRAY_ENV}
    env.update({
        "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir),
        "LABEL_STUDIO_USERNAME": credentials.email,
        "LABEL_STUDIO_PASSWORD": credentials.password,
        "LABEL_STUDIO_LATEST_VERSION_CHECK": "false",
        "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
    })
    return env


def load_credentials(data_dir: Path) -> Credentials:
    """The admin credentials stored for `data_dir`, or new ones (a random password, no token)."""
    path = data_dir / CREDENTIALS_FILE
    if path.is_file():
        stored = json.loads(path.read_text(encoding="utf-8"))
        return Credentials(stored["email"], stored["password"], stored.get("token", ""))
    return Credentials(ADMIN_EMAIL, secrets.token_urlsafe(18))


def save_credentials(data_dir: Path, credentials: Credentials) -> None:
    """Write `credentials` to the data dir, readable by the owner only, atomically."""
    write_text_atomically(data_dir / CREDENTIALS_FILE, json.dumps(vars(credentials)), 0o600)


def start(data_dir: Path, port: int | None = None,
          executable: Path | None = None) -> RunningServer:
    """Launch Label Studio on 127.0.0.1:`port` (a free one if None) with its state in `data_dir`.

    The admin credentials of the data dir are saved (or reused) first, so the password stays
    the same across restarts. Returns at once; call `wait_healthy` next. UserError if the port
    is busy. The process gets its own session so that `stop` ends it and its children by PID.
    """
    executable = executable or find_executable()
    port = port or free_port()
    if not port_is_free(port):
        raise UserError(f"port {port} on {HOST} is busy; choose another with --port")
    data_dir.mkdir(parents=True, exist_ok=True)
    credentials = load_credentials(data_dir)
    save_credentials(data_dir, credentials)
    log = data_dir / LOG_FILE
    command = [str(executable), "start", "--no-browser", "--internal-host", HOST,
               "--port", str(port), "--data-dir", str(data_dir)]
    with log.open("ab") as out:
        process = subprocess.Popen(
            command, env=server_env(data_dir, credentials), stdout=out, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True, cwd=data_dir,
        )
    return RunningServer(process.pid, f"http://{HOST}:{port}", data_dir, log, process)


def wait_healthy(server: RunningServer, timeout: float = 240.0) -> None:
    """Poll `GET /health` until it answers UP; UserError if the process dies or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process is not None and server.process.poll() is not None:
            raise UserError(f"Label Studio exited with code {server.process.returncode}: "
                            f"{last_log_line(server.log)} (whole log: {server.log})")
        with contextlib.suppress(requests.RequestException):
            response = requests.get(f"{server.url}/health", timeout=2)
            if response.ok and response.json().get("status") == "UP":
                return
        time.sleep(0.5)
    raise UserError(f"Label Studio did not answer {server.url}/health within {timeout:.0f} s; "
                    f"see {server.log}")


def last_log_line(log: Path) -> str:
    """The last non-blank line of a server log (the error that ended it), or a note if none."""
    with contextlib.suppress(OSError):
        lines = [line.strip() for line in log.read_text(errors="replace").splitlines()]
        for line in reversed(lines):
            if line:
                return line
    return "its log is empty"


def create_token(url: str, credentials: Credentials) -> str:
    """Log in as the admin through the web form and create its personal access token.

    UserError if the login fails or the user already has a token (Label Studio shows a token
    only once; a data dir whose credentials file was lost needs a fresh data dir).
    """
    session = requests.Session()
    session.get(f"{url}/user/login/", timeout=30)
    response = session.post(
        f"{url}/user/login/",
        data={"email": credentials.email, "password": credentials.password,
              "csrfmiddlewaretoken": session.cookies.get("csrftoken", "")},
        headers={"Referer": f"{url}/user/login/"}, allow_redirects=False, timeout=30,
    )
    if response.status_code != 302:
        raise UserError(f"could not log in to {url} as {credentials.email}")
    response = session.post(
        f"{url}/api/token/",
        headers={"X-CSRFToken": session.cookies.get("csrftoken", ""), "Referer": f"{url}/"},
        timeout=30,
    )
    if response.status_code == 409:
        raise UserError(f"{credentials.email} already has an access token that was not saved; "
                        "start with a fresh --data-dir")
    if response.status_code != 201:
        raise UserError(f"{url}/api/token/ answered HTTP {response.status_code}")
    return str(response.json()["token"])


def ensure_credentials(server: RunningServer) -> Credentials:
    """The admin credentials of a healthy server, creating and saving the token on first use."""
    credentials = load_credentials(server.data_dir)
    if not credentials.token:
        credentials = Credentials(credentials.email, credentials.password,
                                  create_token(server.url, credentials))
        save_credentials(server.data_dir, credentials)
    return credentials


def wait_exit(server: RunningServer) -> None:
    """Block until the server process ends (it runs until stopped)."""
    while _alive(server.pid):
        time.sleep(1.0)


def stop(pid: int, timeout: float = 30.0) -> None:
    """End the server started with PID `pid` and its process group: SIGTERM, then SIGKILL."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid):
            return
        time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)
    _alive(pid)


def _alive(pid: int) -> bool:
    """True while process `pid` runs; reaps it when it is our exited child."""
    with contextlib.suppress(ChildProcessError):
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
