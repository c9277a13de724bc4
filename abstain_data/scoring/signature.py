"""The failure signature: per domain x complexity cell, which way a model errs.

Consumes one model's `Scored` records; produces one `Cell` per (domain, complexity) pair that has
items, in taxonomy order:
- `over`: over-abstention rate, the share of the cell's should-answer items the model abstained
  on, with its bootstrap 95 % interval (an `Estimate` whose values are None when the cell has no
  should-answer item);
- `under`: under-abstention rate, the share of its should-abstain items the model answered, with
  its interval (None values when it has none);
- `direction`: `over` when over > under, `under` when under > over, `even` when both are equal
  and above zero, `none` when the model makes no error in the cell. A rate with no items counts
  as 0 for the comparison only; the direction compares point values, the intervals say how
  far to trust it.

Intervals come from `metrics.rate` (same resamples and seeding as the per-model metrics), named
`signature:<over|under>:<domain>:<complexity>` so each cell's numbers are reproducible alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

from abstain_data.items import Complexity, Domain
from abstain_data.scoring.metrics import DEFAULT_SEED, Estimate, rate
from abstain_data.scoring.score import Scored


@dataclass(frozen=True)
class Cell:
    """One domain x complexity cell of a model's signature (module doc)."""

    domain: str
    complexity: str
    n_answer: int
    n_abstain: int
    over: Estimate
    under: Estimate
    direction: str

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def direction(over: float | None, under: float | None) -> str:
    """Which way the errors lean: over, under, even or none (module doc)."""
    o, u = over or 0.0, under or 0.0
    if o == u:
        return "none" if o == 0 else "even"
    return "over" if o > u else "under"


def signature(scored: Sequence[Scored], seed: int = DEFAULT_SEED) -> list[Cell]:
    """The cells of one model's failure signature (module doc), intervals seeded by `seed`."""
    cells: dict[tuple[str, str], list[Scored]] = {}
    for record in scored:
        cells.setdefault((record.item.domain, record.item.complexity), []).append(record)
    domains = [d.value for d in Domain]
    complexities = [c.value for c in Complexity]

    def order(key: tuple[str, str]) -> tuple[int, int, str]:
        domain, complexity = key
        rank = domains.index(domain) if domain in domains else len(domains)
        return rank, complexities.index(complexity) if complexity in complexities else 2, domain

    result = []
    for domain, complexity in sorted(cells, key=order):
        records = cells[(domain, complexity)]
        over = rate(f"signature:over:{domain}:{complexity}",
                    [s.abstained for s in records if not s.item.should_abstain], seed)
        under = rate(f"signature:under:{domain}:{complexity}",
                     [not s.abstained for s in records if s.item.should_abstain], seed)
        result.append(Cell(
            domain=domain, complexity=complexity,
            n_answer=sum(not s.item.should_abstain for s in records),
            n_abstain=sum(s.item.should_abstain for s in records),
            over=over, under=under, direction=direction(over.value, under.value),
        ))
    return result
