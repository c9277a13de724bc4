"""The ledger: every input row and every candidate item gets exactly one fate.

The runner checks each step as it runs (nothing may vanish from the stream without a fate, nothing
may appear twice) and the whole build at the end (the counts must balance); a step that breaks
the rule fails the build loudly, naming itself and the records.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from abstain_data.pipeline.step import Fate, FateKind
from abstain_data.pipeline.stream import record_key


class LedgerImbalance(RuntimeError):
    """A step lost or duplicated records, or the final counts do not balance (a bug)."""


@dataclass
class Ledger:
    """All fates of one build, plus how many records entered from where."""

    fates: list[Fate] = field(default_factory=list)
    entered: Counter[str] = field(default_factory=Counter)  # "source:<name>" / "step:<name>" -> n

    def check_step(self, step: str, records_in: list[str], records_out: list[str],
                   fates: list[Fate]) -> int:
        """Check one step's accounting and record its fates; return how many records it created.

        Consumes the records that entered the step, those that left it as items, and the fates
        it emitted. Raises LedgerImbalance if a record vanished, or appears twice.
        """
        fated = [f.record for f in fates]
        seen = Counter(records_out) + Counter(fated)
        doubled = sorted(r for r, n in seen.items() if n > 1)
        if doubled:
            raise LedgerImbalance(f"step {step!r} emitted records twice: {', '.join(doubled[:5])}")
        lost = set(records_in) - seen.keys()
        if lost:
            raise LedgerImbalance(
                f"step {step!r} dropped {len(lost)} records without a fate: "
                f"{', '.join(sorted(lost)[:5])}"
            )
        created = len(seen.keys() - set(records_in))
        self.fates.extend(fates)
        self.entered[f"step:{step}"] += created
        return created

    def check_step_keys(self, step: str, keys_in: Sequence[int], keys_out: Sequence[int],
                        fates: list[Fate]) -> int | None:
        """`check_step` on the `record_key`s of the records (8 bytes each, no Python object per
        record): records the fates and returns how many records the step created, or returns
        None without recording anything when a record vanished or appears twice (then
        `check_step` on the records themselves names them)."""
        fated = np.fromiter((record_key(f.record) for f in fates), np.int64, len(fates))
        seen = np.concatenate([np.asarray(keys_out, dtype=np.int64), fated])
        unique = np.unique(seen)
        if len(unique) != len(seen):
            return None
        entered = np.unique(np.asarray(keys_in, dtype=np.int64))
        if not np.isin(entered, unique, assume_unique=True).all():
            return None
        created = len(unique) - len(entered)  # every record that entered is among them
        self.fates.extend(fates)
        self.entered[f"step:{step}"] += created
        return created

    def balance(self) -> dict[str, Any]:
        """Totals in vs fates out; raises LedgerImbalance unless every record has one fate."""
        records = Counter(f.record for f in self.fates)
        doubled = [r for r, n in records.items() if n > 1]
        total_in = sum(self.entered.values())
        by_kind = Counter(f.kind.value for f in self.fates)
        if doubled or total_in != len(self.fates):
            raise LedgerImbalance(
                f"ledger does not balance: {total_in} records entered, {len(self.fates)} fates, "
                f"{len(doubled)} records with more than one fate"
            )
        return {
            "entered": dict(sorted(self.entered.items())),
            "records": total_in,
            "fates": {kind.value: by_kind.get(kind.value, 0) for kind in FateKind},
        }

    def rows(self) -> Iterator[dict[str, Any]]:
        """Ledger rows sorted by record (deterministic file content), one at a time."""
        return (f.to_row() for f in sorted(self.fates, key=lambda f: f.record))
