"""Build recipes: a TOML file validated against `schema/recipe.schema.json` before anything runs.

`load_recipe(path)` consumes a recipe file and produces a `Recipe` (paths resolved against the
recipe's folder), or raises UserError with one line naming the file, the key path and the problem.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema

from abstain_data.errors import UserError
from abstain_data.sources.base import MAX_TEXT_CHARS, SourceSpec

DEFAULT_RECIPE = "default.toml"
PACKAGE_DIR = Path(__file__).resolve().parent


@dataclass
class BuilderSpec:
    """One `[[builders]]` table: a registered builder name and its keyword parameters."""

    name: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Recipe:
    """A validated recipe. `raw` is the TOML as read (shipped in build.json); `sha256` its hash.

    The `[release]` table is not a field: `abstain-data release` reads it from build.json.
    """

    path: Path
    raw: dict[str, Any]
    sha256: str
    sources: list[SourceSpec]
    builders: list[BuilderSpec]
    seed: int = 0
    spacy_model: str = "en_core_web_sm"
    reference_year: int = 2026
    batch_size: int = 512
    tagging: dict[str, Any] = field(default_factory=dict)
    cue_filter: dict[str, Any] = field(default_factory=dict)
    dedupe: dict[str, Any] = field(default_factory=dict)
    routing: dict[str, Any] = field(default_factory=dict)


def default_recipe_path() -> Path:
    """The embedded default recipe (it builds the embedded demo corpus, offline)."""
    return PACKAGE_DIR / "recipes" / DEFAULT_RECIPE


def recipe_schema() -> dict[str, Any]:
    return json.loads((PACKAGE_DIR / "schema" / "recipe.schema.json").read_text("utf-8"))


def load_recipe(path: Path | None = None) -> Recipe:
    """Read, validate and resolve a recipe (the embedded default when `path` is None)."""
    path = default_recipe_path() if path is None else Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"{path}: recipe file not found") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot read recipe: {exc.strerror}") from None
    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: recipe is not UTF-8 (byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{path}: invalid TOML: {exc}") from None
    check_recipe(raw, path)
    return _resolve(raw, path, hashlib.sha256(data).hexdigest())


def check_recipe(raw: dict[str, Any], path: Path) -> None:
    """Raise UserError for the first schema problem, named by its key path."""
    validator = jsonschema.Draft202012Validator(recipe_schema())
    errors = sorted(validator.iter_errors(raw), key=lambda e: list(e.absolute_path))
    if not errors:
        return
    error = errors[0]
    where = _key_path(error.absolute_path) or "(top level)"
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        unknown = sorted(set(error.instance) - set(allowed))
        message = f"unknown key {', '.join(map(repr, unknown))} (allowed: {', '.join(allowed)})"
    else:
        message = error.message
    raise UserError(f"{path}: {where}: {message}")


def _key_path(parts: Any) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _resolve(raw: dict[str, Any], path: Path, sha256: str) -> Recipe:
    from abstain_data.builders import BUILDERS
    from abstain_data.sources import ADAPTERS

    base = path.parent
    sources = []
    names: set[str] = set()
    max_text_chars = raw.get("max_text_chars", MAX_TEXT_CHARS)
    for i, table in enumerate(raw["sources"]):
        if table["adapter"] not in ADAPTERS:
            raise UserError(
                f"{path}: sources[{i}].adapter: unknown adapter {table['adapter']!r} "
                f"(known: {', '.join(sorted(ADAPTERS))})"
            )
        if table["name"] in names:
            raise UserError(f"{path}: sources[{i}].name: duplicate source name {table['name']!r}")
        names.add(table["name"])
        sources.append(SourceSpec(
            name=table["name"], adapter=table["adapter"], license=table.get("license"),
            path=(base / table["path"]).resolve() if "path" in table else None,
            hub_id=table.get("hub_id"), config=table.get("config"), split=table.get("split"),
            revision=table.get("revision"), fields=dict(table.get("fields", {})),
            limit=table.get("limit"), domain=table.get("domain"),
            options=dict(table.get("options", {})), max_text_chars=max_text_chars,
        ))
    builders = []
    for i, table in enumerate(raw.get("builders", [])):
        if table["name"] not in BUILDERS:
            raise UserError(
                f"{path}: builders[{i}].name: unknown builder {table['name']!r} "
                f"(known: {', '.join(sorted(BUILDERS))})"
            )
        if table.get("enabled", True):
            builders.append(BuilderSpec(table["name"], dict(table.get("params", {}))))
    return Recipe(
        path=path, raw=raw, sha256=sha256, sources=sources, builders=builders,
        seed=raw.get("seed", 0), spacy_model=raw.get("spacy_model", "en_core_web_sm"),
        reference_year=raw.get("reference_year", 2026), batch_size=raw.get("batch_size", 512),
        tagging=dict(raw.get("tagging", {})), cue_filter=dict(raw.get("cue_filter", {})),
        dedupe=dict(raw.get("dedupe", {})),
        routing=dict(raw.get("routing", {})),
    )
