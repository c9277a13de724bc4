"""Every benchmark runs at a tiny size and prints its ratio line (no timing is asserted)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from label_studio_server import LabelStudioServer

from abstain_data.annotation.client import KEY_ENV, URL_ENV

REPO = Path(__file__).resolve().parents[2]
BENCHMARKS = REPO / "benchmarks"

# benchmark -> (arguments for a tiny run, text its last lines must contain)
TINY = {
    "build_bench.py": (["--n", "60"], "ratio build/nlp.pipe throughput:"),
    "builders_bench.py": (["--n", "40"], "ratio build/nlp.pipe throughput at 1 proc:"),
    "dedupe_bench.py": (["--n", "400", "--compare"], "ratio step items/s / 17,000 target:"),
    "validate_bench.py": (["--n", "40"], "ratio (rs / python)"),
    "parse_bench.py": (["--n", "40"], "ratio build/nlp.pipe throughput:"),
    "executor_bench.py": (["--n", "30"], "ratio ray/local time:"),
    "label_studio_bench.py": (["--items", "5", "--annotated", "2"],
                              "ratio export/import throughput:"),
    "tagging_bench.py": (["--n", "80", "--seconds", "0.2"], "ratio classify/parse throughput:"),
    "judge_agreement.py": ([], "both files"),  # its size is the XSTest files; needs the corpora
}


def run_benchmark(name: str, args: list[str], extra_env: dict[str, str] | None = None) -> str:
    """Run benchmarks/`name` with `args` (and `extra_env` set) on this checkout's package;
    return its stdout."""
    env = {**os.environ, "PYTHONPATH": str(REPO), **(extra_env or {})}
    done = subprocess.run([sys.executable, str(BENCHMARKS / name), *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"{name} exited {done.returncode}:\n{done.stderr[-3000:]}"
    return done.stdout


def test_every_benchmark_has_a_tiny_run() -> None:
    assert sorted(path.name for path in BENCHMARKS.glob("*.py")) == sorted(TINY)


@pytest.mark.parametrize("name", ["build_bench.py", "validate_bench.py", "parse_bench.py",
                                  "executor_bench.py"])
def test_benchmark_runs_tiny(name: str) -> None:
    args, expected = TINY[name]
    assert expected in run_benchmark(name, args)


def test_executor_benchmark_runs_the_builders_recipe_tiny() -> None:
    out = run_benchmark("executor_bench.py", ["--n", "30", "--builders"])
    assert "ratio ray/local time:" in out
    assert "byte-identical items, ledger and stats counts: yes" in out


@pytest.mark.label_studio
def test_label_studio_benchmark_runs_tiny(label_studio: LabelStudioServer) -> None:
    # the session's server (started by the fixture when none is configured, required on CI)
    args, expected = TINY["label_studio_bench.py"]
    server = {URL_ENV: label_studio.url, KEY_ENV: label_studio.api_key}
    assert expected in run_benchmark("label_studio_bench.py", args, server)


def test_judge_agreement_benchmark_runs(corpora: Path) -> None:
    args, expected = TINY["judge_agreement.py"]
    assert expected in run_benchmark("judge_agreement.py", [*args, str(corpora)])


def test_tagging_benchmark_runs_tiny(corpora: Path) -> None:
    args, expected = TINY["tagging_bench.py"]
    assert expected in run_benchmark("tagging_bench.py", [*args, "--corpora", str(corpora)])


def test_dedupe_benchmark_reports_recall_per_kind_of_rewording() -> None:
    args, expected = TINY["dedupe_bench.py"]
    out = run_benchmark("dedupe_bench.py", args)
    assert expected in out
    header = out.splitlines()[0].split()
    assert header[:7] == ["items", "seconds", "step/s", "cpu/s", "merges", "recall", "false"]
    assert header[7:] == ["typo", "contraction", "case_punct", "word_order", "framing",
                          "paraphrase"]
    row = out.splitlines()[1].split()
    assert row[0] == "400" and row[5].endswith("%") and row[6].endswith("%")


def test_builders_benchmark_makes_variants() -> None:
    args, expected = TINY["builders_bench.py"]
    out = run_benchmark("builders_bench.py", args)
    assert expected in out
    made = next(line for line in out.splitlines() if line.startswith("variants made in all:"))
    assert int(made.split(":")[1].split()[0].replace(",", "")) > 0
    assert "byte-identical build folders at workers 1 and 2: yes" in out


def test_memory_runs_print_peak_rss_per_size_and_its_growth() -> None:
    out = run_benchmark("build_bench.py", ["--sizes", "40,80"])
    assert out.splitlines()[1].split() == ["seeds", "seconds", "items", "peak", "RSS", "MiB"]
    assert "ratio peak RSS 80 / 40 seeds:" in out


def test_builders_benchmark_at_one_number_of_processes() -> None:
    out = run_benchmark("builders_bench.py", ["--n", "40", "--only", "2"])
    assert "ratio build/nlp.pipe throughput at 2 proc:" in out
    assert "at 1 proc" not in out and "byte-identical" not in out
