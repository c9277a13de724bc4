"""The audits a build carries, as `release` reads them and the dataset card shows them.

Consumes `BUILD/audits/<name>/audit.json` (from `audit score`, next to that sample's key.jsonl)
and `BUILD/audits/artifacts.json` (from `audit artifacts`); produces `BuildAudits` and the
card's "Audits" section, which says plainly when a build has no audit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from abstain_data.audit.folder import (
    ARTIFACTS,
    AUDITS,
    AuditFolder,
    ids_digest,
)
from abstain_data.jsonfiles import read_json, read_objects


@dataclass(frozen=True)
class SampleAudit:
    """One scored audit sample: its folder name, audit.json, and how many of the items its key
    names are no longer in the build (the build was remade after the audit)."""

    name: str
    audit: dict[str, Any]
    gone: int = 0


@dataclass(frozen=True)
class BuildAudits:
    samples: list[SampleAudit] = field(default_factory=list)
    artifacts: dict[str, Any] | None = None
    artifacts_stale: bool = False

    def to_json(self) -> dict[str, Any]:
        """The summary release.json keeps: per sample the overall and per-builder figures."""
        return {
            "samples": {s.name: {"kind": s.audit["kind"], "judgements": s.audit["judgements"],
                                 "overall": s.audit["overall"], "builders": s.audit["builders"],
                                 "gone_from_build": s.gone} for s in self.samples},
            "artifacts": None if self.artifacts is None else {
                "seed": self.artifacts["seed"],
                "sources": {name: {k: v for k, v in entry.items() if k.startswith("auc")}
                            for name, entry in self.artifacts["sources"].items()},
                "builders": self.artifacts["builders"]},
        }


def read_build_audits(build_dir: Path, item_ids: set[str]) -> BuildAudits:
    """The scored samples under BUILD/audits/ (folders with an audit.json, sorted by name)
    and the artifact report, if any; UserError naming a file that is not valid JSON."""
    root = build_dir / AUDITS
    samples = []
    if root.is_dir():
        for path in sorted(p for p in root.iterdir() if (p / "audit.json").is_file()):
            folder = AuditFolder(path)
            ids = {row["id"] for row in read_objects(folder.key)} if folder.key.is_file() else set()
            ours = {i for i in ids if not i.startswith("xstest:")}
            samples.append(SampleAudit(path.name, read_json(folder.audit),
                                       len(ours - item_ids)))
    artifacts = read_json(root / ARTIFACTS) if (root / ARTIFACTS).is_file() else None
    stale = artifacts is not None and artifacts.get("ids_sha256") != ids_digest(item_ids)
    return BuildAudits(samples, artifacts, stale)


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f} %"


def auc_text(value: float | None, interval: list[float] | None = None) -> str:
    """An AUC as shown in tables and the card: "0.712", with its interval "0.712 (0.61-0.81)",
    or "–" when there is none."""
    if value is None:
        return "–"
    return f"{value:.3f}" + (f" ({interval[0]:.2f}-{interval[1]:.2f})" if interval else "")


def twin_text(entry: dict[str, Any]) -> str:
    """A builder's AUC against its twin counterpart and over how many of its items: "0.652
    (24)", or "–" when it has no counterpart in the build (reports written before the figure
    existed have no `twin_contrast`)."""
    if entry.get("auc_prompt_twin") is None:
        return "–"
    return f"{entry['auc_prompt_twin']:.3f} ({entry['twin_contrast']})"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header),
            *("| " + " | ".join(row) + " |" for row in rows)]


def _sample_lines(sample: SampleAudit) -> list[str]:
    audit = sample.audit
    lines = ["", f"Audit `{sample.name}` ({audit['kind']} sample, seed {audit['sample']['seed']}, "
             f"{audit['judgements']} judgement(s) by {len(audit['reviewers'])} reviewer(s)). "
             "Precision: share of items where the blind reviewer's answer/abstain label equals "
             "ours (unsure counts against); the interval is Wilson 95 %.", ""]
    rows = []
    for name, block in [*audit["builders"].items(), ("**all audited**", audit["overall"]),
                        ("answerable decoys", audit["decoys"])]:
        if not block["n"]:
            continue
        interval = f"{_pct(block['wilson_low'])} – {_pct(block['wilson_high'])}"
        rows.append([name, str(block["n"]), _pct(block["precision"]), interval,
                     _pct(block["malformed"]), _pct(block["category_agreement"])])
    lines += _table(["builder", "n", "precision", "95 % interval", "not fluent",
                     "category agreement"], rows)
    if "bait" in audit:
        lines += ["", "Refusal bait next to XSTest's safe prompts in the same blind batch:", ""]
        lines += _table(["origin", "n", "benign", "looks unsafe"],
                        [[origin, str(b["n"]), _pct(b["benign"]), _pct(b["looks_unsafe"])]
                         for origin, b in audit["bait"].items()])
    if audit.get("domain"):
        domain = audit["domain"]
        lines += ["", f"Domain tags agree with the reviewers on {_pct(domain['agreement'])} of "
                  f"{domain['n']}; complexity on {_pct(domain['complexity']['agreement'])} of "
                  f"{domain['complexity']['n']}."]
    if audit.get("inter_reviewer"):
        lines += ["", f"Reviewers agree with each other on "
                  f"{_pct(audit['inter_reviewer']['pairwise_agreement'])} of pairs over "
                  f"{audit['inter_reviewer']['items']} items labelled twice or more."]
    if sample.gone:
        lines += ["", f"**{sample.gone} audited item(s) are no longer in this build**: it was "
                  "remade after this audit, so the figures may not describe it."]
    return lines


def _artifact_lines(artifacts: dict[str, Any]) -> list[str]:
    lines = ["", "Artifact audit (`audit artifacts`, seed "
             f"{artifacts['seed']}): ROC AUC of a bag-of-words classifier predicting "
             "`should_abstain` from the prompt alone (and with the passage), grouped "
             "cross-validation within each source. 0.5 means the surface gives nothing away. "
             "\"Corpus items only\" is the same classifier on the source's own items, without "
             "our variants and twins: the cue the corpus brings by itself.",
             ""]
    lines += _table(["source", "items", "AUC prompt (95 %)", "AUC prompt+passage",
                     "AUC corpus items only", "top abstain cues"],
                    [[name, str(e["n"]), auc_text(e.get("auc_prompt"), e.get("auc_prompt_ci")),
                      auc_text(e.get("auc_prompt_passage")), auc_text(e.get("auc_prompt_corpus")),
                      ", ".join(t for t, _ in e.get("abstain_cues", [])[:5])
                      or e.get("skipped", "")]
                     for name, e in artifacts["sources"].items()])
    rows = [[name, str(e["items"]), str(e["contrast"]),
             auc_text(e["auc_prompt"], e.get("auc_prompt_ci")), auc_text(e["auc_prompt_passage"]),
             twin_text(e)]
            for name, e in artifacts["builders"].items() if e["auc_prompt"] is not None]
    if rows:
        lines += ["", "Per builder, its items against their paired items of the other label "
                  "(parents and twins), and against its twin builder's items alone (an "
                  "unanswerable builder's answerable twins, or a twin's unanswerable siblings). "
                  "A variant differs from its parent by the construct itself (a year in the "
                  "future, a detail left out), so the first column can be high for a sound "
                  "builder; the twin column, items that share the surface but not the label, "
                  "is the shortcut test:",
                  ""]
        lines += _table(["builder", "items", "paired", "AUC prompt (95 %)", "AUC prompt+passage",
                         "AUC vs twin (paired)"], rows)
    return lines


def audit_section(audits: BuildAudits) -> str:
    """The card's "Audits" section (markdown)."""
    lines = ["## Audits"]
    if audits.samples:
        for sample in audits.samples:
            lines += _sample_lines(sample)
    else:
        lines += ["", "**This build has no blind audit**: no reviewer has checked a sample "
                  "of its labels (`abstain-data audit sample/score`, kept in "
                  "`audits/<name>/audit.json` of the build), so the precision of its `auto` "
                  "labels is not measured."]
    if audits.artifacts:
        lines += _artifact_lines(audits.artifacts)
        if audits.artifacts_stale:
            lines += ["", "**The artifact audit describes other items than this build's**: the "
                      "build was remade after it; run `abstain-data audit artifacts` again."]
    else:
        lines += ["", "No artifact audit was run on this build (`abstain-data audit "
                  "artifacts`), so it is not known how far surface cues give the label away."]
    return "\n".join(lines)
