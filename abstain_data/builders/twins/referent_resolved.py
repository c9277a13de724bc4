"""Referent twin (`answerable`, sibling `referent_removal`): a vague phrase the prompt resolves.

Consumes the open-domain seeds that referent_removal made vague, with the sibling itself;
produces the sibling's own question (same vague phrase, same words, without the lead-in the
sibling may have given it) after a lead-in that names the entity it replaced, in the way people
do: a speaker's own place for "my country", "our town", "here" ("I live in France. What is the
capital of my country?"), a topic for "that country", "this city", "there" or a person ("We're
planning a trip to Peru. What language do they speak there?", "I'm reading a book about the
history of Peru. ...", "I just watched a documentary about Marie Curie. When was this person
born?", "France: what is the capital of that country?"; for a question about the speaker's
own affairs "This is about Florida. I was injured at work in the state ..."). The sentences are
the sibling's own frames (`referent_removal.FRAMES`), which it fills with a place or subject
naming no single referent: lead-ins written only here ("Take Peru.", "I'm asking about Peru.")
made the lead-in words a cue of answerability (AUC 0.77-0.78 on a real-corpora build). The
sibling's pronoun or noun for a person follows the question's gender words, which may be
another person's ("that woman" for a man), so the twin writes the person as "this person" /
"this person's", which fits anyone; a name that followed "the" in the seed keeps it ("I live in
the United States."). The phrase then refers to the only name of its kind the prompt gives, so
the question has the seed's answers. The builder check is unsure when the question still names
something else (the phrase might then be read as pointing there).
"""

from __future__ import annotations

import re
from random import Random
from typing import Any

from abstain_data.builders.gates import remaining_names
from abstain_data.builders.referent_removal import FRAMES, TRIP, aspect_of, frame_group
from abstain_data.builders.seed_fluency import reads_garbled
from abstain_data.builders.twins.base import TwinBuilder, TwinCandidate
from abstain_data.items import Item

# {x}: the entity as the seed wrote it ({X}: capitalized); a heading (ends with ":") is
# followed by the question with its first letter lower-cased, a sentence by the question as it
# is. The sentences are the sibling's own lead-in frames (half its variants open with one that
# names nothing), so that only the name tells the two apart; the heading has no words of its own
MINE = FRAMES["mine"]
OURS = FRAMES["ours"]
TOPIC = (*FRAMES["topic"], "{X}:")
PERSON = (*FRAMES["person"], "{X}:")
PLAIN = (*FRAMES["plain"], "{X}:")
ABBREVIATION = re.compile(r"[A-Z][A-Z.]{1,4}")  # US, USA, U.S., UK
NEUTRAL = {"he": "this person", "she": "this person", "him": "this person",
           "this guy": "this person", "that woman": "this person", "that man": "this person",
           "someone i know": "this person", "his": "this person's",
           "that guy's": "this person's"}


LEADS = {"person": PERSON, "ours": OURS, "mine": MINE, "topic": TOPIC, "plain": PLAIN}


def lead_ins(kind: str, phrase: str, question: str = "") -> tuple[str, ...]:
    """The lead-ins that resolve `phrase` (a vague phrase for an entity of `kind` in
    `question`)."""
    return LEADS[frame_group(kind, phrase, question)]


def person_phrase(question: str, phrase: str, possessive: bool) -> tuple[str, str] | None:
    """`question` with the person `phrase` written as "this person" ("this person's" when
    `possessive`), and the phrase now used; None when the phrase is not there exactly once."""
    found = list(re.finditer(rf"\b{re.escape(phrase)}\b", question, re.IGNORECASE))
    if len(found) != 1:
        return None
    neutral = "this person's" if possessive else NEUTRAL.get(phrase.lower(), phrase)
    at = found[0]
    written = neutral.capitalize() if at.start() == 0 else neutral
    return question[:at.start()] + written + question[at.end():], neutral


class ReferentResolved(TwinBuilder):
    name = "twin_referent_resolved"
    sibling = "referent_removal"

    def accepts(self, seed: Item) -> bool:
        return not seed.context and not reads_garbled(seed.prompt)

    def make_twins(self, seed: Item, sibling: Item, doc: Any,
                   rng: Random) -> list[TwinCandidate]:
        params = sibling.transform.params if sibling.transform else {}
        replaced, phrase, kind = params.get("replaced"), params.get("with"), params.get("kind")
        ents = [e for e in doc.ents if e.text == replaced]
        if not replaced or not phrase or not kind or not ents:
            return []
        ent = ents[0]
        name = re.sub(r"['’]s$", "", replaced)
        possessive = name != replaced or seed.prompt[ent.end_char:ent.end_char + 2] in ("'s", "’s")
        if (ent.start > 0 and doc[ent.start - 1].lower_ == "the"
                or ABBREVIATION.fullmatch(name)) and not name.startswith("the"):
            name = "the " + name  # "I live in the US.", not "I live in US."
        opener = params.get("lead_in") or ""  # the sibling's lead-in, naming nothing
        question = sibling.prompt.removeprefix(f"{opener} ") if opener else sibling.prompt
        if kind == "person":
            rewritten = person_phrase(question, phrase, possessive)
            if rewritten is None:
                return []
            question, phrase = rewritten
        group = frame_group(kind, phrase, question)
        lead = rng.choice(LEADS[group])
        if lead.endswith(":"):
            first = question.split(" ", 1)[0]
            if not (doc[0].pos_ == "PROPN" and doc[0].text == first) and first != "I":
                question = question[:1].lower() + question[1:]
        about = aspect_of(name, rng) if group == "topic" and lead not in (TRIP, "{X}:") else name
        heading = lead.format(x=about, X=name[:1].upper() + name[1:]).replace("..", ".")
        return [TwinCandidate(
            prompt=f"{heading} {question}",
            rationale=(f"{phrase!r} refers back to {name!r}, named first, so the question "
                       f"asks what the original does and has its answer."),
            confidence=0.9,
            checks=[remaining_names(doc, ent, "other_names")],
            edit={"named": name, "with": phrase, "lead_in": lead, "about": about},
            answers=list(seed.reference_answers),
        )]
