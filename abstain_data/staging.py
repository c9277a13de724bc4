"""Writing files and folders so that a reader sees the old version or the new one, never half.

`staged_folder(target)` hands out a hidden sibling folder to fill and swaps it into place when
the block ends cleanly (an existing `target` is kept until the swap succeeded); on any error,
Ctrl-C included, the sibling is removed and `target` is untouched. `write_text_atomically`
does the same for one file (with an optional permission mode, e.g. 0o600 for secrets).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def staged_folder(target: Path) -> Iterator[Path]:
    """Yield an empty folder beside `target`; on a clean exit it becomes `target`."""
    tmp = target.parent / f".{target.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        yield tmp
        replace_folder(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def replace_folder(new: Path, target: Path) -> None:
    """Put folder `new` at `target`; an existing target is kept until the swap succeeded."""
    if not target.exists():
        new.rename(target)
        return
    old = target.parent / f".{target.name}.old-{os.getpid()}"
    target.rename(old)
    try:
        new.rename(target)
    except BaseException:
        old.rename(target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def write_text_atomically(path: Path, text: str, mode: int | None = None) -> None:
    """Write `text` (UTF-8) to a sibling of `path`, then rename it over `path`.

    `mode` sets the permission bits the file is created with (before any byte is written).
    """
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666 if mode is None else mode)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
