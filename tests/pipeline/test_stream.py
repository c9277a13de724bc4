"""The stream between steps: batches on disk, read back fresh, saved to and loaded from a cache."""

from __future__ import annotations

import multiprocessing

import pytest

from abstain_data.items import Category, Item, Source
from abstain_data.pipeline.executor import ordered_map
from abstain_data.pipeline.stream import StreamItems, StreamWriter, sorted_stream, write_stream


def item(k: int) -> Item:
    return Item(prompt=f"Question number {k}?", should_abstain=False,
                category=Category.ANSWERABLE, source=Source(dataset="toy", license="cc0-1.0"),
                reference_answers=[str(k)], record=f"toy#{k}")


def test_items_come_back_in_batches_of_the_batch_size():
    stream = write_stream([item(k) for k in range(12)], batch_size=5)
    assert [len(batch.items) for batch in stream] == [5, 5, 2]
    assert [i.record for i in stream.items()] == [f"toy#{k}" for k in range(12)]
    assert stream.records() == [f"toy#{k}" for k in range(12)] and stream.item_count == 12
    assert stream[1].items[0].record == "toy#5" and stream[-1].items[-1].record == "toy#11"


def test_each_read_unpickles_fresh_items_so_a_step_can_change_them():
    stream = write_stream([item(k) for k in range(3)], batch_size=2)
    first = stream[0]
    first.items[0].prompt = "changed"
    assert stream[0].items[0].prompt == "Question number 0?"
    assert list(stream.items()) == list(stream.items())  # a second pass reads the same


def test_an_empty_stream_has_no_batches():
    stream = StreamWriter(4).finish()
    assert len(stream) == 0 and list(stream.items()) == [] and stream.item_count == 0


def test_a_stream_saved_with_its_header_loads_back(tmp_path):
    stream = write_stream([item(k) for k in range(7)], batch_size=3)
    stream.save(tmp_path / "step.pickle", {"counters": 1})
    header, loaded = type(stream).load(tmp_path / "step.pickle")
    assert header == {"counters": 1}
    assert list(loaded.items()) == list(stream.items()) and loaded.keys == stream.keys
    assert [len(b.items) for b in loaded] == [3, 3, 1]


def test_a_cut_short_cache_file_is_refused(tmp_path):
    stream = write_stream([item(k) for k in range(7)], batch_size=3)
    path = tmp_path / "step.pickle"
    stream.save(path, None)
    path.write_bytes(path.read_bytes()[:-10])
    with pytest.raises(EOFError):
        type(stream).load(path)


def test_forked_workers_read_batches_by_position():
    stream = write_stream([item(k) for k in range(40)], batch_size=4)
    assert multiprocessing.get_start_method(allow_none=True) in (None, "fork")
    read = list(ordered_map(lambda k: [i.record for i in stream[k].items], range(len(stream)), 2))
    assert [r for batch in read for r in batch] == stream.records()


def test_the_external_sort_equals_a_sort_in_memory():
    items = [item(k) for k in (5, 3, 9, 1, 7, 3, 8, 2, 6, 4, 0)]
    for k, it in enumerate(items):
        it.record = f"toy#{k}"  # the two 3s differ by record: a stable sort keeps their order

    def key(i: Item) -> str:
        return i.prompt

    out = sorted_stream(write_stream(items, 2), key, batch_size=2, run_items=3)
    assert [i.record for i in out.items()] == [i.record for i in sorted(items, key=key)]
    assert [len(b.items) for b in out] == [2, 2, 2, 2, 2, 1]


def test_stream_items_index_like_a_list():
    items = [item(k) for k in range(11)]
    view = StreamItems(write_stream(items, batch_size=4))
    assert len(view) == 11 and list(view) == items
    assert view[0] == items[0] and view[5] == items[5] and view[-1] == items[-1]
    assert view[2:6] == items[2:6]
    with pytest.raises(IndexError):
        view[11]
