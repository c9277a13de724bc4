"""`abstain-data build`: run a recipe and write the build folder atomically.

Consumes a Recipe; produces a build folder with items.parquet,
ledger.parquet, rejects.jsonl, review_queue.jsonl, stats.json and build.json. The folder is
written under a temporary name and renamed into place, so an interrupted build never leaves a
half-written folder and the previous build stays intact until the new one is complete.
"""

from __future__ import annotations

import json
import platform
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import abstain_data
from abstain_data import buildfolder
from abstain_data.builders import builder_class
from abstain_data.errors import UserError
from abstain_data.items import Item
from abstain_data.nlp import ModelNotFound, model_info
from abstain_data.pipeline.executor import make_executor
from abstain_data.pipeline.requirements import PlannedStep, RequirementError, check_requirements
from abstain_data.pipeline.runner import OnError, Progress, Runner, RunResult
from abstain_data.pipeline.step import BuildContext, Step
from abstain_data.recipe import Recipe
from abstain_data.routing import RouteStep
from abstain_data.sources import adapter_class
from abstain_data.sources.base import SourceAdapter
from abstain_data.staging import staged_folder, write_text_atomically

LAST_RUN = "last-run.json"  # the run facts of the latest build, in its cache folder
LIBRARIES = ("datasets", "huggingface_hub", "pyarrow", "spacy", "rapidfuzz", "jsonschema",
             "jsonschema_rs", "typer")


@dataclass
class BuildSummary:
    """Where the build went, its stats.json content, and the facts of this run (`run_facts`)."""

    out: Path
    stats: dict[str, Any]
    run: dict[str, Any]


def make_sources(recipe: Recipe) -> list[SourceAdapter]:
    """One adapter per `[[sources]]` table, in recipe order."""
    return [adapter_class(spec.adapter)(spec) for spec in recipe.sources]


def _tag_step(recipe: Recipe, ctx: BuildContext) -> Step:
    """The tag step of `[tagging]`: LLM-assisted when `[tagging.llm]` names an endpoint."""
    from abstain_data.tagging.step import TagStep

    params = recipe.tagging.get("params", {})
    llm = recipe.tagging.get("llm")
    if llm is None:
        return TagStep(ctx, **params)
    from abstain_data.tagging.llm import LLMTagStep

    return LLMTagStep(ctx, **llm, **params)


def make_steps(recipe: Recipe, ctx: BuildContext) -> list[Step]:
    """The step list: tagging, builders in recipe order, dedupe, the cue filter (off unless the
    recipe enables `[cue_filter]`), validation, routing.

    Refuses (UserError naming the recipe key) a recipe whose order or switched-off tagger leaves
    a step without an item field it requires (see pipeline/requirements.py).
    """
    from abstain_data.dedupe.step import DedupeStep
    from abstain_data.schema.validate import ValidateStep
    from abstain_data.tagging.step import TagStep

    planned: list[PlannedStep] = []
    disabled: dict[str, type[Step]] = {}
    if recipe.tagging.get("enabled", True):
        planned.append(PlannedStep("tagging", _tag_step(recipe, ctx)))
    else:
        disabled["tagging.enabled"] = TagStep
    for spec in recipe.builders:
        try:
            planned.append(PlannedStep(f"builders.{spec.name}",
                                       builder_class(spec.name)(ctx, **spec.params)))
        except TypeError as exc:
            raise UserError(f"{recipe.path}: builders.{spec.name}.params: {exc}") from None
    dedupe = {k: v for k, v in recipe.dedupe.items() if k != "enabled"}
    if recipe.dedupe.get("enabled", True):
        planned.append(PlannedStep("dedupe", DedupeStep(
            ctx, **dedupe, source_order=tuple(spec.name for spec in recipe.sources))))
    if recipe.cue_filter.get("enabled", False):
        from abstain_data.cues.step import CueFilterStep

        cue_filter = {k: v for k, v in recipe.cue_filter.items() if k != "enabled"}
        planned.append(PlannedStep("cue_filter", CueFilterStep(ctx, **cue_filter)))
    planned.append(PlannedStep("validate", ValidateStep(ctx)))
    planned.append(PlannedStep("routing", RouteStep(ctx, **recipe.routing)))
    # a field every source states (a mapped column, or a source-wide domain) needs no step
    stated = [set(spec.fields) | ({"domain"} if spec.domain else set())
              for spec in recipe.sources]
    try:
        check_requirements(planned, disabled, set.intersection(*stated) if stated else ())
    except RequirementError as exc:
        raise UserError(f"{recipe.path}: {exc}") from None
    return [entry.step for entry in planned]


def run_build(recipe: Recipe, out: Path, *, on_error: OnError = "fail", workers: int = 1,
              cache_dir: Path | None = None, progress: Progress | None = None,
              executor: str = "local", address: str | None = None) -> BuildSummary:
    """Run `recipe` and write its build folder at `out` (replacing an older build there).

    `executor` "ray" computes the steps on Ray Data (the cluster at `address`, else a local Ray
    with `workers` CPUs, at least 2); the build folder is the same as with "local"."""
    try:
        spacy_info = model_info(recipe.spacy_model)
    except ModelNotFound as exc:
        raise UserError(f"{recipe.path}: spacy_model: {exc}") from None
    with (tempfile.TemporaryDirectory(prefix="abstain-parses-") as scratch,
          make_executor(executor, workers=workers, address=address) as chosen):
        # one parse per text for the whole build, kept with the cache (or for this build only)
        parse_dir = cache_dir / "parses" if cache_dir is not None else Path(scratch)
        ctx = BuildContext(seed=recipe.seed, spacy_model=recipe.spacy_model,
                           reference_year=recipe.reference_year, workers=workers,
                           spacy_model_version=spacy_info["version"], parse_dir=str(parse_dir))
        steps = make_steps(recipe, ctx)
        runner = Runner(batch_size=recipe.batch_size, workers=workers, on_error=on_error,
                        cache_dir=cache_dir, progress=progress, executor=chosen)
        result = runner.run(make_sources(recipe), steps)
    stats = build_stats(result)
    manifest = build_manifest(recipe, result, spacy_info)
    write_build_folder(out, result, stats, manifest)
    run = run_facts(result)
    if cache_dir is not None:
        cache_dir.mkdir(parents=True, exist_ok=True)
        write_text_atomically(cache_dir / LAST_RUN, json.dumps(run, indent=2) + "\n")
    return BuildSummary(out, stats, run)


def run_facts(result: RunResult) -> dict[str, Any]:
    """How this run went, apart from what it built: seconds per source and per step, and which
    steps came from the cache. Kept out of the build folder (an unchanged rerun writes the same
    bytes there); `build` prints them and saves them as `last-run.json` in the cache folder."""
    return {
        "sources": [{"name": s.name, "seconds": round(s.seconds, 3)} for s in result.sources],
        "steps": [{"name": s.name, "seconds": round(s.seconds, 3), "cached": s.cached}
                  for s in result.steps],
    }


def build_stats(result: RunResult) -> dict[str, Any]:
    """stats.json: per source and per step counts, the ledger balance, and totals of the items."""
    items = result.items
    return {
        "sources": [
            {"name": s.name, "adapter": s.adapter, "rows": s.rows, "items": s.items,
             "rejected": s.rejected}
            for s in result.sources
        ],
        "steps": [s.to_dict() for s in result.steps],
        "ledger": result.ledger.balance(),
        "totals": item_totals(items),
    }


def item_totals(items: Iterable[Item]) -> dict[str, Any]:
    """Counts of items by category, label status, source, and the domain x complexity matrix,
    in one pass over `items`."""
    counts: dict[str, Counter[str]] = {key: Counter() for key in TOTALS}
    n = 0
    for item in items:
        n += 1
        label = "abstain" if item.should_abstain else "answer"
        counts["by_category"][item.category.value] += 1
        counts["by_label_status"][item.label_status.value] += 1
        counts["by_source"][item.source.dataset] += 1
        if item.transform:
            counts["by_builder"][item.transform.builder] += 1
        counts["domain_complexity_label"][
            f"{item.domain.value}|{item.complexity.value}|{label}"] += 1
    return {"items": n, **{key: dict(sorted(counter.items())) for key, counter in counts.items()}}


TOTALS = ("by_category", "by_label_status", "by_source", "by_builder", "domain_complexity_label")


def build_manifest(recipe: Recipe, result: RunResult, spacy_info: dict[str, str]
                   ) -> dict[str, Any]:
    """build.json: the recipe as run, its hash, versions, spaCy model, source revisions, steps."""
    return {
        "tool": {"name": "abstain-data", "version": abstain_data.__version__},
        "python": platform.python_version(),
        "versions": {name: _version(name) for name in LIBRARIES},
        "recipe": recipe.raw,
        "recipe_path": str(recipe.path),
        "recipe_sha256": recipe.sha256,
        "seed": recipe.seed,
        "reference_year": recipe.reference_year,
        "spacy_model": spacy_info,
        "sources": {
            s.name: {"adapter": s.adapter, "license": s.license, "revision": s.revision,
                     "rows": s.rows}
            for s in result.sources
        },
        "steps": [{"name": s.name, "version": s.version, **s.identity.to_dict()}
                  for s in result.steps],
    }


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist.replace("_", "-"))
    except metadata.PackageNotFoundError:
        return None


def write_build_folder(out: Path, result: RunResult, stats: dict[str, Any],
                       manifest: dict[str, Any]) -> None:
    """Write every file into a temporary sibling folder, then swap it into place."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with staged_folder(out) as tmp:
        folder = buildfolder.BuildFolder(tmp)
        buildfolder.write_items(folder.items, result.items)
        buildfolder.write_ledger(folder.ledger, result.ledger.rows())
        buildfolder.write_jsonl(folder.rejects, result.rejects)
        buildfolder.write_jsonl(
            folder.review_queue,
            (i.to_dict() for i in result.items if i.label_status == "needs_review"),
        )
        folder.stats.write_text(json.dumps(stats, indent=2, sort_keys=True) + "\n", "utf-8")
        folder.build.write_text(
            json.dumps(manifest, indent=2, sort_keys=True, default=str) + "\n", "utf-8"
        )
