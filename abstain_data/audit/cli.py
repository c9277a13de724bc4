"""The `abstain-data audit` commands: sample, push, pull, score, artifacts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from abstain_data.errors import UserError
from abstain_data.terminal import console

audit = typer.Typer(help="Blind label-quality audits of a build, and the artifact audit.",
                    no_args_is_help=True)

AuditDir = Annotated[Path, typer.Argument(help="An audit folder (from `audit sample`).")]
Url = Annotated[str | None, typer.Option("--url", help="Label Studio URL [default: "
                                         "$LABEL_STUDIO_URL].", show_default=False)]
ApiKey = Annotated[str | None, typer.Option(
    "--api-key", help="Label Studio API key [default: $LABEL_STUDIO_API_KEY]; prefer the "
    "variable.", show_default=False)]
Project = Annotated[str | None, typer.Option(
    "--project", help='Label Studio project title [default: "abstain-audit <folder name>"].')]


def register(app: typer.Typer) -> None:
    """Add the `audit` sub-app to the main app."""
    app.add_typer(audit, name="audit")



@audit.command("sample")
def sample_command(
    build: Annotated[Path, typer.Argument(help="A build folder.")],
    n: Annotated[int, typer.Option("--n", help="Items to audit (bait: ours; XSTest adds as "
                                   "many).")],
    out: Annotated[Path, typer.Option(help="The audit folder to write (keep audits in "
                                      "BUILD/audits/<name> so `release` finds them).")],
    kind: Annotated[str, typer.Option(help="answerability: auto items by builder with "
                                      "decoys; bait: bait with XSTest's safe prompts; domain: "
                                      "items by domain tag.")] = "answerability",
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    decoys: Annotated[float, typer.Option(help="Share of answerable decoys among all tasks "
                                          "(answerability).")] = 0.2,
    builders: Annotated[str, typer.Option(help="Comma-separated builders to audit "
                                          "(answerability; default: all).")] = "",
    xstest: Annotated[Path | None, typer.Option(help="XSTest's xstest_prompts.csv "
                                                "(bait).")] = None,
) -> None:
    """Draw a blind review sample: tasks.jsonl for reviewers, key.jsonl kept from them."""
    from abstain_data.audit.sample import SampleKind, draw_sample

    try:
        sample_kind = SampleKind(kind)
    except ValueError:
        raise UserError(f"--kind: expected one of {', '.join(SampleKind)}, "
                        f"got {kind!r}") from None
    chosen = [b.strip() for b in builders.split(",") if b.strip()]
    folder = draw_sample(build, out, sample_kind, n, seed, decoys, chosen, xstest)
    typer.echo(f"wrote {folder.tasks} (give this to reviewers) and {folder.key} (do not)")


@audit.command("score")
def score_command(
    audit_dir: AuditDir,
    labels: Annotated[list[Path] | None, typer.Option(
        "--labels", help="A reviewer's labels JSONL; repeat for several reviewers "
        "[default: AUDIT_DIR/labels.jsonl].")] = None,
) -> None:
    """Score reviewers' labels against the key; write audit.json and print the table."""
    from abstain_data.audit.score import score_folder

    result = score_folder(audit_dir, labels)
    print_audit(result)
    typer.echo(f"wrote {audit_dir / 'audit.json'}")


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f} %"


def print_audit(result: dict[str, Any]) -> None:
    """The audit as tables: precision per builder, bait shares, domain agreement."""
    table = Table(title=f"audit ({result['kind']}): {result['judgements']} judgements")
    for column in ("builder", "n", "precision", "95 % Wilson", "malformed", "category agr."):
        table.add_column(column)
    rows = [*result["builders"].items(), ("all audited", result["overall"]),
            ("decoys", result["decoys"])]
    for name, block in rows:
        interval = ("–" if block["wilson_low"] is None
                    else f"{_pct(block['wilson_low'])} – {_pct(block['wilson_high'])}")
        table.add_row(name, str(block["n"]), _pct(block["precision"]), interval,
                      _pct(block["malformed"]),
                      f"{_pct(block['category_agreement'])} of {block['category_n']}")
    console.print(table)
    if "bait" in result:
        bait = Table(title="bait: benign and looks-unsafe shares")
        for column in ("origin", "family", "n", "benign", "looks unsafe"):
            bait.add_column(column)
        for origin, block in result["bait"].items():
            for family, shares in [*block["families"].items(), ("all", block)]:
                bait.add_row(origin, family, str(shares["n"]), _pct(shares["benign"]),
                             _pct(shares["looks_unsafe"]))
        console.print(bait)
    if result.get("domain"):
        domain = result["domain"]
        table = Table(title=f"domain agreement {_pct(domain['agreement'])} over {domain['n']}; "
                            f"complexity agreement {_pct(domain['complexity']['agreement'])} "
                            f"over {domain['complexity']['n']}")
        for column in ("domain", "n (our tag)", "agreement", "n (reviewers' label)",
                       "agreement", "reviewers said (of our tag)"):
            table.add_column(column)
        per_tag, per_label = domain["per_domain"], domain["per_reviewer_domain"]
        for tag in sorted(set(per_tag) | set(per_label)):
            ours, theirs = per_tag.get(tag), per_label.get(tag)
            said = ", ".join(f"{k} {v}" for k, v in domain["confusion"].get(tag, {}).items())
            table.add_row(tag, str(ours["n"] if ours else 0), _pct(ours and ours["agreement"]),
                          str(theirs["n"] if theirs else 0), _pct(theirs and theirs["agreement"]),
                          said)
        console.print(table)
        for field, shared in domain["inter_reviewer"].items():
            if shared:
                typer.echo(f"reviewers' own {field} agreement: "
                           f"{_pct(shared['pairwise_agreement'])} over {shared['items']} items "
                           "labelled by 2+ reviewers")
    if result["unlabelled_tasks"]:
        typer.echo(f"{result['unlabelled_tasks']} of {result['tasks']} tasks have no label yet")
    if result["inter_reviewer"]:
        agreement = result["inter_reviewer"]
        alpha = agreement["krippendorff_alpha"]
        typer.echo(f"inter-reviewer: {agreement['items']} items labelled by 2+ reviewers, "
                   f"pairwise agreement {_pct(agreement['pairwise_agreement'])}, "
                   f"Krippendorff's alpha {'n/a' if alpha is None else f'{alpha:.3f}'}")


@audit.command("artifacts")
def artifacts_command(
    folder: Annotated[Path, typer.Argument(help="A build folder or a release folder.")],
    seed: Annotated[int | None, typer.Option(
        help="Seed of the folds and the classifier [default: the build's seed, the one its "
             "cue filter used]")] = None,
) -> None:
    """Can the prompt alone give the label away? AUC per source and builder, top cues.

    A TF-IDF + logistic regression classifier of the prompt (and one of prompt and passage),
    grouped cross-validation within each source; writes FOLDER/audits/artifacts.json.
    """
    from abstain_data.audit.artifacts import build_seed, write_artifacts
    from abstain_data.audit.release import auc_text, twin_text

    report, path = write_artifacts(folder, build_seed(folder) if seed is None else seed)
    table = Table(title=f"artifact audit: {report['items']} items, seed {report['seed']}")
    for column in ("source", "n", "abstain", "AUC prompt (95 %)", "AUC prompt+passage",
                   "AUC corpus items only", "top abstain cues"):
        table.add_column(column)
    for name, entry in report["sources"].items():
        cues = ", ".join(term for term, _ in entry.get("abstain_cues", [])[:6])
        table.add_row(name, str(entry["n"]), str(entry["abstain"]),
                      auc_text(entry.get("auc_prompt"), entry.get("auc_prompt_ci")),
                      auc_text(entry.get("auc_prompt_passage")),
                      auc_text(entry.get("auc_prompt_corpus")),
                      cues or entry.get("skipped", ""))
    console.print(table)
    builders = Table(title="per builder: its items against their paired items of the other "
                           "label")
    for column in ("builder", "items", "paired", "AUC prompt (95 %)", "AUC prompt+passage",
                   "AUC vs twin (paired)"):
        builders.add_column(column)
    for name, entry in report["builders"].items():
        builders.add_row(name, str(entry["items"]), str(entry["contrast"]),
                         auc_text(entry["auc_prompt"], entry.get("auc_prompt_ci")),
                         auc_text(entry["auc_prompt_passage"]), twin_text(entry))
    console.print(builders)
    typer.echo(f"wrote {path}")


@audit.command("push")
def push_command(audit_dir: AuditDir, project: Project = None, url: Url = None,
                 api_key: ApiKey = None) -> None:
    """Import the sample as a blind Label Studio project (prompt and passage only)."""
    from abstain_data.annotation.client import connect, connection_from
    from abstain_data.audit.labelstudio import push_sample

    connection = connection_from(url, api_key)
    report = push_sample(connect(connection), connection, audit_dir, project)
    typer.echo(f"project {report.title!r} (id {report.project_id}): {report.tasks} tasks, "
               f"{report.already_present} already there, {report.imported} imported")


@audit.command("pull")
def pull_command(audit_dir: AuditDir, project: Project = None, url: Url = None,
                 api_key: ApiKey = None) -> None:
    """Write the reviewers' annotations to AUDIT_DIR/labels.jsonl (then run `audit score`)."""
    from abstain_data.annotation.client import connect, connection_from
    from abstain_data.audit.labelstudio import pull_labels

    connection = connection_from(url, api_key)
    path, count = pull_labels(connect(connection), connection, audit_dir, project)
    typer.echo(f"wrote {count} label(s) to {path}")
