"""The command line as a user runs it: `python -m abstain_data`, in a fresh interpreter.

`-X importtime` makes Python list every module it imports on stderr, so these tests see exactly
what a command loads.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("label_studio_sdk", "spacy", "datasets")
AREA_CLIS = ("annotation", "inspection", "releases", "schema", "scoring")


def run_cli(*args: str, cwd: Path | None = None
            ) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run `python -X importtime -m abstain_data ARGS`; return the result and the top-level
    names of every module it imported."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("LABEL_STUDIO_URL", "LABEL_STUDIO_API_KEY")}
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "abstain_data", *args],
                            capture_output=True, text=True, env=env, cwd=cwd, check=False)
    imported = {line.rsplit("|", 1)[-1].strip().split(".")[0]
                for line in result.stderr.splitlines() if line.startswith("import time:")}
    return result, imported


def error_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    """stderr without the importtime lines."""
    return [line for line in result.stderr.splitlines() if not line.startswith("import time:")]


def test_help_lists_every_command_and_loads_no_area_library() -> None:
    result, imported = run_cli("--help")

    assert result.returncode == 0, error_lines(result)
    for command in ("build", "stats", "inspect", "validate", "schema", "annotate", "release",
                    "publish", "diff", "score"):
        assert command in result.stdout
    assert "abstain_data" in imported
    assert not imported & set(HEAVY), sorted(imported & set(HEAVY))


@pytest.mark.parametrize("args", [("stats", "no-such-build"),
                                  ("inspect", "no-such-build", "--builder", "negation",
                                   "--status", "bogus"),
                                  ("validate", "no-such-file.jsonl"),
                                  ("build", "--on-error", "ignore"),
                                  ("annotate", "status", "no-such-build")])
def test_a_user_error_is_one_line_and_exit_1(tmp_path: Path, args: tuple[str, ...]) -> None:
    result, _ = run_cli(*args, cwd=tmp_path)

    lines = error_lines(result)
    assert result.returncode == 1
    assert len(lines) == 1 and lines[0].startswith("error: "), lines
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("area", AREA_CLIS)
def test_an_area_cli_imports_alone_without_the_app(area: str) -> None:
    code = (f"import sys, abstain_data.{area}.cli as m; m.register; "
            "print('abstain_data.cli' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
