"""The repository explains itself: no citation from outside it, a whole README layout."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "abstain_data"
OUTSIDE_CITATION = re.compile(r"DESIGN\.md|\bissues? #?\d+|\(#\d+\)", re.IGNORECASE)


def readme_layout() -> str:
    """The fenced block of the README's `## Layout` section."""
    section = (ROOT / "README.md").read_text("utf-8").split("## Layout", 1)[1]
    return section.split("```", 2)[1]


def test_no_code_cites_a_file_outside_the_repository_or_an_issue() -> None:
    citations = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
                 for path in sorted([*PACKAGE.rglob("*.py"), *(ROOT / "benchmarks").rglob("*.py")])
                 for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1)
                 if OUTSIDE_CITATION.search(line)]

    assert citations == []


def test_the_readme_layout_lists_every_top_level_module_and_package() -> None:
    layout = readme_layout()
    entries = sorted(p.name + ("/" if p.is_dir() else "") for p in PACKAGE.iterdir()
                     if p.name != "__init__.py" and not p.name.startswith((".", "__pycache__"))
                     and (p.suffix == ".py" or (p / "__init__.py").is_file()
                          or p.name in ("recipes", "demo")))

    missing = [entry for entry in entries if not re.search(rf"^\s+{re.escape(entry)}\s", layout,
                                                            re.MULTILINE)]

    assert len(entries) > 20  # the scan sees the package
    assert missing == []


def test_the_architecture_page_covers_the_contracts_it_promises() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text("utf-8")

    for heading in ("## The data flow", "## The step contract", "## The ledger", "## The cache",
                    "## The executors", "**A source.**", "**A builder.**",
                    "**A step that is not a builder.**"):
        assert heading in text
