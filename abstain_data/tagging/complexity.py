"""Complexity rules: `templated` (short factoid) or `open_ended` (reasoning, expertise, long).

The rules are features of the complexity classifier (`features.py`, `classify.py`);
`rule_complexity`, the rules alone, is kept as the baseline it is measured against.

Rule: a prompt is `open_ended` when any of these holds, else `templated`:
1. it asks for an explanation or argument: explain, describe, compare, discuss, prove, analyse,
   evaluate, justify, outline, summarise, or the question word "why";
2. it asks how something works or happens: "how" followed by do/does/did/can/could/should/
   would/is/are/was/were/might/will/to ("how many/much/long/old/far/often" stay factoid);
3. it asks for advice or a judgement: "should I", "can I", "can my", "is it safe/legal/normal",
   "is that", "what should", "what can I do", "what are my options", "do I need/have to",
   "good/best way", "recommend", "advise", "worried", "allowed";
4. it opens by stating the asker's own situation ("I am 45 ...", "My son ...", "We ...") or a
   jurisdiction ("In California, ..."): the answer depends on those specifics and on expertise;
5. it asks for a list or contrast that needs a long answer: "what is the difference between",
   "what are/were the (main/common) causes/symptoms/effects/advantages/risks/reasons";
6. it is a multi-step word problem (three or more numbers over two or more sentences) or long
   (more than `LONG_PROMPT_TOKENS` word tokens);
7. its reference answers exist and even the shortest has more than `LONG_ANSWER_WORDS` words.
Unanswerable variants have no reference answers; rule 7 then simply does not apply.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.tokens import Doc

from abstain_data.items import Complexity

LONG_PROMPT_TOKENS = 40
LONG_ANSWER_WORDS = 12
MULTI_STEP_NUMBERS = 3

_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("explain", re.compile(
        r"\b(explain|describe|compare|contrast|discuss|prove|analy[sz]e|evaluate|justify|"
        r"outline|summari[sz]e|why)\b", re.IGNORECASE)),
    ("how_process", re.compile(
        r"\bhow (do|does|did|can|could|should|would|is|are|was|were|might|will|to)\b",
        re.IGNORECASE)),
    ("advice", re.compile(
        r"\b(should (i|we|my)|can (i|my|we)|is it (safe|legal|normal|okay|ok|wise)|is that|"
        r"what should|what can i do|what are my options|what legal options|do i (need|have) to|"
        r"(good|best|better) way|recommend|advise|worried|allowed)\b", re.IGNORECASE)),
    ("own_situation", re.compile(r"(?i:^(i|i'm|i've|my|we|our)\b)|^In [A-Z][a-z][\w.' -]*,")),
    ("long_list", re.compile(
        r"\bwhat is the difference between\b|\bwhat (are|were) the (main |common |key |major )?"
        r"(causes|symptoms|effects|advantages|disadvantages|risks|reasons|benefits|pros)\b",
        re.IGNORECASE)),
)


def open_ended_reasons(text: str, doc: Doc, reference_answers: Sequence[str]) -> list[str]:
    """The names of the rules (see the module docstring) that make `text` open-ended."""
    reasons = [name for name, pattern in _RULES if pattern.search(text)]
    words = [token for token in doc if not token.is_punct and not token.is_space]
    numbers = sum(1 for token in doc if token.like_num)
    if numbers >= MULTI_STEP_NUMBERS and sum(1 for _ in doc.sents) >= 2:
        reasons.append("multi_step")
    if len(words) > LONG_PROMPT_TOKENS:
        reasons.append("long_prompt")
    answers = [a for a in reference_answers if a.strip()]
    if answers and min(len(a.split()) for a in answers) > LONG_ANSWER_WORDS:
        reasons.append("long_answer")
    return reasons


def rule_complexity(text: str, doc: Doc, reference_answers: Sequence[str] = ()) -> Complexity:
    """The rule baseline: `open_ended` if any rule of the module docstring holds."""
    if open_ended_reasons(text, doc, reference_answers):
        return Complexity.OPEN_ENDED
    return Complexity.TEMPLATED
