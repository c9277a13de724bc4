"""pyproject.toml declares every third-party package the code imports, in a range that holds."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "abstain_data"


def normalized(name: str) -> str:
    """A distribution name in PEP 503 form: `Huggingface_Hub` -> `huggingface-hub`."""
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> dict[str, Requirement]:
    """Every requirement of pyproject.toml (dependencies and extras), by normalized name."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    lines = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        lines += extra
    return {normalized(req.name): req for req in map(Requirement, lines)}


def imported_top_level_names() -> dict[str, str]:
    """Third-party top-level module names imported anywhere in abstain_data/ -> one file."""
    found: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top != "abstain_data" and top not in sys.stdlib_module_names:
                    found.setdefault(top, str(path.relative_to(ROOT)))
    return found


def test_every_third_party_import_is_declared() -> None:
    distributions = importlib.metadata.packages_distributions()
    requirements = declared()
    imported = imported_top_level_names()

    undeclared = {module: where for module, where in imported.items()
                  if not any(normalized(d) in requirements
                             for d in distributions.get(module, [module]))}

    assert "httpx2" in imported and "label_studio_sdk" in imported  # the scan sees real imports
    assert undeclared == {}


def test_installed_versions_are_inside_the_declared_ranges() -> None:
    outside = {}
    for name, requirement in declared().items():
        try:
            version = importlib.metadata.version(requirement.name)
        except importlib.metadata.PackageNotFoundError:
            continue  # an extra that is not installed here
        if not requirement.specifier.contains(version, prereleases=True):
            outside[name] = (version, str(requirement.specifier))

    assert outside == {}
