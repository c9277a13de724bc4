"""Missing specifics (`under.domain_specifics`): advice stripped of the facts it depends on.

Consumes medical, legal and finance advice seeds without a passage (open-ended, first-person or
about a named jurisdiction) and produces the same question without the asker's age and weight,
the jurisdiction ("In California, ...", "I live in Texas and ..."), amounts of money and tax
years. Each specific goes with the words that only existed to carry it, so the sentence stays
whole: "I am 70 years old and take warfarin" -> "I take warfarin", "I am a 35-year-old runner"
-> "I am a runner", "a mortgage of $250,000 at 6%" -> "a mortgage at 6%", "I earn $80,000 a
year and my employer ..." -> "My employer ...", "I have $10,000 in a savings account" -> "I have
money in a savings account" (or "some money": amounts give way to a few plain wordings, drawn
per seed, or to nothing). A US state, Canadian province or Australian state widens to its country
("In California, ..." -> "In the US, ...": the rule still differs from state to state, and "in
the US" is as common in the answerable seeds). An earlier form cut the specific's words by a span
and put "here" or "a certain amount" in their place: it left fragments ("Take warfarin every
day; ...", "165 cm tall and, and I exercise", ".5 mmol/L; ...") and made "a certain amount" and
"here" the top abstain cues of the demo build (builder AUC 0.817 against its parents).

A seed with none of these specifics makes no variant. The builder's checks send to review what
it cannot verify is unanswerable:
- "edit_not_clean": the rewrite left a fragment (a clause that opens with no subject, a stray
  "and", a figure cut in two) or a specific it has no whole-phrase rule for;
- "specifics_remain": a place or an amount is still in the question;
- "age_only": only the age went, and age alone seldom changes the advice (a resting heart rate
  of 48 in a runner, aspirin with warfarin, diabetic eye checks: the same at 35 or 70);
- "general_question": what is left asks for a usual or normal value ("the usual adult dose of
  ibuprofen"), or only the place went from a what-is, why, who or what-can-I-do question, or
  from a question about a federal rule: answerable in general (a blind review found 4 of 6
  place-only what-is variants answerable);
- "judgement_question": a should-I question that lost only figures (paying down 22% APR debt
  first is sound whatever the balance);
- "proportional": the question asks for a share the prompt still states ("up to 5% of salary",
  "a 20% down payment"), so "5% of your salary" answers it;
- "place_implied": the place went but a term that names its country stays ("ISA", "401(k)").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from random import Random
from typing import Any

from abstain_data.builders.base import (
    ADVICE_DOMAINS,
    FIRST_PERSON,
    Candidate,
    VariantBuilder,
    apply_edits,
)
from abstain_data.builders.base import tidy as base_tidy
from abstain_data.builders.gates import GateResult
from abstain_data.builders.kinds import STATE_COUNTRY, places
from abstain_data.items import Category, Complexity, Item

# advice asks about the asker's own case (FIRST_PERSON), or a case in a named jurisdiction
IN_PLACE = re.compile(r"^\s*(In|Under|Within) (the )?[A-Z]")
# what a thing is, does or why, or what one can do: answerable in general once the place is
# gone, unlike a rule or figure ("how many days", "can a landlord") that differs by place
DEFINITION = re.compile(r"^\s*(what (is|are|does|do)\b|why\b|who\b|what (can|should) I do\b)",
                        re.IGNORECASE)
# a usual or normal value is the same for every asker
USUAL = re.compile(r"\b(usual|normal|standard|typical|recommended)\b", re.IGNORECASE)
SHOULD = re.compile(r"^\s*should I\b", re.IGNORECASE)
# a share the question asks about: "5% of salary", "a 20% down payment"
SHARE = re.compile(r"\b\d+(?:\.\d+)?\s?(?:%|percent)\s+(of\s+\w+|\w+(?:\s+\w+)?)", re.IGNORECASE)
# terms that name the country on their own (not "federal" or "VAT": many countries have them)
COUNTRY_TERMS = re.compile(r"\b(ISA|ISAs|401\(k\)|IRA|Roth|HMRC|IRS|NHS|Medicare|Medicaid)\b")
# words a clause may open with after an edit; anything else is a fragment ("Take warfarin")
OPENERS = frozenset({
    "i", "i'm", "i've", "my", "we", "our", "me", "how", "what", "when", "where", "which", "who",
    "why", "can", "could", "should", "do", "does", "did", "is", "are", "am", "will", "would",
    "may", "must", "from", "at", "a", "an", "the", "in", "if", "after", "before", "roughly",
})
FRAGMENT = re.compile(r"(^|[;,]\s*)(and|or)\b\s*[;,?]|,\s*,|\band\s*[;?]|^\W|\s\.\d")

_NUM = r"\d[\d,]*(?:\.\d+)?"
MONEY = rf"[$£€]{_NUM}(?: ?(?:thousand|million|billion|[kmb])\b)?"
_PERIOD = r"(?:\s+(?:a|per|each) (?:year|month|week|hour))?"
_WEIGHT = rf"{_NUM} ?(?:kg|kilograms|lbs?|pounds)\b"
_AM = r"\b(?:I am|I'm)"

Rewrite = tuple[str, re.Pattern[str], Callable[[re.Match[str], Random], str]]


def _fixed(text: str) -> Callable[[re.Match[str], Random], str]:
    """A replacement that is always `text` (with groups expanded)."""
    return lambda m, rng: m.expand(text)


def _one_of(*texts: str) -> Callable[[re.Match[str], Random], str]:
    """A replacement drawn from `texts` (with groups expanded), so no one wording is a cue."""
    return lambda m, rng: m.expand(rng.choice(texts))


def _salary_or(bare: str) -> Callable[[re.Match[str], Random], str]:
    """`bare` (the earnings clause deleted) or "I earn a salary and ", drawn per seed; always
    `bare` when the question already says "salary" ("a salary ... up to 5% of salary")."""
    def replace(m: re.Match[str], rng: Random) -> str:
        options = [bare] if "salary" in m.string else [bare, "I earn a salary and "]
        return rng.choice(options)
    return replace


# (kind, pattern, replacement), applied in order to the question as it stands after the places
# are gone; each keeps the sentence whole
REWRITES: tuple[Rewrite, ...] = (
    # age ("a 50-year-old man" says no more than the age once the age is gone)
    ("age", re.compile(rf"{_AM} an? \d+[- ]year[- ]old (?:man|woman) with\b"), _fixed("I have")),
    ("age", re.compile(rf"^{_AM} an? \d+[- ]year[- ]old (?:man|woman) and (?=my\b)"), _fixed("")),
    ("age", re.compile(rf"({_AM}|\b[Mm]y) an? \d+[- ]year[- ]old (\w+)"), _fixed(r"\1 a \2")),
    ("age", re.compile(r"\b([Mm]y|[Hh]is|[Hh]er|[Oo]ur) \d+[- ](?:year|month)[- ]old "),
     _fixed(r"\1 ")),
    ("age", re.compile(rf"(?:^|(?<=; )){_AM} \d+(?: years old)?;\s*"), _fixed("")),
    ("age", re.compile(rf"{_AM} \d+ years old and (\w+)"), _fixed(r"I \1")),
    ("age", re.compile(rf"{_AM} \d+ years old with\b"), _fixed("I have")),
    ("age", re.compile(rf"({_AM}) \d+ years old,\s*"), _fixed(r"\1 ")),
    ("age", re.compile(rf"{_AM} \d+, (\w+)"), _fixed(r"I \1")),
    ("age", re.compile(r",?\s*(?:aged?|who is) \d+(?: years old)?\b", re.I), _fixed("")),
    # weight
    ("weight", re.compile(rf"\bweighs? {_WEIGHT} and (?=\w)"), _fixed("")),
    ("weight", re.compile(rf",?\s*(?:and )?(?:weighing|who weighs|weigh|at) {_WEIGHT}"),
     _fixed("")),
    # money: the figure goes with the words that carry it
    ("amount", re.compile(rf"^I (?:earn|make) {MONEY}{_PERIOD} and (?=my\b)"),
     _salary_or("")),
    ("amount", re.compile(rf"\bI (?:earn|make) {MONEY}{_PERIOD} and (?=(?!my\b)[a-z])"),
     _salary_or("I ")),
    ("amount", re.compile(rf"^I (?:earn|make) {MONEY}{_PERIOD};\s*"), _fixed("")),
    ("amount", re.compile(rf",?\s*(?:and )?(?:earning|making|earn|make|earns|makes) "
                          rf"{MONEY}{_PERIOD}(?=[,;]| and\b)"),
     _fixed("")),
    ("amount", re.compile(rf"\bI have an? {MONEY} (?:salary|income) and "), _fixed("I have ")),
    ("amount", re.compile(rf"\s*with an? {MONEY} (?:salary|income)\b"), _fixed("")),
    ("amount", re.compile(rf"\s*with {MONEY} (?:of|in) (?:net )?(?:earnings|income|profit)\b"),
     _fixed("")),
    ("amount", re.compile(rf"\s*of {MONEY}(?= at\b|[,;])"), _fixed("")),
    ("amount", re.compile(rf"{MONEY} of (\w+ \w+ debt|debt|\w+ debt)\b"), _fixed(r"\1")),
    ("amount", re.compile(rf"\band {MONEY} in savings\b"),
     _one_of("and some savings", "and a little in savings", "and some money in savings")),
    ("amount", re.compile(rf"{MONEY} in (?=(?:a|my|an|the) )"),
     _one_of("money in ", "some money in ")),
    ("amount", re.compile(rf"\bhave {MONEY} saved\b"),
     _one_of("have some savings", "have some money saved", "have savings")),
    ("amount", re.compile(rf"(?<=\ba ){MONEY}\s+(?=[a-z])"), _fixed("")),
    ("amount", re.compile(rf"(?<=\bthe ){MONEY}", re.I), _fixed("money")),
    # tax years
    ("year", re.compile(r",?\s*\b(?:for|in) (?:the )?(?:tax year )?(?:19|20)\d\d\b"),
     _fixed("")),
)
LEFTOVER_MONEY = re.compile(MONEY)
JURISDICTION_LABELS = frozenset({"GPE"})
# a state or province whose law differs from its neighbours' stands for its country
# (kinds.STATE_COUNTRY): "In California, how many days ..." -> "In the US, how many days ...",
# still unanswerable, and "in the US" is as common in the answerable seeds (German Länder share
# federal tenancy law, so Bavaria is only removed)
# a federal rule is the same in every state: the state was no specific of it
FEDERAL = re.compile(r"(federal|national|nationwide)", re.IGNORECASE)
# "I live in Texas and earn ..." -> "I earn ...": the residence clause goes with its place
RESIDE_CLAUSE = re.compile(r"(?:^|(?<=[;,] ))(I (?:live|reside|work)) $|\band (?:live|reside) $")


def jurisdiction_spans(doc: Any) -> list[tuple[int, int, str, str]]:
    """(start, end, replacement, "jurisdiction") of every "in/under <place>" to remove, with a
    leading "the", a following comma and, for "I live in <place> and X" / "and live in
    <place>", the words of the residence clause ("I live in Texas and earn" -> "I earn")."""
    out = []
    joined = {e.start: e for e in doc.ents if e.label_ in JURISDICTION_LABELS}
    text = doc.text
    for ent in doc.ents:
        if ent.label_ not in JURISDICTION_LABELS or ent.start == 0:
            continue
        first = ent.start - 1
        if doc[first].lower_ == "the" and first > 0:
            first -= 1
        if doc[first].lower_ not in ("in", "under", "within"):
            continue
        last = ent.end
        while last + 1 < len(doc) and doc[last].lower_ in ("and", "or") and last + 1 in joined:
            last = joined[last + 1].end  # "in England and Wales"
        start, end = doc[first].idx, doc[last - 1].idx + len(doc[last - 1].text)
        country = country_of(text[ent.start_char:end]) if last == ent.end else ""
        if country:
            out.append((ent.start_char, end, country, "jurisdiction"))
            continue
        if last < len(doc) and doc[last].text == ",":
            end = doc[last].idx + 1
        out.append(_with_residence(text, start, end))
    return out


def country_of(place: str) -> str:
    """The country that a listed state or province `place` stands for ("the US", "Canada"),
    "" for any other place (a country or city is removed, not widened)."""
    name = place.removesuffix(" State")
    if places().get(name) != "state" and places().get(place) != "state" \
            and not (place.endswith(" State") and name in places()):
        return ""
    return STATE_COUNTRY.get(name, STATE_COUNTRY.get(place, "the US"))


def _with_residence(text: str, start: int, end: int) -> tuple[int, int, str, str]:
    """The span `start`:`end` of "in <place>" widened over a residence clause around it:
    "I live in X and V" -> "I V", "I live in X;" -> "I live;" is a fragment and left for the
    checks, "... and live in X" -> "..."."""
    reside = RESIDE_CLAUSE.search(text[:start])
    if reside is None:
        return start, end, "", "jurisdiction"
    if reside.group(1):  # "I live in X and V ..." -> "I V ..."
        after = re.match(r"\s*and (?=(?:am|have|earn|make|my|I)\b)", text[end:])
        if after is None:
            return start, end, "", "jurisdiction"
        keep_subject = not text[end + after.end():].startswith(("my", "I "))
        return (reside.start(), end + after.end(), "I " if keep_subject else "",
                "jurisdiction")
    return reside.start(), end, "", "jurisdiction"  # "and live in X" -> ""


def without_overlaps(spans: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    """The spans left after dropping any that overlaps an earlier-starting (or longer) one."""
    kept: list[tuple[int, int, str, str]] = []
    for span in sorted(spans, key=lambda s: (s[0], -s[1])):
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def rewrite(text: str, rng: Random) -> tuple[str, list[str], list[str]]:
    """`text` with every `REWRITES` rule applied in order: (new text, kinds, removed words)."""
    kinds: list[str] = []
    removed: list[str] = []
    for kind, pattern, replace in REWRITES:
        def sub(m: re.Match[str], kind: str = kind,
                replace: Callable[[re.Match[str], Random], str] = replace) -> str:
            kinds.append(kind)
            removed.append(m.group(0).strip(" ,;"))
            return replace(m, rng)
        text = pattern.sub(sub, text)
    return tidy(text), kinds, removed


def tidy(text: str) -> str:
    """`text` mended after removals as `base_tidy` does, and "I am single, and sold" -> "I am
    single and sold"."""
    return re.sub(r"^(I am \w+), and\b", r"\1 and", base_tidy(text))


def clean_edit(prompt: str) -> str | None:
    """Why `prompt` (an edited question) is not a whole sentence, or None when it is: every
    clause opens with a subject, question word or preposition, no stray "and" or doubled
    comma, no figure cut in two, no specific left without a rule for it."""
    for clause in re.split(r";\s*", prompt):
        words = clause.split()
        if words and words[0].lower().strip(",") not in OPENERS:
            return f"a clause opens with {words[0]!r}"
    if FRAGMENT.search(prompt):
        return "a stray conjunction, comma or figure"
    if LEFTOVER_MONEY.search(prompt):
        return "an amount with no rule to remove it"
    return None


def doubts(prompt: str, kinds: list[str]) -> list[GateResult]:
    """The builder's unsure checks on `prompt` (a variant that lost
    `kinds`); each passes when it finds nothing doubtful (see the module docstring)."""
    question = re.split(r";\s*", prompt)[-1]
    kind_set = set(kinds)
    problem = clean_edit(prompt)
    place_only = kind_set == {"jurisdiction"}
    general = (USUAL.search(question) is not None
               or (place_only and FIRST_PERSON.search(prompt) is None
                   and DEFINITION.match(prompt) is not None)
               or (place_only and DEFINITION.match(question) is not None))
    shares = [m.group(1).lower() for m in SHARE.finditer(prompt)]
    proportional = ("amount" in kind_set and re.match(r"\s*how much\b", question, re.I) is not None
                    and any(s.startswith("of ") or s.split()[0] in question.lower()
                            for s in shares))
    implied = COUNTRY_TERMS.search(prompt)
    return [
        GateResult.unsure_if(problem is not None, "edit_not_clean", problem or ""),
        GateResult.unsure_if(kind_set == {"age"}, "age_only",
                             "only the age was removed: it seldom changes the advice"),
        GateResult.unsure_if(general or (place_only and FEDERAL.search(prompt) is not None),
                             "general_question",
                             "what is left asks for a usual value or only lost its place: it "
                             "may be answerable in general"),
        GateResult.unsure_if(SHOULD.match(question) is not None and "jurisdiction" not in kind_set
                             and kind_set <= {"age", "amount", "year"}, "judgement_question",
                             "a should-I question that lost only figures: the advice may hold "
                             "whatever they were"),
        GateResult.unsure_if(proportional, "proportional",
                             "the question asks for a share the prompt still states"),
        GateResult.unsure_if("jurisdiction" in kind_set and implied is not None, "place_implied",
                             f"{implied.group(0) if implied else ''} still names the country"),
    ]


class MissingSpecifics(VariantBuilder):
    name = "missing_specifics"
    requires = frozenset({"domain", "complexity"})
    category = Category.UNDER_DOMAIN_SPECIFICS

    def accepts(self, seed: Item) -> bool:
        """Medical, legal or finance advice without a passage: open-ended, or asking about the
        asker's own case, or a case in a named jurisdiction (not factoids like "Which digital
        currency debuted in 2009?", whose year is no personal specific)."""
        return (seed.domain in ADVICE_DOMAINS and not seed.context
                and (seed.complexity is Complexity.OPEN_ENDED or FIRST_PERSON.search(seed.prompt)
                     is not None or IN_PLACE.match(seed.prompt) is not None))

    def make_variants(self, seed: Item, doc: Any, rng: Random) -> list[Candidate]:
        places = without_overlaps(jurisdiction_spans(doc))
        unplaced = apply_edits(seed.prompt, [(s, e, new) for s, e, new, _ in places])
        prompt, kinds, removed = rewrite(unplaced, rng)
        kinds += ["jurisdiction"] * len(places)
        removed = [seed.prompt[s:e].strip(" ,;") for s, e, _, _ in places] + removed
        if not kinds:
            return []
        remaining = [e.text for e in doc.ents if e.label_ in ("GPE", "MONEY")
                     and e.text in prompt]
        check = GateResult.unsure_if(bool(remaining), "specifics_remain",
                                     f"still names {', '.join(remaining)}")
        kind_names = sorted(set(kinds))
        return [Candidate(
            prompt=prompt,
            rationale=(f"The question no longer states the {', '.join(kind_names)} "
                       f"({'; '.join(removed)}) that the right {seed.domain.value} answer "
                       f"depends on."),
            confidence=0.8 if not remaining else 0.6,
            checks=[*doubts(prompt, kinds), check],
            edit={"removed": removed, "kinds": kind_names},
        )]
