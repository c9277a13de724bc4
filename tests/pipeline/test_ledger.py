"""The ledger's check of a step, on records and on their 8-byte keys."""

from __future__ import annotations

import pytest

from abstain_data.pipeline.ledger import Ledger, LedgerImbalance
from abstain_data.pipeline.step import Fate, FateKind
from abstain_data.pipeline.stream import record_key


def keys(records: list[str]) -> list[int]:
    return [record_key(r) for r in records]


def test_keys_count_created_records_as_the_records_do():
    records_in = ["s#0", "s#1", "s#2"]
    records_out = ["s#0", "s#2", "v:s#0#0", "v:s#2#0"]
    fates = [Fate("s#1", FateKind.REJECTED, "step", "odd"),
             Fate("v:s#1#0", FateKind.REJECTED, "step", "gate:x")]
    on_keys, on_records = Ledger(), Ledger()
    assert on_keys.check_step_keys("step", keys(records_in), keys(records_out), fates) == 3
    assert on_records.check_step("step", records_in, records_out, fates) == 3
    assert on_keys.fates == on_records.fates and on_keys.entered == on_records.entered


@pytest.mark.parametrize(("records_out", "fated"), [
    (["s#0"], []),  # s#1 vanished
    (["s#0", "s#1", "s#1"], []),  # s#1 twice
    (["s#0", "s#1"], ["s#1"]),  # s#1 flows on and has a fate
])
def test_keys_refuse_what_the_records_refuse_and_record_nothing(records_out, fated):
    fates = [Fate(r, FateKind.REJECTED, "step", "x") for r in fated]
    ledger = Ledger()
    assert ledger.check_step_keys("step", keys(["s#0", "s#1"]), keys(records_out), fates) is None
    assert ledger.fates == [] and not ledger.entered
    with pytest.raises(LedgerImbalance, match="s#1"):
        ledger.check_step("step", ["s#0", "s#1"], records_out, fates)


def test_record_keys_are_the_same_in_every_process():
    assert record_key("toy#0") == -4762775441417725601 != record_key("toy#1")
