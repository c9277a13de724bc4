"""Rich tables of a build's stats.json: what `build` prints at the end and `stats` prints."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table


def print_summary(stats: dict[str, Any], console: Console, *, matrix: bool = True,
                  run: dict[str, Any] | None = None) -> None:
    """Print counts by category, label status and source, the steps, the ledger, and the domain
    matrix; `run` (a build's run facts) adds each step's seconds, or "cached"."""
    totals = stats["totals"]
    ledger = stats["ledger"]["fates"]
    console.print(_counts_table("items by category", totals["by_category"]))
    console.print(_counts_table("items by label status", totals["by_label_status"]))
    console.print(_counts_table("items by source", totals["by_source"]))
    if totals.get("by_builder"):
        console.print(_counts_table("items by builder", totals["by_builder"]))
    console.print(_builders_table(stats["steps"], run))
    if matrix:
        console.print(matrix_table(totals["domain_complexity_label"]))
    records = stats["ledger"]["records"]
    console.print(
        f"records: {records} = kept {ledger['kept']} + merged as duplicates "
        f"{ledger['duplicate_of']} + rejected {ledger['rejected']} + queued for review "
        f"{ledger['needs_review']} + excluded {ledger['excluded']}"
    )


def _counts_table(title: str, counts: dict[str, int]) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("value")
    table.add_column("items", justify="right")
    for key, n in counts.items():
        table.add_row(key, str(n))
    return table


def _builders_table(steps: list[dict[str, Any]], run: dict[str, Any] | None) -> Table:
    table = Table(title="steps", title_justify="left")
    columns = ["step", "in", "out", "created", "rejected", "merged", "review"]
    for column in columns + (["seconds"] if run else []):
        table.add_column(column, justify="left" if column == "step" else "right")
    timing = {} if run is None else {
        step["name"]: "cached" if step["cached"] else f"{step['seconds']:.2f}"
        for step in run["steps"]}
    for step in steps:
        fates = step["fates"]
        rejected = sum(n for k, n in fates.items() if k.startswith("rejected"))
        review = step["counters"].get("needs_review", 0)
        table.add_row(
            step["name"], str(step["in"]), str(step["out"]), str(step["created"]),
            str(rejected), str(fates.get("duplicate_of", 0)), str(review),
            *([timing[step["name"]]] if run else []),
        )
    return table


def matrix_table(cells: dict[str, int]) -> Table:
    """domain x complexity x should_abstain, one row per domain (every cell shown, 0 included)."""
    domains = sorted({key.split("|")[0] for key in cells})
    columns = [(c, label) for c in ("templated", "open_ended") for label in ("answer", "abstain")]
    table = Table(title="domain x complexity x label", title_justify="left")
    table.add_column("domain")
    for complexity, label in columns:
        table.add_column(f"{complexity}\n{label}", justify="right")
    for domain in domains:
        table.add_row(domain, *(str(cells.get(f"{domain}|{c}|{lab}", 0)) for c, lab in columns))
    return table
