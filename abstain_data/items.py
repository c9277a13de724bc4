"""The Item record (schema v1), its content-derived id, and the taxonomy enums.

An Item is one prompt with its answerability label. Field names follow AbstentionBench
(`prompt`, `reference_answers`, `should_abstain`). `Item.to_dict()` produces exactly the JSON
object described by `schema/item.schema.json`; `Item.from_dict()` reads it back. Item, Source
and Transform keep their fields in slots rather than a dict per object: a build holds every
item between steps, and the dicts cost about 250 bytes an item.
"""

from __future__ import annotations

import hashlib
import re
import sys
import unicodedata
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from functools import cache, lru_cache
from typing import Any

SCHEMA_VERSION = "1.0"


class PickledByValue(StrEnum):
    """A StrEnum pickled as (its class, its value) and read back by a dict lookup, not by
    calling the class (the Enum machinery): a build pickles every item of its stream between
    steps, four enums each."""

    def __reduce_ex__(self, protocol: Any) -> tuple[Any, ...]:
        return _member, (type(self), self._value_)


def _member(cls: type[StrEnum], value: str) -> StrEnum:
    """The member of `cls` whose value is `value` (what `PickledByValue` pickles)."""
    return cls._value2member_map_[value]  # type: ignore[return-value]


def _rebuilt(cls: type, values: tuple[Any, ...]) -> Any:
    """An object of the slots dataclass `cls` with its fields set to `values` (in field order),
    without running `__init__`: what `__reduce__` of Item, Source and Transform pickled was
    already cleaned and identified. A tuple unpickles in a fraction of the time of the default
    slot dict."""
    return _setter(cls)(values)


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


@cache
def _setter(cls: type) -> Any:
    """A function making an object of `cls` from its field values in one tuple assignment
    (generated, as dataclasses generates `__init__`: eight times faster than a setattr loop)."""
    targets = ", ".join(f"obj.{name}" for name in _field_names(cls))
    namespace: dict[str, Any] = {"new": object.__new__, "cls": cls}
    exec(f"def make(values):\n    obj = new(cls)\n    {targets}, = values\n    return obj\n",
         namespace)
    return namespace["make"]


@cache
def _getter(cls: type) -> Any:
    """A function giving the field values of an object of `cls` as one tuple (generated)."""
    values = ", ".join(f"obj.{name}" for name in _field_names(cls))
    namespace: dict[str, Any] = {}
    exec(f"def values(obj):\n    return ({values},)\n", namespace)
    return namespace["values"]


class PickledAsTuple:
    """Pickles a slots dataclass as its field values (`_rebuilt`)."""

    __slots__ = ()

    def __reduce__(self) -> tuple[Any, ...]:
        cls = type(self)
        return _rebuilt, (cls, _getter(cls)(self))


class Category(PickledByValue):
    """Taxonomy codes, the one list of them. Unanswerable codes first, then answerable ones."""

    CTX_MISSING = "ctx.missing"
    CTX_ENTITY_SWAP = "ctx.entity_swap"
    CTX_NEGATION_ANTONYM = "ctx.negation_antonym"
    PREMISE_FALSE = "premise.false"
    ENTITY_FABRICATED = "entity.fabricated"
    UNDER_INTENT = "under.intent"
    UNDER_VARIABLES = "under.variables"
    UNDER_DOMAIN_SPECIFICS = "under.domain_specifics"
    UNKNOWN_FUTURE = "unknown.future"
    UNKNOWN_UNSOLVED = "unknown.unsolved"
    SUBJECTIVE = "subjective"
    STALE = "stale"
    SAFETY_HARMFUL = "safety.harmful"
    ANSWERABLE = "answerable"
    BAIT_HOMONYM = "bait.homonym"
    BAIT_FIGURATIVE = "bait.figurative"
    BAIT_SAFE_TARGET = "bait.safe_target"
    BAIT_SAFE_CONTEXT = "bait.safe_context"
    BAIT_DEFINITION = "bait.definition"
    BAIT_HISTORY = "bait.history"
    BAIT_PRIVACY_PUBLIC = "bait.privacy_public"
    BAIT_PRIVACY_FICTIONAL = "bait.privacy_fictional"
    BAIT_NONSENSE_GROUP = "bait.nonsense_group"
    BAIT_HARM_REDUCTION = "bait.harm_reduction"
    BAIT_SECURITY_DEFENSE = "bait.security_defense"
    BAIT_MEDICAL_INFO = "bait.medical_info"
    BAIT_LEGAL_INFO = "bait.legal_info"

    @property
    def should_abstain(self) -> bool:
        """True for the codes whose right response is to abstain, decline or correct."""
        return self is not Category.ANSWERABLE and not self.value.startswith("bait.")

    @property
    def is_bait(self) -> bool:
        return self.value.startswith("bait.")


UNANSWERABLE_CATEGORIES = tuple(c for c in Category if c.should_abstain)
ANSWERABLE_CATEGORIES = tuple(c for c in Category if not c.should_abstain)
BAIT_CATEGORIES = tuple(c for c in Category if c.is_bait)


class Domain(PickledByValue):
    GENERAL = "general"
    SCIENCE = "science"
    HISTORY = "history"
    GEOGRAPHY = "geography"
    MATH = "math"
    MEDICAL = "medical"
    LEGAL = "legal"
    FINANCE = "finance"
    TECHNOLOGY = "technology"
    CULTURE = "culture"
    SPORTS = "sports"
    POLITICS = "politics"


class Complexity(PickledByValue):
    TEMPLATED = "templated"
    OPEN_ENDED = "open_ended"


class LabelStatus(PickledByValue):
    SOURCE = "source"
    AUTO = "auto"
    NEEDS_REVIEW = "needs_review"
    HUMAN_VERIFIED = "human_verified"
    HUMAN_REJECTED = "human_rejected"


class Split(PickledByValue):
    TRAIN = "train"
    VALIDATION = "validation"
    TEST = "test"


@dataclass(slots=True)
class Source(PickledAsTuple):
    """Where an item came from: corpus, config/split, id and row there, license, topic.

    `row` is the 0-based row (or line) number in the source file; `topic` is the article title or
    topic group the row belongs to (SQuAD `title`), used to find sibling passages and to keep a
    topic's items in one release split.
    """

    dataset: str
    license: str
    config: str | None = None
    split: str | None = None
    original_id: str | None = None
    url: str | None = None
    row: int | None = None
    topic: str | None = None


@dataclass(slots=True)
class Transform(PickledAsTuple):
    """How a builder made an item: builder name and version, its parameters, the seed used."""

    builder: str
    builder_version: str
    params: dict[str, Any] = field(default_factory=dict)
    seed: int = 0


@dataclass(slots=True, weakref_slot=True)  # a weak reference can watch an item be freed
class Item(PickledAsTuple):
    """One prompt with its answerability label (field names follow AbstentionBench).

    Two attributes are not part of the published schema:
    - `record` is the ledger key that follows the item through a build ("<source>#<row>" for
      source rows, "<builder>:<parent record>#<k>" for variants), so that two rows with the same
      content are still told apart before dedupe;
    - `known` names the fields the source stated itself (e.g. {"domain"} when the corpus or the
      recipe gives the domain); taggers fill only fields that are not known.

    `tag_origin` (published) says how `domain` and `complexity` were obtained, per field:
    `{"method": "source"}` when the source stated it, or `{"method": "tagger", "model":
    "domain-v2", "confidence": 0.83, "guessed": false}` when a tagger set it (`guessed` is true
    when the tagger's confidence is below its threshold), or `{"method": "llm", "model":
    "llm:<model>"}` when a chat model re-tagged a guess (`tagging/llm.py`); None before tagging.
    """

    prompt: str
    should_abstain: bool
    category: Category
    source: Source
    context: str | None = None
    reference_answers: list[str] = field(default_factory=list)
    rationale: str | None = None
    domain: Domain = Domain.GENERAL
    complexity: Complexity = Complexity.TEMPLATED
    pair_id: str | None = None
    parent_id: str | None = None
    transform: Transform | None = None
    label_status: LabelStatus = LabelStatus.SOURCE
    confidence: float = 1.0
    review: dict[str, Any] | None = None
    split: Split | None = None
    tag_origin: dict[str, Any] | None = None
    schema_version: str = SCHEMA_VERSION
    id: str = ""
    record: str = field(default="", compare=False)
    known: frozenset[str] = field(default=frozenset(), compare=False)

    def __post_init__(self) -> None:
        self.prompt = clean_text(self.prompt)
        if self.context is not None:
            # interned: the many items (seeds, variants, copies) on one passage share one string
            self.context = sys.intern(clean_text(self.context))
        if not self.id:
            self.id = item_id(self.prompt, self.context, self.category)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of the published schema (no `record`)."""
        return {
            "id": self.id,
            "prompt": self.prompt,
            "context": self.context,
            "should_abstain": self.should_abstain,
            "category": self.category.value,
            "reference_answers": list(self.reference_answers),
            "rationale": self.rationale,
            "domain": self.domain.value,
            "complexity": self.complexity.value,
            "pair_id": self.pair_id,
            "parent_id": self.parent_id,
            "source": _fields_of(self.source),
            "transform": None if self.transform is None else _fields_of(self.transform),
            "label_status": self.label_status.value,
            "confidence": float(self.confidence),
            "review": self.review,
            "split": None if self.split is None else self.split.value,
            "tag_origin": self.tag_origin,
            "schema_version": self.schema_version,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], record: str = "") -> Item:
        """Read an item from its schema dict (as `to_dict` writes it); KeyError/ValueError if bad"""
        source_fields = {f.name for f in fields(Source)}
        transform = data.get("transform")
        return cls(
            id=data["id"],
            prompt=data["prompt"],
            context=data.get("context"),
            should_abstain=bool(data["should_abstain"]),
            category=Category(data["category"]),
            reference_answers=list(data.get("reference_answers") or []),
            rationale=data.get("rationale"),
            domain=Domain(data.get("domain", "general")),
            complexity=Complexity(data.get("complexity", "templated")),
            pair_id=data.get("pair_id"),
            parent_id=data.get("parent_id"),
            source=Source(**{k: v for k, v in data["source"].items() if k in source_fields}),
            transform=None if transform is None else Transform(**transform),
            label_status=LabelStatus(data.get("label_status", "source")),
            confidence=float(data.get("confidence", 1.0)),
            review=data.get("review"),
            split=None if data.get("split") is None else Split(data["split"]),
            tag_origin=data.get("tag_origin"),
            schema_version=data.get("schema_version", SCHEMA_VERSION),
            record=record,
        )

    def derive(self, **changes: Any) -> Item:
        """A copy with `changes` applied and the id recomputed from the new content."""
        changes.setdefault("id", "")
        return replace(self, **changes)


def _fields_of(record: Source | Transform) -> dict[str, Any]:
    """The fields of `record` by name, in declaration order (a shallow copy, as JSON data)."""
    return {f.name: getattr(record, f.name) for f in fields(record)}


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PUNCT_SPACE = re.compile(r"[\W_]+", re.UNICODE)


def clean_text(text: str) -> str:
    """NFC-normalize, drop control characters (tab/newline kept) and strip outer whitespace."""
    return _CONTROL.sub("", unicodedata.normalize("NFC", text)).strip()


@lru_cache(maxsize=4_096)
def normalize_key(text: str) -> str:
    """The comparison key of a text: NFKC, casefolded, punctuation and whitespace folded.

    The most recent keys are remembered: a passage is keyed for every question asked about it
    and for each of its variants, in the content id, by dedupe and by the builders (at 20k
    seeds, 200k calls took 3.2 s under cProfile, mostly on the same passages)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_PUNCT_SPACE.sub(" ", folded).split())


def item_id(prompt: str, context: str | None, category: Category | str) -> str:
    """Stable content id: "ad-" + 16 hex of sha256 over normalized prompt, context and category."""
    code = category.value if isinstance(category, Category) else category
    payload = "\x1f".join((normalize_key(prompt), normalize_key(context or ""), code))
    return "ad-" + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def pair_id_for(parent_id: str) -> str:
    """The pair id shared by an answerable parent and its variants: derived from the parent id."""
    return "pair-" + parent_id.removeprefix("ad-")


def written_order(item: Item) -> tuple[str, str]:
    """The sort key of items in a build folder's items.parquet: by id, then by record (a
    release orders by id as well). A step that scores items as a reader of the build will
    (the cue filter) takes them in this order."""
    return item.id, item.record
