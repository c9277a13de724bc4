"""The `abstain-data` command line (typer). Each area registers its commands here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from abstain_data.errors import UserError

app = typer.Typer(
    name="abstain-data",
    help="Build answerability-labelled prompt datasets for evaluating when models should abstain.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)


def fail(message: str) -> typer.Exit:
    """Print `error: message` on stderr as one line; return the Exit to raise."""
    err_console.print(f"error: {message}", markup=False, highlight=False, soft_wrap=True)
    return typer.Exit(1)


@app.command()
def build(
    recipe: Annotated[Path | None, typer.Argument(help="recipe TOML (default: embedded)")] = None,
    out: Annotated[Path, typer.Option(help="build folder to write")] = Path("build"),
    on_error: Annotated[str, typer.Option(help="fail: stop at the first bad source row; "
                                                "skip: send bad rows to rejects.jsonl")] = "fail",
    workers: Annotated[int, typer.Option(min=1, help="worker processes for batch steps")] = 1,
    cache: Annotated[bool, typer.Option(help="reuse finished steps after a crash")] = True,
    executor: Annotated[str, typer.Option(help="local, or ray (Ray Data)")] = "local",
    address: Annotated[str | None, typer.Option(help="Ray cluster to join (--executor ray); "
                                                     "none: a local Ray")] = None,
) -> None:
    """Run a recipe: sources, builders, dedupe, validation, routing; write the build folder."""
    from abstain_data.build import run_build
    from abstain_data.recipe import load_recipe
    from abstain_data.summary import print_summary

    if on_error not in ("fail", "skip"):
        raise fail(f"--on-error: expected 'fail' or 'skip', got {on_error!r}")
    if executor not in ("local", "ray") or (address and executor != "ray"):
        raise fail(f"--executor: expected 'local' or 'ray' (--address needs 'ray'), "
                   f"got {executor!r}")
    try:
        loaded = load_recipe(recipe)
        cache_dir = out.resolve().parent / ".abstain-cache" / out.resolve().name if cache else None
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=err_console, transient=True) as bars:
            tasks: dict[str, int] = {}

            def progress(name: str, done: int, total: int) -> None:
                if name not in tasks:
                    tasks[name] = bars.add_task(name, total=total or None)
                bars.update(tasks[name], completed=done, total=total or None)

            summary = run_build(loaded, out, on_error=on_error, workers=workers,  # type: ignore[arg-type]
                                cache_dir=cache_dir, progress=progress, executor=executor,
                                address=address)
    except UserError as exc:
        raise fail(str(exc)) from None
    print_summary(summary.stats, console, matrix=False)
    console.print(f"build written to {summary.out}")


@app.command()
def stats(
    build_dir: Annotated[Path, typer.Argument(help="a build folder")] = Path("build"),
    as_json: Annotated[bool, typer.Option("--json", help="print stats.json as is")] = False,
) -> None:
    """Print the counts of a build: items by category, label status, source; the ledger;
    the domain x complexity x should_abstain matrix."""
    from abstain_data.buildfolder import BuildFolder
    from abstain_data.summary import print_summary

    path = BuildFolder(build_dir).stats
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise fail(f"{path}: not found (is {build_dir} a build folder?)") from None
    except (OSError, ValueError) as exc:
        raise fail(f"{path}: unreadable stats: {exc}") from None
    if as_json:
        console.print_json(data=data)
        return
    print_summary(data, console)


# Each area registers its commands (bottom of the module: some import `fail` from here).
from abstain_data import inspect_cli  # noqa: E402
from abstain_data.annotation import cli as annotation_cli  # noqa: E402
from abstain_data.releases import cli as releases_cli  # noqa: E402
from abstain_data.schema import cli as schema_cli  # noqa: E402
from abstain_data.scoring import cli as scoring_cli  # noqa: E402

for area in (schema_cli, inspect_cli, annotation_cli, releases_cli, scoring_cli):
    area.register(app)
