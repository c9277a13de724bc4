"""The score report: several models side by side, as rich tables, JSON and judgments.jsonl.

Consumes `ModelScore`s (one per responses file); produces a `Report` holding, per model, its
metrics, failure signature and problems. `render` prints it with rich; `write` puts
`report.json`, `judgments.jsonl` (one line per judged item: id, model, verdict, rule,
abstained, correct, `why` when the judge explains its verdict, and `epochs` with each epoch's
verdict, rule and why when there were several)
and `signature.png` into an output folder.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from abstain_data.scoring.metrics import Estimate, ModelMetrics, model_metrics
from abstain_data.scoring.plot import plot_signatures
from abstain_data.scoring.score import ModelScore
from abstain_data.scoring.signature import Cell, signature

REPORT_JSON = "report.json"
JUDGMENTS = "judgments.jsonl"
SIGNATURE_PNG = "signature.png"


@dataclass
class ModelReport:
    """One model's part of the report."""

    score: ModelScore
    metrics: ModelMetrics
    signature: list[Cell]


@dataclass
class Report:
    """The whole report: the release scored, the judge and settings used, every model."""

    release: str
    judge: str
    partial: str
    seed: int
    models: list[ModelReport]

    def to_dict(self) -> dict[str, Any]:
        return {
            "release": self.release, "judge": self.judge, "partial_counts_as": self.partial,
            "seed": self.seed,
            "models": [{
                "model": m.score.model, "responses": m.score.source,
                "scored": len(m.score.scored), "problems": m.score.problems.to_dict(),
                "metrics": m.metrics.to_dict(),
                "signature": [c.to_dict() for c in m.signature],
            } for m in self.models],
        }


def build_report(release: str, judge: str, partial: str, seed: int,
                 scores: list[ModelScore]) -> Report:
    """Compute metrics and signature for each model score."""
    return Report(release, judge, partial, seed, [
        ModelReport(s, model_metrics(s.scored, seed), signature(s.scored, seed)) for s in scores])


def write(report: Report, out: Path) -> list[Path]:
    """Write report.json, judgments.jsonl and signature.png into `out`; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    (out / REPORT_JSON).write_text(json.dumps(report.to_dict(), indent=2) + "\n",
                                   encoding="utf-8")
    with (out / JUDGMENTS).open("w", encoding="utf-8") as handle:
        for model in report.models:
            for s in model.score.scored:
                line: dict[str, Any] = {
                    "id": s.item.id, "model": model.score.model,
                    "verdict": s.judgment.verdict.value, "rule": s.judgment.rule,
                    "abstained": s.abstained, "correct": s.correct,
                }
                if s.judgment.why:
                    line["why"] = s.judgment.why
                if s.epochs:
                    line["epochs"] = [{"verdict": j.verdict.value, "rule": j.rule,
                                       "why": j.why} for j in s.epochs]
                handle.write(json.dumps(line) + "\n")
    plot_signatures({m.score.model: m.signature for m in report.models}, out / SIGNATURE_PNG)
    return [out / REPORT_JSON, out / JUDGMENTS, out / SIGNATURE_PNG]


def _estimate(e: Estimate) -> str:
    if e.value is None:
        return "n/a (n=0)" if e.n == 0 else "n/a"
    return f"{e.value:.2f} [{e.low:.2f}-{e.high:.2f}]"


def _cell_rate(e: Estimate) -> str:
    if e.value is None:
        return "-"
    return f"{e.value:.2f} [{e.low:.2f}-{e.high:.2f}]"


def metrics_table(report: Report) -> Table:
    """Rows = metrics, columns = models; each cell 'value [95 % CI]' (item counts: JSON)."""
    table = Table(title=f"Abstention metrics ({report.release}; judge {report.judge}, "
                        f"partial counts as {report.partial})")
    table.add_column("metric")
    for m in report.models:
        table.add_column(m.score.model)
    rows: dict[str, list[str]] = {}
    for index, m in enumerate(report.models):
        values = {
            "abstention precision": m.metrics.precision,
            "abstention recall": m.metrics.recall,
            "abstention F1": m.metrics.f1,
            **{f"over-abstention: {k}": v for k, v in m.metrics.over_abstention.items()},
            **{f"under-abstention: {k}": v for k, v in m.metrics.under_abstention.items()},
            "answer accuracy": m.metrics.answer_accuracy,
        }
        for name, estimate in values.items():
            rows.setdefault(name, ["-"] * len(report.models))[index] = _estimate(estimate)
    for name, cells in rows.items():
        table.add_row(name, *cells)
    return table


def signature_table(report: Report) -> Table:
    """Rows = domain x complexity cells, columns = models; 'over / under -> direction' with CIs."""
    table = Table(title="Failure signature (over-abstention / under-abstention [95 % CI] "
                        "-> direction)")
    table.add_column("domain")
    table.add_column("complexity")
    for m in report.models:
        table.add_column(m.score.model)
    rows: dict[tuple[str, str], list[str]] = {}
    for index, m in enumerate(report.models):
        for c in m.signature:
            text = f"{_cell_rate(c.over)} / {_cell_rate(c.under)} -> {c.direction}"
            rows.setdefault((c.domain, c.complexity), ["-"] * len(report.models))[index] = text
    for (domain, complexity), cells in rows.items():
        table.add_row(domain, complexity, *cells)
    return table


def problems_table(report: Report) -> Table:
    """Per model: scored, unknown, missing and empty counts, with the first ids of each."""
    table = Table(title="Responses that could not be scored as given")
    for column in ("model", "scored", "unknown ids", "missing ids", "empty responses"):
        table.add_column(column)
    for m in report.models:
        p = m.score.problems
        table.add_row(m.score.model, str(len(m.score.scored)),
                      *(_ids(ids) for ids in (p.unknown, p.missing, p.empty)))
    return table


def _ids(ids: list[str], shown: int = 3) -> str:
    more = f" (+{len(ids) - shown} more)" if len(ids) > shown else ""
    return f"{len(ids)}" + (f": {', '.join(ids[:shown])}{more}" if ids else "")


def render(report: Report, console: Console) -> None:
    """Print the three tables of `report` to `console`."""
    for table in (metrics_table(report), signature_table(report), problems_table(report)):
        console.print(table)
