"""What a question's wording alone says about whether it can be answered as it stands.

Consumes a question's text; produces yes/no signals shared by the source adapters (SelfAware
codes its unanswerable rows with them) and by the twin builders (a twin inherits its seed's
answerability, so a seed whose wording casts doubt on it makes a doubtful twin):
- `has_dangling_pronoun`: the question opens with a pronoun that has no antecedent ("When did
  it become the capital of Russia?", "How many children did she have?"; the expletive "it" of
  "what is it called" is not one);
- `SUBJECTIVE`: an opinion, preference or evaluative superlative ("best", "should I", "the most
  successful");
- `FUTURE`: it asks about the future ("when will", "in the future", "by 2050");
- `WORD_PROBLEM`: numbers followed by "how many/much/long".
"""

from __future__ import annotations

import re

_PRONOUN = r"(he|she|it|they|this|that|these|those|him|her|them|his|their)"
_AUX = r"(is|was|are|were|did|does|do|has|have|had|can|could|will|would)"
_PERSON = r"(he|she|they|this|these|those|his|her|their)"
# matched against the question with its first letter lower-cased (not case-insensitive): the
# words between the wh-word and the auxiliary must be lower-case, i.e. not a name
DANGLING = re.compile(
    rf"^({_PRONOUN}|(in )?(who|what|when|where|why|how|which|whom|whose)\s+{_AUX}\s+{_PRONOUN}"
    rf"|(who|what|when|where|why|how|which|whom|whose)(\s+[a-z]\w*){{1,2}}\s+{_AUX}\s+{_PERSON})\b"
)
EXPLETIVE_IT = re.compile(
    r"^(it (is|was)\b|(what|how|who|why|where|when) (is|was) it "
    r"(that|called|impossible|possible|postulated)\b)",
    re.IGNORECASE,
)
SUBJECTIVE = re.compile(
    r"\b(would you rather|best|better|worst|favou?rite|should (i|we|you|one)|opinion|"
    r"do you (think|believe|prefer|like)|is it (right|wrong|ok|okay|ethical|moral|worth)|"
    r"meaning of life|"
    r"most (beautiful|important|interesting|successful|popular|famous|influential))\b",
    re.IGNORECASE,
)
FUTURE = re.compile(
    r"(^will\b|\b(what|how|when|where|who) will\b|\bin the future\b|\byears from now\b|"
    r"\bnext (year|decade|century)\b|\bin (my|our) lifetime\b|\bby (the year )?2\d{3}\b)",
    re.IGNORECASE,
)
WORD_PROBLEM = re.compile(r"\d.*\bhow (many|much|long)\b", re.IGNORECASE | re.DOTALL)


def has_dangling_pronoun(question: str) -> bool:
    """True when the question opens with a pronoun that has no antecedent."""
    lowered = question[:1].lower() + question[1:]
    return bool(DANGLING.search(lowered)) and not EXPLETIVE_IT.search(question)
