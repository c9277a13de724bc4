"""The `abstain-data` command line (typer): the app, the build commands, and the areas.

Every area exposes its commands the same way: `abstain_data/<area>/cli.py` has a
`register(app)` that adds them, and imports nothing heavy at module level (each command imports
what it needs when it runs), so `--help` and each command load only their own area. Commands
raise `UserError`; `terminal.CommandGroup` turns it into one `error:` line and exit 1.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from abstain_data.annotation import cli as annotation_cli
from abstain_data.audit import cli as audit_cli
from abstain_data.errors import UserError
from abstain_data.inspection import cli as inspection_cli
from abstain_data.releases import cli as releases_cli
from abstain_data.schema import cli as schema_cli
from abstain_data.scoring import cli as scoring_cli
from abstain_data.terminal import CommandGroup, console, err_console

app = typer.Typer(
    name="abstain-data",
    cls=CommandGroup,
    help="Build answerability-labelled prompt datasets for evaluating when models should abstain.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def build(
    recipe: Annotated[Path | None, typer.Argument(help="recipe TOML (default: embedded)")] = None,
    out: Annotated[Path, typer.Option(help="build folder to write")] = Path("build"),
    on_error: Annotated[str, typer.Option(help="fail: stop at the first bad source row; "
                                                "skip: send bad rows to rejects.jsonl")] = "fail",
    workers: Annotated[int, typer.Option(
        min=1, help="worker processes for parsing, builders and batch steps")] = 1,
    cache: Annotated[bool, typer.Option(help="reuse finished steps after a crash")] = True,
    executor: Annotated[str, typer.Option(help="local, or ray (Ray Data)")] = "local",
    address: Annotated[str | None, typer.Option(help="Ray cluster to join (--executor ray); "
                                                     "none: a local Ray")] = None,
) -> None:
    """Run a recipe: sources, builders, dedupe, validation, routing; write the build folder."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from abstain_data.build import run_build
    from abstain_data.recipe import load_recipe
    from abstain_data.summary import print_summary

    if on_error not in ("fail", "skip"):
        raise UserError(f"--on-error: expected 'fail' or 'skip', got {on_error!r}")
    if executor not in ("local", "ray") or (address and executor != "ray"):
        raise UserError(f"--executor: expected 'local' or 'ray' (--address needs 'ray'), "
                        f"got {executor!r}")
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
    print_summary(summary.stats, console, matrix=False, run=summary.run)
    console.print(f"build written to {summary.out}")


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
        raise UserError(f"{path}: not found (is {build_dir} a build folder?)") from None
    except (OSError, ValueError) as exc:
        raise UserError(f"{path}: unreadable stats: {exc}") from None
    if as_json:
        console.print_json(data=data)
        return
    print_summary(data, console)


def register(app: typer.Typer) -> None:
    """Add `build` and `stats` to `app`, the way every area's cli.py adds its commands."""
    app.command()(build)
    app.command()(stats)


register(app)
for area in (schema_cli, inspection_cli, annotation_cli, audit_cli, releases_cli, scoring_cli):
    area.register(app)
