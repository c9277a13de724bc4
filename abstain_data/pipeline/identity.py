"""Step identity: what a step's cache signature is made of, derived rather than hand-kept.

A step's signature is the sha256 of its `StepIdentity`:
- `params`: the keyword parameters of the step class's `__init__` (and of its bases'), read back
  from the attributes of the same name (`declared_params`);
- `package_version`: `abstain_data.__version__`;
- `code`: a hash of the source of every module in the class's MRO plus every `abstain_data`
  module they import, transitively (`code_hash`);
- `data`: the sha256 of every data file the step reads (`Step.data_paths`);
- `model`: the spaCy model name and version; `seed` and `reference_year` of the build;
- `input`: what the stream the step consumes is. For the first step, a content hash of the
  sources' stream (`input_hash`): records, items and the fates so far, in order, as canonical
  JSON (never pickles, whose bytes depend on object identity). For every later step, the
  signature of the step before it: a step's output, fates included, is a function of its
  signature (whatever the workers or executor), so the signature names that stream, and the
  stream is hashed once per build rather than once per step. A step that is not
  `repeatable` (it asks an outside service) passes on `input_hash` of its output instead.
"""

from __future__ import annotations

import ast
import hashlib
import inspect
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from functools import cache
from importlib import metadata
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from abstain_data.items import Item
    from abstain_data.pipeline.step import Fate, Step

PACKAGE = "abstain_data"
PACKAGE_DIR = Path(__file__).resolve().parent.parent
# __init__ parameters that are not part of a step's identity (the build context is hashed
# through its seed, model and reference year instead)
NOT_PARAMS = frozenset({"self", "ctx"})


class IdentityError(Exception):
    """A step whose identity cannot be derived (a parameter not stored as an attribute, or a
    value without a JSON form): a bug in the step, never reported as a recipe error."""


def canonical(value: Any) -> Any:
    """`value` as plain JSON data: enums by value, tuples and lists as lists, sets sorted, paths
    as strings, mappings with string keys; raise IdentityError on anything else."""
    if isinstance(value, Enum):
        return canonical(value.value)
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, PurePath):
        return str(value)
    if isinstance(value, dict):
        return {str(canonical(k)): canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((canonical(v) for v in value), key=canonical_json)
    raise IdentityError(f"{type(value).__name__} value {value!r} has no canonical JSON form")


def canonical_json(value: Any) -> str:
    """Compact JSON with sorted keys: the same data always gives the same text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# params ------------------------------------------------------------------------------------

@cache
def declared_params(cls: type) -> tuple[str, ...]:
    """The keyword parameters of the `__init__` of `cls` and of its bases (first seen first),
    minus `self` and `ctx`; *args and **kwargs are not parameters."""
    names: list[str] = []
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None or klass is object:
            continue
        for param in inspect.signature(init).parameters.values():
            if (param.kind in (param.POSITIONAL_OR_KEYWORD, param.KEYWORD_ONLY)
                    and param.name not in NOT_PARAMS and param.name not in names):
                names.append(param.name)
    return tuple(names)


def step_params(step: Step) -> dict[str, Any]:
    """The step's declared parameters with their values (canonical JSON data); IdentityError
    when one is not stored as an attribute of the same name."""
    params = {}
    for name in declared_params(type(step)):
        if not hasattr(step, name):
            raise IdentityError(
                f"{type(step).__name__}: __init__ parameter {name!r} is not stored as "
                f"self.{name}; a step's parameters are read back from its attributes"
            )
        try:
            params[name] = canonical(getattr(step, name))
        except IdentityError as exc:
            raise IdentityError(f"{type(step).__name__}: parameter {name!r}: {exc}") from None
    return params


# code --------------------------------------------------------------------------------------

def module_file(name: str) -> Path | None:
    """The source file of module `name`: under the package folder for abstain_data modules
    (so a copy of the package on PYTHONPATH is hashed as itself), else the loaded module's."""
    if name == PACKAGE or name.startswith(PACKAGE + "."):
        base = PACKAGE_DIR.joinpath(*name.split(".")[1:])
        for path in (base.with_suffix(".py"), base / "__init__.py"):
            if path.is_file():
                return path
        return None
    module = sys.modules.get(name)
    path = getattr(module, "__file__", None)
    return Path(path) if path and path.endswith(".py") else None


def _package_of(name: str, path: Path) -> str:
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def imported_modules(name: str, source: str, path: Path) -> set[str]:
    """The abstain_data modules that module `name` imports anywhere in its source (top level,
    in functions, relative or absolute). `from P import x` names module P.x when x is a module,
    else P itself."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source, filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == PACKAGE)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = _package_of(name, path).split(".")
                package = package[: len(package) - (node.level - 1)]
                base = ".".join(package + ([base] if base else []))
            if base.split(".")[0] != PACKAGE:
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if module_file(sub) is not None else base)
    return found


@cache
def _module_facts(name: str) -> tuple[str, frozenset[str]] | None:
    """The sha256 of module `name`'s source and the abstain_data modules it imports, or None
    when it has no source file. Read and parsed once per process: every step's closure
    shares most modules (items, gates, the builders' base), and parsing them once per step
    cost more than the steps' own identity."""
    path = module_file(name)
    if path is None:
        return None
    source = path.read_text(encoding="utf-8")
    return sha256_text(source), frozenset(imported_modules(name, source, path))


@cache
def _module_closure(roots: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    seen: dict[str, str] = {}
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        facts = _module_facts(name)
        if facts is None:
            continue
        seen[name], imports = facts
        todo.extend(imports - seen.keys())
    return tuple(sorted(seen.items()))


def code_modules(cls: type) -> dict[str, str]:
    """Module name -> sha256 of its source, for every module in the MRO of `cls` and every
    abstain_data module they import, transitively."""
    roots = tuple(sorted({k.__module__ for k in cls.__mro__ if k is not object
                          and k.__module__ not in ("abc", "builtins")}))
    return dict(_module_closure(roots))


@cache
def code_hash(cls: type) -> str:
    """One hash of `code_modules(cls)`."""
    return sha256_text(canonical_json(code_modules(cls)))


# data --------------------------------------------------------------------------------------

def file_sha256(path: Path) -> str:
    """sha256 of a file's bytes, or "missing" (the step itself reports a missing input file)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return "missing"


def data_hashes(paths: Iterable[Path]) -> dict[str, str]:
    """Display name -> sha256 of each file; package data is named relative to the package."""
    out = {}
    for path in paths:
        resolved = path.resolve()
        name = (resolved.relative_to(PACKAGE_DIR).as_posix()
                if resolved.is_relative_to(PACKAGE_DIR) else str(path))
        out[name] = file_sha256(resolved)
    return dict(sorted(out.items()))


# model -------------------------------------------------------------------------------------

@cache
def installed_model_version(model: str) -> str:
    """The installed version of spaCy model package `model` (or of its re-upload), "" if none
    is installed as a distribution (a model given as a path)."""
    from abstain_data.nlp import _ALIASES

    for candidate in _ALIASES.get(model, (model,)):
        for dist in (candidate, candidate.replace("_", "-")):
            try:
                return metadata.version(dist)
            except metadata.PackageNotFoundError:
                continue
    return ""


# input -------------------------------------------------------------------------------------

def _json_fallback(value: Any) -> Any:
    """json.dumps' `default`: the canonical form of what plain JSON lacks (enums, sets, paths)."""
    return canonical(value)


def input_hash(items: Iterable[Item], fates: Iterable[Fate] = ()) -> str:
    """A content hash of a stream (the sources', or a step's output that its signature does
    not decide): each item's record, schema dict and known fields, then every fate so far, in
    order, as canonical JSON lines."""
    digest = hashlib.sha256()
    encode = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                              default=_json_fallback).encode
    for item in items:
        line = encode([item.record, item.to_dict(), sorted(item.known)])
        digest.update(line.encode("utf-8") + b"\n")
    digest.update(b"fates\n")
    for fate in fates:
        digest.update(encode(fate.to_row()).encode("utf-8") + b"\n")
    return digest.hexdigest()


# identity ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class StepIdentity:
    """Everything a step's output depends on; `signature` names its cache entry."""

    step: str
    params: dict[str, Any]
    package_version: str
    code: str
    data: dict[str, str]
    model: dict[str, str]
    seed: int
    reference_year: int
    input: str

    def parts(self) -> dict[str, Any]:
        return {"step": self.step, "params": self.params,
                "package_version": self.package_version, "code": self.code, "data": self.data,
                "model": self.model, "seed": self.seed, "reference_year": self.reference_year,
                "input": self.input}

    @property
    def signature(self) -> str:
        return sha256_text(canonical_json(self.parts()))[:24]

    def to_dict(self) -> dict[str, Any]:
        """The parts and the signature, for build.json."""
        return {**self.parts(), "signature": self.signature}
