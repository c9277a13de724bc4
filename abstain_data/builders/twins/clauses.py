"""Simple declarative sentences of a passage, split into the parts a question is built from.

`clauses(doc, nlp)` consumes a parsed passage and produces one `Clause` per sentence that opens
with its subject (no pronoun in it), directly followed by the verb group (an optional
auxiliary, then the main verb, or a form of "be" as the main verb), and that has no negation:
"Gaius Julius Caesar was born in 100 BC." -> subject "Gaius Julius Caesar", aux "was", verb
"born", rest "in 100 BC". The rest stops at the first comma or semicolon, or at a conjunction
joining a second predicate ("... used 18,000 tubes and weighed 27 tonnes"). Other sentences
are skipped: the twins built from a clause must say exactly what the passage says.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from abstain_data.nlp import lemma as lemma_of

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
AUX_DEPS = frozenset({"aux", "auxpass"})
STOP = frozenset({",", ";", ":", "(", "—", "–"})
MAX_WORDS = 24


@dataclass(frozen=True)
class Clause:
    """One sentence as subject + verb group + rest; `tokens` are the rest's spaCy tokens."""

    sentence: str
    subject: Any  # the subject's spaCy Span
    aux: str | None  # the auxiliary before the main verb ("was"), None when there is none
    verb: str  # the main verb as written ("born", "crossed"); "" when "be" is the main verb
    lemma: str  # the main verb's lemma ("cross"); "" when "be" is the main verb
    tag: str  # the Penn tag of the finite verb (VBD, VBZ, VBP)
    rest: tuple[Any, ...]  # the tokens after the verb group, up to a comma or the end

    @property
    def subject_text(self) -> str:
        """The subject, lower-cased at its first letter when it opens with a determiner ("the
        Senate"); names and other words keep their capital ("Banting", "Insulin")."""
        text = self.subject.text
        return text[:1].lower() + text[1:] if self.subject[0].pos_ == "DET" else text

    @property
    def rest_text(self) -> str:
        return "".join(t.text_with_ws for t in self.rest).strip()


def clauses(doc: Any, nlp: Any) -> list[Clause]:
    """The sentences of `doc` that split cleanly into a `Clause` (see the module docstring)."""
    out = []
    for sent in doc.sents:
        clause = _clause(sent, nlp)
        if clause is not None:
            out.append(clause)
    return out


def _clause(sent: Any, nlp: Any) -> Clause | None:
    root = sent.root
    if len(sent) > MAX_WORDS + 1 or any(t.dep_ == "neg" for t in sent):
        return None
    subj = next((c for c in root.children if c.dep_ in SUBJECT_DEPS), None)
    if subj is None:
        return None
    subject = sent.doc[subj.left_edge.i: subj.right_edge.i + 1]
    if subject.start != sent.start or any(t.pos_ == "PRON" for t in subject):
        return None
    nxt = subject.end
    if lemma_of(root, nlp) == "be" and root.pos_ == "AUX" and root.i == nxt:
        aux, verb, lemma, tag, after = root.text, "", "", root.tag_, root.i + 1
    elif root.pos_ == "VERB":
        auxes = [c for c in root.children if c.dep_ in AUX_DEPS and c.i < root.i]
        if auxes and auxes[0].i == nxt and root.i == nxt + len(auxes):
            aux, tag = auxes[0].text, auxes[0].tag_
            verb = " ".join(t.text for t in sent.doc[auxes[0].i + 1: root.i + 1])
        elif not auxes and root.i == nxt and root.tag_ in ("VBD", "VBZ", "VBP"):
            aux, tag, verb = None, root.tag_, root.text
        else:
            return None
        lemma, after = lemma_of(root, nlp), root.i + 1
    else:
        return None
    rest = []
    for tok in sent.doc[after: sent.end]:
        if tok.text in STOP or tok.is_sent_end and tok.is_punct or (
                tok.dep_ == "cc" and tok.head == root):
            break
        rest.append(tok)
    if not rest or not lemma and not aux:
        return None
    return Clause(sent.text.strip(), subject, aux, verb, lemma, tag, tuple(rest))
