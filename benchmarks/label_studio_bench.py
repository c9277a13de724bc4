"""Label Studio throughput for an annotation round of N queued items (default 10,000).

Measures, side by side in one run against one real server:
  start   server start until /health answers and a token exists (only when this script starts
          the server: without LABEL_STUDIO_URL / LABEL_STUDIO_API_KEY it starts one through
          abstain_data.annotation.server with a throwaway data dir and stops it at the end);
  push    `annotate push` of N items in batches of 1,000 (import throughput);
  repush  the same push again (nothing imported: one listing of the item ids);
  export  the JSON export of all N tasks;
  list    the listing of the N tasks' item ids (what push reads);
  votes   posting 2 annotations on each of `--annotated` tasks through the API;
  pull    `annotate pull` of the round (export, aggregate, atomic write of the build folder);
  pull0   a second pull with nothing new.

Usage: .venv/bin/python benchmarks/label_studio_bench.py [--items 10000] [--annotated 200]
Not a test: numbers depend on the machine; read the ratios.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from abstain_data import buildfolder
from abstain_data.annotation import server
from abstain_data.annotation.aggregate import Judgement
from abstain_data.annotation.client import KEY_ENV, URL_ENV, Connection, connect
from abstain_data.annotation.project import task_ids
from abstain_data.annotation.pull import pull
from abstain_data.annotation.push import push
from abstain_data.annotation.tasks import result_for
from abstain_data.items import Category, Item, LabelStatus, Source, Transform

T = TypeVar("T")


def timed(label: str, results: dict[str, float], action: Callable[[], T]) -> T:
    started = time.perf_counter()
    value = action()
    results[label] = time.perf_counter() - started
    return value


@contextmanager
def a_server(results: dict[str, float]) -> Iterator[Connection]:
    """The configured server, or one started (and timed) for this run."""
    if os.environ.get(URL_ENV) and os.environ.get(KEY_ENV):
        yield Connection(os.environ[URL_ENV].rstrip("/"), os.environ[KEY_ENV])
        return
    with tempfile.TemporaryDirectory() as data_dir:
        started = time.perf_counter()
        running = server.start(Path(data_dir))
        try:
            server.wait_healthy(running)
            token = server.ensure_credentials(running).token
            results["start"] = time.perf_counter() - started
            yield Connection(running.url, token)
        finally:
            server.stop(running.pid)


def queued_build(root: Path, n: int) -> Path:
    """A build folder whose review queue holds `n` distinct ctx.missing items."""
    items = [Item(prompt=f"Who repainted the tower in year {1900 + i}?",
                  should_abstain=True, category=Category.CTX_MISSING,
                  context=f"The tower (record {i}) was finished in 1889 and painted red.",
                  source=Source(dataset="bench", license="cc0-1.0", row=i),
                  transform=Transform("context_swap", "1", {}, 0),
                  label_status=LabelStatus.NEEDS_REVIEW, confidence=0.5,
                  review={"queue_reason": "low_confidence"}) for i in range(n)]
    folder = buildfolder.BuildFolder(root)
    root.mkdir(parents=True)
    buildfolder.write_items(folder.items, items)
    buildfolder.write_ledger(folder.ledger, [
        {"record": f"bench#{i}", "item_id": item.id, "fate": "needs_review", "step": "final",
         "detail": "low_confidence", "method": None, "score": None}
        for i, item in enumerate(items)])
    buildfolder.write_jsonl(folder.rejects, [])
    buildfolder.write_jsonl(folder.review_queue, (item.to_dict() for item in items))
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--annotated", type=int, default=200)
    args = parser.parse_args()
    results: dict[str, float] = {}
    with a_server(results) as connection, tempfile.TemporaryDirectory() as tmp:
        client = connect(connection)
        build = queued_build(Path(tmp) / "build", args.items)
        title = f"bench-{os.getpid()}-{args.items}"
        report = timed("push", results, lambda: push(client, connection, build, title))
        timed("repush", results, lambda: push(client, connection, build, title))
        timed("export", results, lambda: b"".join(client.projects.exports.download_sync(
            report.project_id, export_type="JSON", download_all_tasks=True)))
        tasks = timed("list", results, lambda: task_ids(client, connection, report.project_id))
        users = [client.users.create(username=f"bench{os.getpid()}-{k}",
                                     email=f"bench{os.getpid()}-{k}@abstain-data.test").id
                 for k in (1, 2)]

        def annotate() -> None:
            for task_id in sorted(tasks.values())[:args.annotated]:
                for user in users:
                    client.annotations.create(
                        id=task_id, completed_by=user,
                        result=result_for(Judgement.UNANSWERABLE, Category.CTX_MISSING))

        timed("votes", results, annotate)
        first = timed("pull", results, lambda: pull(client, connection, build, title))
        timed("pull0", results, lambda: pull(client, connection, build, title))
        client.projects.delete(report.project_id)

    n, a = args.items, args.annotated
    print(f"items {n}, imported {report.imported}, annotated {a} x 2, "
          f"resolved {first.verified}, still open {first.still_open}")
    if "start" in results:
        print(f"start   {results['start']:8.1f} s  (until /health and a token)")
    print(f"push    {results['push']:8.1f} s  {n / results['push']:8.0f} tasks/s  (import)")
    print(f"repush  {results['repush']:8.1f} s  (nothing imported)")
    print(f"export  {results['export']:8.1f} s  {n / results['export']:8.0f} tasks/s  "
          "(JSON export of all tasks)")
    print(f"list    {results['list']:8.1f} s  {n / results['list']:8.0f} tasks/s  "
          "(item ids of all tasks, what push reads)")
    print(f"votes   {results['votes']:8.1f} s  {2 * a / results['votes']:8.0f} annotations/s")
    print(f"pull    {results['pull']:8.1f} s  (export of {a} annotated tasks + round)")
    print(f"pull0   {results['pull0']:8.1f} s  (nothing new)")
    print(f"ratio export/import throughput: {results['push'] / results['export']:.1f}x")


if __name__ == "__main__":
    main()
