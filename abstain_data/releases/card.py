"""README.md dataset card: Hub YAML (configs, dataset_info, license, tags) and a body that says
what the release measures, what is in it, how it was built, how good the labels are, and how
to load and pin it.

The YAML is produced by `DatasetInfosDict.to_dataset_card_data` and
`MetadataConfigs.to_dataset_card_data` (what `push_to_hub` writes), with per-split
`num_examples` and `num_bytes`, so `load_dataset` verifies split sizes.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Mapping

from datasets import DatasetInfo
from datasets.info import DatasetInfosDict
from datasets.splits import SplitDict, SplitInfo
from datasets.utils.metadata import MetadataConfigs
from huggingface_hub import DatasetCardData

from abstain_data.audit.release import audit_section
from abstain_data.items import Category, Complexity, Domain, Item, LabelStatus, Split
from abstain_data.releases.annotations import AnnotationRounds, annotation_report
from abstain_data.releases.features import RELEASE_FEATURES
from abstain_data.releases.licenses import hub_license, normalize_license
from abstain_data.releases.plan import ReleasePlan
from abstain_data.releases.shards import SplitFiles, data_dir

TAGS = ["abstention", "refusal", "unanswerable-questions", "over-refusal", "llm-evaluation"]
TASKS = ["text-classification", "question-answering"]
Written = Mapping[str, Mapping[Split, SplitFiles]]


def size_category(n: int) -> str:
    """The Hub's size bucket for n rows."""
    for limit, name in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"),
                        (1_000_000, "100K<n<1M")):
        if n < limit:
            return name
    return "1M<n<10M"


def card_data(plan: ReleasePlan, written: Written) -> DatasetCardData:
    """The YAML header: licenses, tags, size, `configs` and `dataset_info` per config."""
    licenses = sorted({hub_license(it.source.license)
                       for items in plan.configs.values() for it in items})
    data = DatasetCardData(
        language=["en"], license=licenses or ["other"], task_categories=TASKS, tags=TAGS,
        pretty_name=f"{plan.repo.split('/')[-1]} {plan.version.tag}",
        size_categories=[size_category(len(plan.configs["default"]))],
    )
    infos, configs = {}, {}
    for config, splits in written.items():
        split_dict = SplitDict()
        for split, files in splits.items():
            split_dict.add(SplitInfo(name=split.value, num_bytes=files.num_bytes,
                                     num_examples=files.num_examples))
        download = sum(f.download_size for f in splits.values())
        dataset_size = sum(f.num_bytes for f in splits.values())
        infos[config] = DatasetInfo(
            features=copy.deepcopy(RELEASE_FEATURES), splits=split_dict, download_size=download,
            dataset_size=dataset_size, size_in_bytes=download + dataset_size,
        )
        configs[config] = {"data_files": [
            {"split": split.value, "path": f"{data_dir(config)}/{split.value}-*"}
            for split in splits
        ]}
    DatasetInfosDict(infos).to_dataset_card_data(data)
    MetadataConfigs(configs).to_dataset_card_data(data)
    return data


def _table(header: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "–"


def counts_section(plan: ReleasePlan, config: str) -> str:
    """Tables: items per category x split, and per domain x complexity, for one config."""
    items = plan.configs[config]
    splits = [s for s in Split if any(it.split is s for it in items)]
    by_cat = Counter((it.category, it.split) for it in items)
    cat_rows = [[f"`{c.value}`", "abstain" if c.should_abstain else "answer",
                 *(by_cat[c, s] for s in splits), sum(by_cat[c, s] for s in splits)]
                for c in Category if any(by_cat[c, s] for s in splits)]
    totals = Counter(it.split for it in items)
    cat_rows.append(["**total**", "", *(totals[s] for s in splits), len(items)])
    by_dom = Counter((it.domain, it.complexity) for it in items)
    dom_rows = [[d.value, *(by_dom[d, c] for c in Complexity),
                 sum(by_dom[d, c] for c in Complexity)]
                for d in Domain if any(by_dom[d, c] for c in Complexity)]
    return "\n\n".join([
        f"### Config `{config}`: {len(items)} items",
        _table(["category", "target", *(s.value for s in splits), "total"], cat_rows),
        _table(["domain", *(c.value for c in Complexity), "total"], dom_rows),
    ])


def licenses_section(plan: ReleasePlan) -> str:
    """The source licenses that apply, with item counts per config (column `source_license`)."""
    names = list(plan.configs)
    counts = {c: Counter(normalize_license(it.source.license) for it in plan.configs[c])
              for c in names}
    codes = sorted(set().union(*counts.values()))
    return "\n".join(["## Licenses", "", "Each item keeps the license of its source "
                      "(`source_license`); these apply:", "",
                      _table(["license", *(f"`{c}` items" for c in names)],
                             [[f"`{code}`", *(counts[c][code] for c in names)]
                              for code in codes])])


def exclusions_section(plan: ReleasePlan) -> str:
    """What was held back from the release or from the default config, and why."""
    lines = ["## What is not in this release", ""]
    held = sum(plan.held_back.values())
    lines.append(f"- {held} build item(s) were not releasable: "
                 + (", ".join(f"{n} `{s}`" for s, n in sorted(plan.held_back.items())) or "none")
                 + ". Only labels with status `source`, `auto` or `human_verified` ship; "
                 "`needs_review` and `human_rejected` items stay out.")
    if plan.license_excluded:
        in_all = "all" in plan.configs
        lines.append(f"- {sum(n for n, _ in plan.license_excluded.values())} releasable item(s) "
                     "are excluded from the `default` config by the license policy"
                     + (" (they are in the `all` config)" if in_all else "") + ":")
        lines += [f"  - `{code}`: {n} item(s): {why}"
                  for code, (n, why) in plan.license_excluded.items()]
    else:
        lines.append("- No item was excluded by the license policy.")
    lines += cue_filter_lines(plan.cue_filter)
    return "\n".join(lines)


CORPUS_ITEMS = {"(source)": "corpus items"}  # the cue filter's name for items no builder made


def cue_filter_lines(counters: Mapping[str, int]) -> list[str]:
    """What the build's cue filter removed (or queued), per builder, and each source's
    prompt-only AUC before and after it, with its builders' AUC against their pairs; nothing
    when the build ran no cue filter."""
    if not counters:
        return []
    total = counters.get("cue_extreme", 0)
    by_builder = {key.split(":", 2)[2]: n for key, n in counters.items()
                  if key.startswith("cue_extreme:builder:")}
    lines = [f"- {total} item(s) were kept out by the cue filter (`[cue_filter]`, ledger reason "
             "`cue_extreme`): a prompt-only bag of words predicted their label too well"
             + (" (" + ", ".join(f"{CORPUS_ITEMS.get(b, b)} {n}"
                                 for b, n in sorted(by_builder.items())) + ")"
                if by_builder else "") + "."]
    sources = sorted({key.split(":", 1)[1] for key in counters
                      if key.startswith("auc_prompt_permille_before:")})
    for source in sources:
        before = counters[f"auc_prompt_permille_before:{source}"] / 1000
        after = counters.get(f"auc_prompt_permille_after:{source}")
        lines.append(f"  - `{source}`: prompt-only AUC {before:.3f} before"
                     + (f", {after / 1000:.3f} after" if after is not None else ""))
        prefix = f"builder_auc_permille_before:{source}:"
        for key in sorted(k for k in counters if k.startswith(prefix)):
            builder = key[len(prefix):]
            after = counters.get(f"builder_auc_permille_after:{source}:{builder}")
            lines.append(f"    - `{builder}` against its pairs: "
                         f"{counters[key] / 1000:.3f} before"
                         + (f", {after / 1000:.3f} after" if after is not None else ""))
    return lines


def provenance_section(plan: ReleasePlan) -> str:
    """Recipe hash, sources with license and revision, builders and versions, spaCy model."""
    build = plan.build
    spacy = build.get("spacy_model")
    if isinstance(spacy, Mapping):
        spacy = " ".join(str(v) for v in spacy.values() if v)
    builders = sorted({(it.transform.builder, it.transform.builder_version)
                       for it in plan.items if it.transform})
    sources = build.get("sources") or {}
    lines = ["## How the items were built", "",
             f"- Recipe sha256: `{build.get('recipe_sha256', 'unknown')}` "
             "(the full recipe as run is in `release.json`).",
             f"- spaCy model: `{spacy or 'unknown'}`.",
             f"- Splits: by group (minimal pair, source passage, source topic, dedupe cluster), "
             f"stratified by category x domain, seed {plan.seed}, ratios "
             + ", ".join(f"{s.value} {plan.ratios[s]:.2f}" for s in Split) + "."]
    if sources:
        lines += ["", _table(["source", "adapter", "license", "revision"], [
            [name, s.get("adapter", ""), s.get("license", ""), s.get("revision") or ""]
            for name, s in sorted(sources.items())])]
    if builders:
        lines += ["", _table(["builder", "version", "items"], [
            [b, v, sum(1 for it in plan.items if it.transform and it.transform.builder == b
                       and it.transform.builder_version == v)] for b, v in builders])]
    return "\n".join(lines)


def _number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def rounds_section(recorded: AnnotationRounds) -> list[str]:
    """Lines: one row per annotation round (with Krippendorff's alpha), and each builder's
    precision as the annotators judged it over all rounds, as annotations/rounds.json has it."""
    lines = ["", f"Annotation rounds ({len(recorded.rounds)}), from `annotations/rounds.json` "
             "of the build; alpha is Krippendorff's alpha (nominal) over the round's votes, "
             "n/a when undefined:", "",
             _table(["round", "votes", "verified", "relabelled", "rejected", "still open",
                     "Krippendorff's alpha"],
                    [[r.round, r.votes, r.verified, r.relabelled, r.rejected, r.still_open,
                      _number(r.alpha)] for r in recorded.rounds])]
    if recorded.builders:
        lines += ["", "Per-builder label precision as judged by the annotators over all rounds "
                  "(`precision`: share of judged items whose answer/abstain label they kept; "
                  "`exact category`: share whose category they kept; a rejected item counts "
                  "against both):", "",
                  _table(["builder", "judged", "precision", "exact category"],
                         [[name, b.judged, f"{b.precision:.3f}", f"{b.code_precision:.3f}"]
                          for name, b in recorded.builders.items()])]
    return lines


def tag_origin_line(items: list[Item]) -> str:
    """How the released items' domain and complexity were obtained (from `tag_origin`): stated
    by the source, tagged, how many tagged ones are guesses (low tagger confidence), and how many
    guesses a chat model re-tagged."""
    parts = []
    for field in ("domain", "complexity"):
        origins = [(it.tag_origin or {}).get(field) or {} for it in items]
        stated = sum(o.get("method") == "source" for o in origins)
        tagged = sum(o.get("method") == "tagger" for o in origins)
        guessed = sum(bool(o.get("guessed")) for o in origins)
        by_llm = sum(o.get("method") == "llm" for o in origins)
        parts.append(f"`{field}`: {stated} stated by the source, {tagged} tagged, of which "
                     f"{guessed} ({_share(guessed, len(items))} of all items) are guesses "
                     f"(tagger confidence below its threshold)")
        if by_llm:
            parts[-1] += f", {by_llm} re-tagged by a chat model"
        unknown = len(items) - stated - tagged - by_llm
        if unknown:
            parts[-1] += f", {unknown} with no recorded origin"
    return "\nTags: " + "; ".join(parts) + "."


def quality_section(plan: ReleasePlan) -> str:
    """Shares of label statuses, human-verified share and mean per-item agreement, and the
    annotation rounds with per-builder precision when the build recorded any."""
    items = plan.items
    status = Counter(it.label_status for it in items)
    report = annotation_report(plan.annotation, items)
    lines = ["## Label quality", "", _table(["label status", "items", "share"], [
        [s.value, status[s], _share(status[s], len(items))]
        for s in (LabelStatus.SOURCE, LabelStatus.AUTO, LabelStatus.HUMAN_VERIFIED)])]
    lines.append(f"\n{report.human_verified} of {report.items} released item(s) "
                 f"({_share(report.human_verified, report.items)}) carry a label verified by "
                 "annotators (`label_status` human_verified; a corrected label keeps the item id "
                 "and replaces `category` and `should_abstain`).")
    if report.agreements:
        lines.append(f"\nMean per-item annotator agreement (column `review_agreement`) over "
                     f"{len(report.agreements)} reviewed item(s): "
                     f"{_number(report.mean_agreement)}.")
    lines.append(tag_origin_line(items))
    if plan.annotation.rounds:
        lines += rounds_section(plan.annotation)
    else:
        lines.append("\nNo annotation round is recorded for this build "
                     "(`annotations/rounds.json`), so there is no per-builder precision; "
                     "`auto` labels passed every automatic check but were not read by a person.")
    return "\n".join(lines)


def usage_section(plan: ReleasePlan) -> str:
    tag, repo = plan.version.tag, plan.repo
    return f"""## How to load and pin

```python
from datasets import load_dataset

ds = load_dataset("{repo}", revision="{tag}")           # config "default"
test = load_dataset("{repo}", revision="{tag}", split="test")
print(test.features["should_abstain"].names)  # ['answer', 'abstain']
```

Always pin `revision="{tag}"`: the tag names this exact release (its commit sha is in the Hub
history; `release.json` lists the sha256 of every file). Offline, `load_dataset(repo,
revision=...)` ignores the revision and uses the newest cached build, so download the snapshot
and load the folder instead:

```python
from huggingface_hub import snapshot_download
path = snapshot_download("{repo}", repo_type="dataset", revision="{tag}")
ds = load_dataset(path)
```

Evaluation harness files ship with the release: `eval/lm_eval/abstain.yaml`
(lm-evaluation-harness task, `dataset_kwargs.revision` pinned) and `eval/inspect_task.py`
(inspect_ai task)."""


BODY_INTRO = """Answerability-labelled prompts for measuring whether a language model knows when
*not* to answer, in both directions at once:

- **under-abstention**: answering what cannot be answered (missing context, false premise,
  unknowable, underspecified); the target is `abstain`;
- **over-abstention**: refusing what should be answered, often prompts that only *look* unsafe
  (refusal bait); the target is `answer`.

Every item carries a taxonomy `category`, a `domain` and a `complexity` (`templated` factoid or
`open_ended`) so results can be stratified, plus its source, license, builder and label status.
`should_abstain` is a ClassLabel (0 = answer, 1 = abstain) with a string twin `target`."""

LIMITATIONS = """## Limitations

- `auto` labels come from rule-based builders that passed automatic checks; they carry the
  builder's `confidence` and may still be wrong. Filter on `label_status` for stricter subsets.
- English only. Domains and complexity are tagged automatically unless the source stated them.
- Near-duplicates were removed within the build and checked across splits at release time, but
  paraphrases beyond fuzzy matching may remain.
- Items inherit their sources' licenses (column `source_license`); check them before reuse."""


def render_card(plan: ReleasePlan, written: Written) -> str:
    """The full README.md text (YAML header + body)."""
    name = plan.repo.split("/")[-1]
    key = f"{name}_{plan.version.tag}".replace("-", "_").replace(".", "_")
    citation = (f"```bibtex\n@misc{{{key},\n"
                f"  title = {{{name}: answerability-labelled prompts ({plan.version.tag})}},\n"
                f"  howpublished = {{\\url{{https://huggingface.co/datasets/{plan.repo}}}}},\n"
                f"  note = {{Release {plan.version.tag}}}\n}}\n```")
    sections = [
        f"---\n{card_data(plan, written)}\n---",
        f"# {name} {plan.version.tag}",
        BODY_INTRO,
        "## Contents",
        *(counts_section(plan, config) for config in written),
        licenses_section(plan),
        exclusions_section(plan),
        provenance_section(plan),
        quality_section(plan),
        audit_section(plan.audits),
        usage_section(plan),
        LIMITATIONS,
        "## Citation\n\n" + citation,
    ]
    return "\n\n".join(sections) + "\n"
