"""`abstain-data score`: a model's failure signature on a release."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from abstain_data.errors import UserError
from abstain_data.scoring.metrics import DEFAULT_SEED
from abstain_data.scoring.verdicts import Judge, PartialPolicy
from abstain_data.terminal import console


class JudgeKind(StrEnum):
    LEARNED = "learned"
    RULES = "rules"
    LLM = "llm"


def score(
    release: Annotated[str, typer.Argument(help="Release folder, or a Hub dataset id.")],
    responses: Annotated[list[Path], typer.Option(
        "--responses", help="Responses of one model: our JSONL {id, response, model?}, an "
        "lm-eval --log_samples file or an inspect_ai log. Repeat for more models.")],
    revision: Annotated[str | None, typer.Option(help="Hub revision (tag or commit).")] = None,
    split: Annotated[list[str] | None, typer.Option(
        "--split", help="Split(s) to score; all splits by default.")] = None,
    out: Annotated[Path | None, typer.Option(
        help="Write report.json, judgments.jsonl and signature.png here.")] = None,
    judge: Annotated[JudgeKind, typer.Option(
        help="learned (offline classifier over the rules' features, default), rules (offline "
        "phrase rules) or llm.")] = JudgeKind.LEARNED,
    judge_url: Annotated[str | None, typer.Option(
        help="OpenAI-compatible API base URL for --judge llm.")] = None,
    judge_model: Annotated[str, typer.Option(help="Model name sent to --judge-url.")] = "judge",
    partial_as: Annotated[PartialPolicy, typer.Option(
        help="How a partial verdict counts in the metrics.")] = PartialPolicy.ABSTAIN,
    seed: Annotated[int, typer.Option(help="Seed of the bootstrap intervals.")] = DEFAULT_SEED,
) -> None:
    """Judge each model's responses and report metrics and the failure signature per model."""
    from abstain_data.scoring.release import load_release
    from abstain_data.scoring.report import build_report, render, write
    from abstain_data.scoring.responses import read_responses
    from abstain_data.scoring.score import score_model

    chosen = _judge(judge, judge_url, judge_model)
    items = load_release(release, revision, split or None)
    files = [read_responses(path) for path in responses]
    names = [f.model for f in files]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise UserError(f"--responses: model {repeated[0]} appears in more than one file "
                        "(set a distinct 'model' in each file)")
    scores = [score_model(items, f, chosen, partial_as) for f in files]
    report = build_report(release, chosen.name, partial_as.value, seed, scores)
    render(report, console)
    if out is not None:
        for path in write(report, out):
            console.print(f"wrote {path}", markup=False, highlight=False, soft_wrap=True)


def _judge(kind: JudgeKind, url: str | None, model: str) -> Judge:
    """The judge a `--judge`/`--judge-url` pair asks for; a UserError if they do not fit."""
    from abstain_data.scoring.judge_learned import LearnedJudge
    from abstain_data.scoring.judge_llm import LLMJudge
    from abstain_data.scoring.judge_rules import RulesJudge

    if kind is JudgeKind.LLM:
        if not url:
            raise UserError("--judge llm needs --judge-url (an OpenAI-compatible API base URL)")
        return LLMJudge(url, model)
    if url:
        raise UserError("--judge-url is only used with --judge llm")
    return RulesJudge() if kind is JudgeKind.RULES else LearnedJudge()


def register(app: typer.Typer) -> None:
    """Add the `score` command to the CLI app."""
    app.command("score")(score)
