"""The two gates of the refusal-bait builders, on top of the shared well-formedness gate.

- `HarmfulGate`: a denylist of request patterns that no bait prompt may match (weapons and
  explosives synthesis, malware creation, drug synthesis, targeting a private person, violence
  against people, self-harm instructions, sexual content involving minors). The patterns live in
  `lexicons/denylist.json`; they run on the normalized prompt (casefolded, punctuation folded).
  Bait is benign by construction: this gate is the safety net for our own lexicon mistakes.
- `ContaminationGate`: fails a prompt that is a near-duplicate of a benchmark prompt (XSTest,
  CoCoNot, TrustLLM, OR-Bench) the build has loaded or that a reference file holds, so our bait
  can be used next to those benchmarks without contamination.
- `TriggerGate` ("no_trigger"): fails a prompt that does not *look* unsafe, i.e. that lacks its
  trigger word or frame, since such a prompt measures nothing about over-refusal. What
  "contains" means per family lives in `lexicons/triggers.json`:
  - word families (homonym, figurative, safe_target, safe_context, definition): the trigger word
    or phrase itself, in any inflection (kill/kills/killed/killing, burn/burnt, shoot/shot);
  - privacy_public, privacy_fictional ("person"): a name word of the person or role AND a
    privacy cue (address, home, income, salary, medical, illness, birthday, family, ...);
  - nonsense_group ("group"): the group AND a discrimination cue (banned, legally, rights, ...);
  - history, harm_reduction, security_defense, medical_info, legal_info ("cue"): the trigger is
    a topic, and the prompt must hold one of the family's alarm cues (a crime/atrocity word for
    history; drugs/alcohol/overdose for harm reduction; an attack word for security; a
    dose/poison/fatal word for medical; a crime/police/weapon word for legal).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from abstain_data.builders.gates import GateResult
from abstain_data.errors import UserError
from abstain_data.items import normalize_key


@dataclass(frozen=True)
class DenyRule:
    """One denylist rule: its category slug and compiled pattern over normalized text."""

    category: str
    pattern: re.Pattern[str]


@cache
def load_denylist() -> tuple[tuple[str, ...], tuple[DenyRule, ...]]:
    """The denylist from `lexicons/denylist.json`: allowed phrases and the rules.

    `@filler@` and `@person@` in a pattern expand to the shared alternatives of the file.
    """
    resource = resources.files("abstain_data.builders.bait") / "lexicons" / "denylist.json"
    data = json.loads(resource.read_text("utf-8"))
    shared = {f"@{name}@": f"(?:{alt})" for name, alt in data["shared"].items()}
    rules = tuple(
        DenyRule(category, re.compile(_expand(pattern, shared)))
        for category, patterns in data["rules"].items()
        for pattern in patterns
    )
    return tuple(data["allowed_phrases"]), rules


def _expand(pattern: str, shared: dict[str, str]) -> str:
    for name, alternatives in shared.items():
        pattern = pattern.replace(name, alternatives)
    return pattern


class HarmfulGate:
    """Fails a prompt that matches the harmful-content denylist (see the module docstring)."""

    def __init__(self) -> None:
        self.allowed, self.rules = load_denylist()

    def flagged(self, text: str) -> str | None:
        """The category of the first rule `text` matches, or None when it matches none.

        Allowed phrases (benign compounds such as "bath bomb") are removed before matching.
        """
        key = f" {normalize_key(text)} "
        for phrase in self.allowed:
            key = key.replace(f" {phrase} ", " ")
        for rule in self.rules:
            if rule.pattern.search(key):
                return rule.category
        return None

    def check(self, text: str) -> GateResult:
        category = self.flagged(text)
        if category is not None:
            return GateResult.failed("harmful", f"denylist: {category}")
        return GateResult.passed("harmful")


def is_benchmark_dataset(dataset: str, patterns: Sequence[str]) -> bool:
    """Whether a source dataset name (e.g. "xstest", "allenai/coconot") is a benchmark whose
    prompts bait must not duplicate: any of `patterns` occurs in it, ignoring case."""
    name = dataset.casefold()
    return any(p.casefold() in name for p in patterns)


class ContaminationGate:
    """Fails a prompt that is a near-duplicate of one of the benchmark `texts`.

    Near-duplicates are those of abstain_data.dedupe.matcher.NearDuplicateIndex (exact
    normalized match, token_set_ratio or token_sort_ratio at or above the thresholds).
    """

    def __init__(self, texts: Iterable[str], token_set_ratio: float = 90,
                 token_sort_ratio: float = 85) -> None:
        from abstain_data.dedupe.matcher import NearDuplicateIndex

        self.texts = list(dict.fromkeys(texts))
        self.index = NearDuplicateIndex(self.texts, token_set_ratio=token_set_ratio,
                                        token_sort_ratio=token_sort_ratio)

    def check(self, text: str) -> GateResult:
        matches = self.index.matches(text) if self.texts else []
        if matches:
            best = max(matches, key=lambda m: m.score)
            return GateResult.failed(
                "contamination",
                f"near-duplicate of benchmark prompt {self.texts[best.index]!r} "
                f"({best.method} {best.score:.1f})",
            )
        return GateResult.passed("contamination")


def _inflections(word: str, irregular: dict[str, list[str]]) -> set[str]:
    """The forms of a normalized `word` the trigger gate accepts as the word itself."""
    forms = {word, word + "s", word + "es", word + "ed", word + "ing", *irregular.get(word, ())}
    if word.endswith("e"):
        forms |= {word + "d", word[:-1] + "ing"}
    if re.search(r"[^aeiou]y$", word):
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    if re.search(r"(?:^|[^aeiou])[aeiou][bdgklmnprt]$", word):
        forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}
    return forms


@dataclass(frozen=True)
class TriggerRule:
    """How one family's prompts must show their trigger: a mode and its alarm cues."""

    mode: str
    cues: tuple[tuple[str, ...], ...] = ()


@cache
def load_trigger_rules() -> tuple[dict[str, TriggerRule], dict[str, list[str]], frozenset[str]]:
    """The rules of `lexicons/triggers.json`: per family, the irregular forms, the stopwords.

    A cue list "@<family>" reuses that family's cues.
    """
    resource = resources.files("abstain_data.builders.bait") / "lexicons" / "triggers.json"
    data = json.loads(resource.read_text("utf-8"))
    families = data["families"]
    rules = {}
    for family, spec in families.items():
        cues = [c for ref in spec.get("cues", ())
                for c in (families[ref[1:]]["cues"] if ref.startswith("@") else [ref])]
        rules[family] = TriggerRule(spec["mode"],
                                    tuple(tuple(normalize_key(c).split()) for c in cues))
    return rules, data["irregular"], frozenset(data["stopwords"])


class TriggerGate:
    """Fails a prompt that lacks its family's trigger word or frame (see the module docstring)."""

    def __init__(self) -> None:
        self.rules, self.irregular, self.stopwords = load_trigger_rules()

    def _same(self, token: str, word: str) -> bool:
        return (token in _inflections(word, self.irregular)
                or word in _inflections(token, self.irregular))

    def _has(self, tokens: list[str], phrase: Sequence[str]) -> bool:
        n = len(phrase)
        return n > 0 and any(all(self._same(tokens[i + j], w) for j, w in enumerate(phrase))
                             for i in range(len(tokens) - n + 1))

    def missing(self, family: str, prompt: str, trigger: str) -> str | None:
        """What `prompt` lacks to show its `trigger` under `family`'s rule, or None if nothing.

        Raises KeyError for a family without a rule (a lexicon bug, caught by tests).
        """
        rule = self.rules[family]
        tokens = normalize_key(prompt).split()
        words = normalize_key(trigger).split()
        if rule.mode == "person":
            names = [w for w in words if w not in self.stopwords]
            if not any(self._has(tokens, [w]) for w in names):
                return f"the person {trigger!r}"
        elif rule.mode in ("word", "group") and not self._has(tokens, words):
            return f"the trigger {trigger!r}"
        if rule.cues and not any(self._has(tokens, cue) for cue in rule.cues):
            return f"a {family} cue word"
        return None

    def check(self, family: str, prompt: str, trigger: str) -> GateResult:
        lacking = self.missing(family, prompt, trigger)
        if lacking is not None:
            return GateResult.failed("no_trigger", f"prompt lacks {lacking}")
        return GateResult.passed("no_trigger")


@cache
def read_reference_prompts(path: str) -> tuple[str, ...]:
    """The prompts of a benchmark file: CSV with a `prompt` column (XSTest), JSONL or a JSON
    list of objects with a `prompt` field (CoCoNot, TrustLLM, OR-Bench exports).

    Raises UserError naming the file (and row) when it is missing or has no prompts.
    """
    file = Path(path)
    try:
        text = file.read_text("utf-8")
    except OSError as exc:
        raise UserError(f"{file}: cannot read reference file: {exc.strerror}") from None
    suffix = file.suffix.lower()
    if suffix == ".csv":
        rows = list(csv.DictReader(text.splitlines()))
    elif suffix == ".jsonl":
        rows = [_json_row(file, n, line) for n, line in enumerate(text.splitlines(), 1)
                if line.strip()]
    elif suffix == ".json":
        rows = _json_row(file, None, text)
        if not isinstance(rows, list):
            raise UserError(f"{file}: reference file must hold a JSON list of objects")
    else:
        raise UserError(f"{file}: reference file must be .csv, .jsonl or .json")
    prompts = []
    for n, row in enumerate(rows, 1):
        if not isinstance(row, dict) or not isinstance(row.get("prompt"), str):
            raise UserError(f"{file}:{n}: prompt: missing or not a string")
        prompts.append(row["prompt"])
    if not prompts:
        raise UserError(f"{file}: reference file holds no prompts")
    return tuple(prompts)


def _json_row(file: Path, row: int | None, text: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"{file}:{row}" if row is not None else str(file)
        raise UserError(f"{where}: invalid JSON: {exc.msg}") from None
