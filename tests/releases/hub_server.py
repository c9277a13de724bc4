"""A loopback server speaking the Hugging Face Hub's HTTP protocol, for publishing tests.

No installable local Hub accepts uploads, so this implements, in memory, the endpoints the
unmodified `huggingface_hub` and `datasets` clients call to create a dataset repo, commit to it
(preupload + NDJSON commit with `parentCommit`), tag it, list refs and trees, report repo and
path info, and serve files (`resolve`, HEAD with X-Repo-Commit / ETag, Range requests).
Clients must set `HF_ENDPOINT` to `server.url` and `HF_HUB_DISABLE_XET=1` before importing.

Every file is stored as a regular git blob (preupload answers "regular"), commits form a chain
per branch, and a commit whose `parentCommit` is not the branch head is refused with 412, as
the Hub does. `fail_next` injects error responses (429, 5xx) to exercise client retries.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

DATE = "2026-01-01T00:00:00.000Z"
ERROR_CODES = {"repo": "RepoNotFound", "revision": "RevisionNotFound", "entry": "EntryNotFound"}


def blob_oid(data: bytes) -> str:
    """Git blob sha1 of a file's bytes (the Hub's `oid` of a regular file)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@dataclass
class Commit:
    oid: str
    parent: str | None
    title: str
    files: dict[str, bytes]


@dataclass
class Repo:
    repo_type: str
    repo_id: str
    commits: dict[str, Commit] = field(default_factory=dict)
    branches: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)

    def resolve(self, revision: str) -> Commit | None:
        oid = self.branches.get(revision) or self.tags.get(revision) or revision
        return self.commits.get(oid)

    def commit(self, branch: str, title: str, files: dict[str, bytes]) -> Commit:
        parent = self.branches.get(branch)
        digest = hashlib.sha1(json.dumps(
            [parent, title, sorted((p, blob_oid(d)) for p, d in files.items())]).encode())
        commit = Commit(digest.hexdigest(), parent, title, files)
        self.commits[commit.oid] = commit
        self.branches[branch] = commit.oid
        return commit


class HubError(Exception):
    def __init__(self, status: int, message: str, code: str | None = None,
                 extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.code = status, message, code
        self.extra = extra or {}


@dataclass
class Injected:
    method: str
    pattern: str
    status: int
    times: int
    headers: dict[str, str]


class HubState:
    """Repos, the request log and injected failures, shared by all handler threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.repos: dict[tuple[str, str], Repo] = {}
        self.log: list[tuple[str, str, int]] = []
        self.injected: list[Injected] = []
        self.races: list[tuple[str, dict[str, bytes]]] = []


API = re.compile(r"^/api/(?P<type>models|datasets|spaces)/(?P<repo>[^/]+/[^/]+)"
                 r"(?:/(?P<action>revision|refs|tree|paths-info|preupload|commit|tag|commits)"
                 r"(?:/(?P<rest>.*))?)?$")
RESOLVE = re.compile(r"^/(?P<type>datasets|spaces)/(?P<repo>[^/]+/[^/]+)/resolve/"
                     r"(?P<rev>[^/]+)/(?P<path>.+)$")


class Handler(BaseHTTPRequestHandler):
    server: HubHTTPServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence stderr
        return

    # ---- plumbing ---------------------------------------------------------------------------
    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None,
              content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        state = self.server.state
        with state.lock:
            state.log.append((self.command, urlsplit(self.path).path, status))

    def _json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(payload).encode(), headers)

    def _dispatch(self) -> None:
        state = self.server.state
        path = urlsplit(self.path).path
        with state.lock:
            rule = next((r for r in state.injected if r.times > 0 and r.method == self.command
                         and r.pattern in path), None)
            if rule is not None:
                rule.times -= 1
        if rule is not None:
            self._body()
            self._json(rule.status, {"error": f"injected {rule.status}"}, rule.headers)
            return
        try:
            self._route(path)
        except HubError as exc:
            headers = {"X-Error-Code": exc.code, "X-Error-Message": exc.message} if exc.code else {}
            self._json(exc.status, {"error": exc.message, **exc.extra}, headers)

    do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = _dispatch

    # ---- routing ----------------------------------------------------------------------------
    def _route(self, path: str) -> None:
        if path == "/api/repos/create" and self.command == "POST":
            return self._create_repo(json.loads(self._body() or b"{}"))
        if path == "/api/validate-yaml" and self.command == "POST":
            self._body()
            return self._json(200, {"errors": [], "warnings": []})
        if path == "/api/whoami-v2":
            return self._json(200, {"type": "user", "name": "loopback", "auth": {}})
        match = RESOLVE.match(path)
        if match and self.command in ("GET", "HEAD"):
            repo = self._repo(match["type"], match["repo"])
            return self._resolve(repo, unquote(match["rev"]), unquote(match["path"]))
        match = API.match(path)
        if not match:
            raise HubError(404, f"no route for {self.command} {path}")
        repo = self._repo(match["type"], match["repo"])
        action, rest = match["action"], match["rest"] or ""
        handlers = {
            (None, "GET"): lambda: self._info(repo, "main"),
            ("revision", "GET"): lambda: self._info(repo, unquote(rest)),
            ("refs", "GET"): lambda: self._refs(repo),
            ("tree", "GET"): lambda: self._tree(repo, rest),
            ("paths-info", "POST"): lambda: self._paths_info(repo, unquote(rest)),
            ("preupload", "POST"): lambda: self._preupload(repo, unquote(rest)),
            ("commit", "POST"): lambda: self._commit(repo, unquote(rest)),
            ("tag", "POST"): lambda: self._tag(repo, unquote(rest)),
            ("commits", "GET"): lambda: self._commits(repo, unquote(rest)),
        }
        handler = handlers.get((action, self.command))
        if handler is None:
            raise HubError(405, f"{self.command} not allowed on {path}")
        return handler()

    def _repo(self, kind: str, repo_id: str) -> Repo:
        repo = self.server.state.repos.get((kind.rstrip("s"), unquote(repo_id)))
        if repo is None:
            raise HubError(404, f"Repository {repo_id} not found", ERROR_CODES["repo"])
        return repo

    def _revision(self, repo: Repo, revision: str) -> Commit:
        commit = repo.resolve(revision)
        if commit is None:
            raise HubError(404, f"Invalid rev id: {revision}", ERROR_CODES["revision"])
        return commit

    # ---- endpoints --------------------------------------------------------------------------
    def _create_repo(self, payload: dict[str, Any]) -> None:
        kind = payload.get("type") or "model"
        repo_id = f"{payload.get('organization') or 'loopback'}/{payload['name']}"
        prefix = "" if kind == "model" else f"{kind}s/"
        url = f"{self.server.url}/{prefix}{repo_id}"
        state = self.server.state
        with state.lock:
            if (kind, repo_id) in state.repos:
                raise HubError(409, "You already created this repo", extra={"url": url})
            repo = Repo(kind, repo_id)
            repo.commit("main", "initial commit", {".gitattributes": b"*.parquet filter=lfs\n"})
            state.repos[kind, repo_id] = repo
        self._json(200, {"url": url, "name": repo_id})

    def _info(self, repo: Repo, revision: str) -> None:
        commit = self._revision(repo, revision)
        self._json(200, {
            "_id": repo.repo_id, "id": repo.repo_id, "author": repo.repo_id.split("/")[0],
            "sha": commit.oid, "private": False, "gated": False, "disabled": False,
            "lastModified": DATE, "createdAt": DATE, "downloads": 0, "likes": 0, "tags": [],
            "siblings": [{"rfilename": p, "size": len(d)} for p, d in sorted(commit.files.items())],
        })

    def _refs(self, repo: Repo) -> None:
        def ref(kind: str, name: str, oid: str) -> dict[str, str]:
            return {"name": name, "ref": f"refs/{kind}/{name}", "targetCommit": oid}
        self._json(200, {
            "branches": [ref("heads", n, o) for n, o in sorted(repo.branches.items())],
            "tags": [ref("tags", n, o) for n, o in sorted(repo.tags.items())],
            "converts": [], "pullRequests": [],
        })

    def _entries(self, commit: Commit, paths: list[str], recursive: bool,
                 expand: bool) -> list[dict[str, Any]]:
        """Tree entries (files and folders) directly under or at `paths`."""
        last = {"id": commit.oid, "title": commit.title, "date": DATE}
        out: dict[str, dict[str, Any]] = {}
        for path, data in commit.files.items():
            for base in paths:
                if base and path == base:
                    rel_parts = [path]
                elif not base or path.startswith(base + "/"):
                    tail = path[len(base) + 1:] if base else path
                    parts = tail.split("/")
                    prefix = f"{base}/" if base else ""
                    if recursive:
                        rel_parts = [prefix + "/".join(parts[:i + 1]) for i in range(len(parts))]
                    else:
                        rel_parts = [prefix + parts[0]]
                else:
                    continue
                for entry in rel_parts:
                    if entry == path:
                        out[entry] = {"type": "file", "oid": blob_oid(data), "size": len(data),
                                      "path": path}
                    else:
                        out.setdefault(entry, {"type": "directory", "size": 0, "path": entry,
                                               "oid": hashlib.sha1(entry.encode()).hexdigest()})
                    if expand:
                        out[entry]["lastCommit"] = last
        folder_paths = [p for p in paths if p and p not in commit.files]
        if folder_paths and not any(p.startswith(folder_paths[0] + "/") for p in commit.files):
            raise HubError(404, f"{folder_paths[0]} does not exist", ERROR_CODES["entry"])
        return [out[key] for key in sorted(out)]

    def _tree(self, repo: Repo, rest: str) -> None:
        revision, _, path = rest.partition("/")
        commit = self._revision(repo, unquote(revision))
        query = parse_qs(urlsplit(self.path).query)
        recursive = query.get("recursive", ["false"])[0].lower() == "true"
        expand = query.get("expand", ["false"])[0].lower() == "true"
        self._json(200, self._entries(commit, [unquote(path)], recursive, expand))

    def _paths_info(self, repo: Repo, revision: str) -> None:
        commit = self._revision(repo, revision)
        form = parse_qs(self._body().decode())
        expand = form.get("expand", ["False"])[0].lower() == "true"
        found = []
        for path in form.get("paths", []):
            if path in commit.files:
                found += [e for e in self._entries(commit, [path], False, expand)
                          if e["path"] == path]
            elif any(p.startswith(path + "/") for p in commit.files):
                found.append({"type": "directory", "size": 0, "path": path,
                              "oid": hashlib.sha1(path.encode()).hexdigest()})
        self._json(200, found)

    def _preupload(self, repo: Repo, revision: str) -> None:
        payload = json.loads(self._body())
        commit = repo.resolve(revision)
        files = commit.files if commit else {}
        self._json(200, {"files": [
            {"path": f["path"], "uploadMode": "regular", "shouldIgnore": False,
             "oid": blob_oid(files[f["path"]]) if f["path"] in files else None}
            for f in payload["files"]
        ], "commitOid": commit.oid if commit else None})

    def _commit(self, repo: Repo, branch: str) -> None:
        lines = [json.loads(line) for line in self._body().splitlines() if line.strip()]
        header = next(line["value"] for line in lines if line["key"] == "header")
        state = self.server.state
        with state.lock:
            if branch not in repo.branches:
                raise HubError(404, f"Invalid rev id: {branch}", ERROR_CODES["revision"])
            for race in [r for r in state.races if r[0] == repo.repo_id]:
                state.races.remove(race)
                merged = {**repo.commits[repo.branches[branch]].files, **race[1]}
                repo.commit(branch, "a concurrent writer", merged)
            head = repo.branches[branch]
            parent = header.get("parentCommit")
            if parent and not head.startswith(parent):
                raise HubError(412, f"A commit has happened since {parent}: the head of "
                                    f"{branch} is {head}. Please refresh and try again.")
            files = dict(repo.commits[head].files)
            for line in lines:
                value = line["value"]
                if line["key"] == "file":
                    files[value["path"]] = base64.b64decode(value["content"])
                elif line["key"] == "deletedFile":
                    files.pop(value["path"], None)
                elif line["key"] == "deletedFolder":
                    prefix = value["path"].rstrip("/") + "/"
                    files = {p: d for p, d in files.items() if not p.startswith(prefix)}
                elif line["key"] != "header":
                    raise HubError(400, f"unsupported commit operation {line['key']}")
            commit = repo.commit(branch, header["summary"], files)
        prefix = "" if repo.repo_type == "model" else f"{repo.repo_type}s/"
        self._json(200, {"success": True, "commitOid": commit.oid, "pullRequestUrl": None,
                         "commitUrl": f"{self.server.url}/{prefix}{repo.repo_id}/commit/"
                                      f"{commit.oid}"})

    def _tag(self, repo: Repo, revision: str) -> None:
        payload = json.loads(self._body())
        with self.server.state.lock:
            commit = self._revision(repo, revision)
            if payload["tag"] in repo.tags:
                raise HubError(409, f"Tag {payload['tag']} already exists")
            repo.tags[payload["tag"]] = commit.oid
        self._json(200, {})

    def _commits(self, repo: Repo, revision: str) -> None:
        commit: Commit | None = self._revision(repo, revision)
        out = []
        while commit is not None:
            out.append({"id": commit.oid, "title": commit.title, "message": "", "date": DATE,
                        "authors": [{"user": "loopback"}]})
            commit = repo.commits.get(commit.parent) if commit.parent else None
        self._json(200, out)

    def _resolve(self, repo: Repo, revision: str, path: str) -> None:
        commit = self._revision(repo, revision)
        if path not in commit.files:
            raise HubError(404, f"Entry not found: {path}", ERROR_CODES["entry"])
        data = commit.files[path]
        headers = {"X-Repo-Commit": commit.oid, "ETag": f'"{blob_oid(data)}"',
                   "Accept-Ranges": "bytes"}
        ranged = re.match(r"bytes=(\d*)-(\d*)$", self.headers.get("Range") or "")
        if ranged and self.command == "GET":
            start = int(ranged[1]) if ranged[1] else max(0, len(data) - int(ranged[2]))
            end = int(ranged[2]) if ranged[1] and ranged[2] else len(data) - 1
            end = min(end, len(data) - 1)
            headers["Content-Range"] = f"bytes {start}-{end}/{len(data)}"
            return self._send(206, data[start:end + 1], headers, "application/octet-stream")
        self._send(200, data, headers, "application/octet-stream")


class HubHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.state = HubState()
        self.url = f"http://127.0.0.1:{self.server_address[1]}"


class HubServer:
    """Start/stop the loopback Hub in a background thread; inspect and steer it from tests."""

    def __init__(self) -> None:
        self.httpd = HubHTTPServer()
        self.url = self.httpd.url
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> HubServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def state(self) -> HubState:
        return self.httpd.state

    def repo(self, repo_id: str, repo_type: str = "dataset") -> Repo:
        return self.state.repos[repo_type, repo_id]

    def fail_next(self, method: str, pattern: str, status: int, times: int = 1,
                  headers: dict[str, str] | None = None) -> None:
        """Answer the next `times` requests matching (method, path substring) with `status`."""
        with self.state.lock:
            self.state.injected.append(Injected(method, pattern, status, times, headers or {}))

    def race_next_commit(self, repo_id: str, files: dict[str, bytes]) -> None:
        """Let another writer commit `files` just before the next commit request is handled."""
        with self.state.lock:
            self.state.races.append((repo_id, files))

    def requests(self, method: str | None = None, pattern: str = "") -> list[tuple[str, str, int]]:
        """Logged (method, path, status) triples, optionally filtered."""
        with self.state.lock:
            return [r for r in self.state.log
                    if (method is None or r[0] == method) and pattern in r[1]]

    def push_commit(self, repo_id: str, title: str, files: dict[str, bytes]) -> str:
        """Commit directly on main (another writer racing us); the new head oid."""
        repo = self.repo(repo_id)
        with self.state.lock:
            merged = {**repo.commits[repo.branches["main"]].files, **files}
            return repo.commit("main", title, merged).oid
