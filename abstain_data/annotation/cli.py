"""The `abstain-data annotate` commands: serve, push, pull, status."""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from abstain_data.annotation.settings import BATCH_SIZE, KEY_ENV, URL_ENV
from abstain_data.errors import UserError

if TYPE_CHECKING:
    from abstain_data.annotation import server
    from abstain_data.annotation.pull import RoundReport

DEFAULT_DATA_DIR = Path.home() / ".abstain-data" / "label-studio"
AGREEMENT_LINES = 50

annotate = typer.Typer(help="Annotation rounds in Label Studio: route the review queue to people "
                            "and fold their labels back into the build.", no_args_is_help=True)

BuildDir = Annotated[Path, typer.Argument(help="A build folder (from `abstain-data build`).")]
Project = Annotated[str | None, typer.Option(
    "--project", help='Label Studio project title [default: "abstain-data <folder name>"].')]
Url = Annotated[str | None, typer.Option(
    "--url", help=f"Label Studio URL [default: ${URL_ENV}].", show_default=False)]
ApiKey = Annotated[str | None, typer.Option(
    "--api-key", help=f"Label Studio API key [default: ${KEY_ENV}]; prefer the variable.",
    show_default=False)]


def register(app: typer.Typer) -> None:
    """Add the `annotate` sub-app to the main app."""
    app.add_typer(annotate, name="annotate")


@annotate.command("serve")
def serve_command(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = 8080,
    data_dir: Annotated[Path, typer.Option(help="Where Label Studio keeps its database.")] =
        DEFAULT_DATA_DIR,
) -> None:
    """Start a local Label Studio on 127.0.0.1 and print the settings to export; Ctrl-C stops it.

    The admin login and API token are created without a browser and kept (mode 0600) in the
    data dir, so a restart with the same --data-dir reuses them.
    """
    from abstain_data.annotation import server

    running = server.start(data_dir.resolve(), port)
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)
    try:
        typer.echo(f"Starting Label Studio (pid {running.pid}, log {running.log}); "
                   "the first start takes about a minute...")
        credentials = _healthy_credentials(running)
        typer.echo(f"Label Studio is up at {running.url}")
        typer.echo(f"Log in as {credentials.email}; the password is in "
                   f"{running.data_dir / server.CREDENTIALS_FILE}")
        typer.echo("Export these in the shell that runs `abstain-data annotate`:")
        typer.echo(f"  export {URL_ENV}={running.url}")
        typer.echo(f"  export {KEY_ENV}={credentials.token}")
        typer.echo("Press Ctrl-C to stop the server.")
        sys.stdout.flush()
        server.wait_exit(running)
        raise UserError(f"Label Studio exited by itself; see {running.log}")
    except KeyboardInterrupt:
        typer.echo("Stopping Label Studio...")
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):  # a second Ctrl-C must not cut the stop
            signal.signal(signum, signal.SIG_IGN)
        server.stop(running.pid)


def _healthy_credentials(running: server.RunningServer) -> server.Credentials:
    """Wait for the server to answer, then get (or create) its admin token."""
    from abstain_data.annotation import server

    server.wait_healthy(running)
    return server.ensure_credentials(running)


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM and SIGINT (even where a parent shell ignores it) stop the server like Ctrl-C."""
    raise KeyboardInterrupt


@annotate.command("push")
def push_command(build_dir: BuildDir, project: Project = None, url: Url = None,
                 api_key: ApiKey = None,
                 batch_size: Annotated[int, typer.Option(min=1, help="Tasks per import.")] =
                     BATCH_SIZE) -> None:
    """Import the queued items of a build as tasks (again-safe: nothing is imported twice)."""
    from abstain_data.annotation.client import connect, connection_from
    from abstain_data.annotation.push import push

    connection = connection_from(url, api_key)
    report = push(connect(connection), connection, build_dir, project, batch_size)
    typer.echo(f"project {report.title!r} (id {report.project_id}): {report.queued} queued, "
               f"{report.already_present} already there, {report.imported} imported")


@annotate.command("pull")
def pull_command(build_dir: BuildDir, project: Project = None, url: Url = None,
                 api_key: ApiKey = None,
                 min_annotators: Annotated[int, typer.Option(
                     min=1, help="Votes an item needs before it can be resolved.")] = 2) -> None:
    """Fold the annotations back into the build: one round of votes, decisions and agreement."""
    from abstain_data.annotation.client import connect, connection_from
    from abstain_data.annotation.pull import pull

    connection = connection_from(url, api_key)
    _print_round(pull(connect(connection), connection, build_dir, project, min_annotators))


def _print_round(report: RoundReport) -> None:
    """The round summary: resolved, open, agreement, alpha, builder precision."""
    if report.recovered:
        typer.echo(f"an interrupted earlier pull was {report.recovered}")
    if report.round is None:
        typer.echo(f"nothing new: {report.still_open} items still open")
        return
    typer.echo(f"round {report.round:03d}: {report.votes} votes; resolved "
               f"{report.verified + report.rejected} ({report.verified} verified, of which "
               f"{report.relabelled} relabelled; {report.rejected} rejected); "
               f"still open {report.still_open}")
    alpha = "n/a" if report.alpha is None else f"{report.alpha:.3f}"
    typer.echo(f"Krippendorff's alpha (nominal): {alpha}")
    agreement = sorted(report.agreement.items())
    if agreement:
        mean = sum(a for _, a in agreement if a is not None) / len(agreement)
        typer.echo(f"agreement per item (mean {mean:.3f}):")
        for item_id, value in agreement[:AGREEMENT_LINES]:
            typer.echo(f"  {item_id}  {value:.3f}")
        if len(agreement) > AGREEMENT_LINES:
            typer.echo(f"  ... {len(agreement) - AGREEMENT_LINES} more in the round file")
    for name, score in sorted(report.builders.items()):
        typer.echo(f"builder {name}: precision {score.precision:.3f} "
                   f"(exact category {score.code_precision:.3f}) over {score.judged} items")


@annotate.command("status")
def status_command(build_dir: BuildDir, project: Project = None, url: Url = None,
                   api_key: ApiKey = None) -> None:
    """Tasks total and annotated in the project; items resolved and open in the build."""
    from abstain_data.annotation.client import connect, connection_from
    from abstain_data.annotation.status import status

    connection = connection_from(url, api_key)
    report = status(connect(connection), connection, build_dir, project)
    typer.echo(f"project {report.title!r}: {report.tasks} tasks, {report.annotated} annotated; "
               f"items resolved {report.resolved} ({report.verified} verified, "
               f"{report.rejected} rejected), open {report.open}; rounds {report.rounds}")
