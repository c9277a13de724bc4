"""Content words: what a question asks once its wording is set aside.

`content_words(prompt)` consumes a prompt and produces its content words in order: contractions
expanded ("what's" -> "what is", "isn't" -> "is not"), case and punctuation folded, question
phrases read as their question word ("in what year" -> "when"), common paraphrases read as
one wording ("took place" -> "happened", "what is the height of" -> "how tall is"),
function words and polite framing dropped ("could you tell me", "please"), irregular verb forms
read as their base ("wrote", "written" -> "write") and each word cut to a crude stem ("flows",
"flowed" -> "flow"). Two prompts that differ only in case, punctuation, contractions, framing,
word order, inflection or such a paraphrase have the same content words; "Who founded X?" and
"Who sold X?" do not. Question words and "not" are content.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import DamerauLevenshtein

from abstain_data.items import normalize_key

_CONTRACTIONS = [
    (re.compile(r"\bwon['’]t\b"), "will not"),
    (re.compile(r"\bcan['’]t\b"), "can not"),
    (re.compile(r"n['’]t\b"), " not"),
    (re.compile(r"['’]re\b"), " are"),
    (re.compile(r"['’]ve\b"), " have"),
    (re.compile(r"['’]ll\b"), " will"),
    (re.compile(r"['’]d\b"), " would"),
    (re.compile(r"['’]m\b"), " am"),
    (re.compile(r"['’]s\b"), ""),  # "is", "has" or a possessive: a function word either way
]
# words that do not change what is asked: function words, auxiliaries and polite framing;
# question words are content ("when was X born" is not "where was X born")
FUNCTION_WORDS = frozenset((
    "a", "about", "am", "an", "and", "are", "as", "at", "be", "been", "being", "by", "can",
    "could", "curious", "d", "describe", "did", "do", "does", "exactly", "explain", "for", "from",
    "give", "had", "has", "have", "hey", "hi", "i", "if", "in", "is", "it", "its", "just",
    "kindly", "know", "let", "like", "ll", "m", "me", "my", "of", "on", "or", "our", "please",
    "re", "really", "s", "actually", "very",
    "should", "show", "so", "t", "tell", "that", "the", "then", "there",
    "this", "to", "us", "ve", "want", "was", "we", "were", "will", "with", "wonder", "wondering",
    "would", "you", "your",
))
# question words: a misspelt or interchanged one at a sentence start is no name
QUESTION_WORDS = frozenset(("what", "which", "who", "whom", "whose", "when", "where", "why",
                            "how"))
# words asked interchangeably: a content word of one prompt may stand for its partner
INTERCHANGEABLE = frozenset({frozenset({"what", "which"})})
_INTERCHANGEABLE_WORDS = frozenset(word for pair in INTERCHANGEABLE for word in pair)
# question phrases read as their question word ("in what year" -> "when")
_QUESTION_PHRASES = [
    (re.compile(r"\b(?:in |at )?(?:what|which) (?:year|date|time)\b"), "when"),
    (re.compile(r"\b(?:for what reason|how come)\b"), "why"),
    (re.compile(r"\b(?:in |at )?(?:what|which) (?:place|location)\b"), "where"),
    (re.compile(r"\b(?:what|which) (?:person|people)\b"), "who"),
]
# words that may open a question phrase: the phrases are only tried on texts that have one
_QUESTION_PHRASE_WORDS = frozenset(("year", "date", "time", "reason", "come", "place", "location",
                                    "person", "people"))
# paraphrases of one question, written as the wording they are read as (normalized text, whole
# words); a swap of meaning ("came before" / "came after") keeps two different readings
PARAPHRASES = {
    "take place": "happen", "takes place": "happen", "took place": "happened",
    "taking place": "happening", "come after": "succeed", "comes after": "succeeds",
    "came after": "succeeded", "come before": "precede", "comes before": "precedes",
    "came before": "preceded", "pass away": "die", "passed away": "died",
    "what is the height of": "how tall is", "what was the height of": "how tall was",
    "what is the age of": "how old is", "what was the age of": "how old was",
    "what is the length of": "how long is", "what is the population of": "how many people live in",
    "what is the distance": "how far is it", "who is the author of": "who wrote",
    "who was the author of": "who wrote", "who is the founder of": "who founded",
    "who was the founder of": "who founded",
    "which city is the capital of": "what is the capital of",
    "what city is the capital of": "what is the capital of",
    "do people speak": "is spoken", "did people speak": "was spoken",
    "do they speak": "is spoken", "did they speak": "was spoken",
}
_PARAPHRASE = re.compile(r"\b(?:" + "|".join(
    re.escape(phrase) for phrase in sorted(PARAPHRASES, key=len, reverse=True)) + r")\b")
# the longest content word of each paraphrase: the paraphrases are only tried on texts that
# have one
_PARAPHRASE_WORDS = frozenset(
    max((word for word in phrase.split() if word not in FUNCTION_WORDS | QUESTION_WORDS),
        key=len) for phrase in PARAPHRASES)
# irregular verb forms -> base form (regular ones meet through `stem`); only forms that are not
# also common nouns or function words
IRREGULAR = {
    "spoke": "speak", "spoken": "speak", "wrote": "write", "written": "write", "taught": "teach",
    "won": "win", "began": "begin", "begun": "begin", "built": "build", "sang": "sing",
    "sung": "sing", "ran": "run", "chose": "choose", "chosen": "choose", "drew": "draw",
    "drawn": "draw", "flew": "fly", "flown": "fly", "grew": "grow", "grown": "grow",
    "bought": "buy", "sold": "sell", "thought": "think", "fought": "fight", "caught": "catch",
    "brought": "bring", "held": "hold", "led": "lead", "left": "leave", "lost": "lose",
    "met": "meet", "paid": "pay", "sent": "send", "spent": "spend", "stood": "stand",
    "struck": "strike", "took": "take", "taken": "take", "threw": "throw", "thrown": "throw",
    "wore": "wear", "worn": "wear", "ate": "eat", "eaten": "eat", "forgot": "forget",
    "forgotten": "forget", "hid": "hide", "hidden": "hide", "rode": "ride", "ridden": "ride",
    "rose": "rise", "risen": "rise", "shook": "shake", "shaken": "shake", "stole": "steal",
    "stolen": "steal", "swam": "swim", "swum": "swim", "woke": "wake", "woken": "wake",
}
# spelled-out numbers and ordinals: a one-letter change in them is a different number
NUMBER_WORDS = frozenset((
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    "hundred", "thousand", "million", "billion", "first", "second", "third", "fourth", "fifth",
    "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth", "twentieth",
    "hundredth", "thousandth", "millionth",
))
_SUFFIXES = ("ings", "ing", "ed", "es", "s")
LONG_WORD = 6  # a misspelt function word this long is never a word of its own
TYPO_RATIO = 80  # fuzz.ratio at or above which two words count as one word misspelt


def expand_contractions(text: str) -> str:
    """`text` casefolded with English contractions written out ("isn't" -> "is not")."""
    folded = text.casefold()
    if "'" not in folded and "’" not in folded:
        return folded
    for pattern, replacement in _CONTRACTIONS:
        folded = pattern.sub(replacement, folded)
    return folded


@lru_cache(maxsize=1 << 18)
def stem(word: str) -> str:
    """A crude stem: an irregular verb form's base (`IRREGULAR`), then one inflectional suffix
    and a final "e" cut while 3 letters remain ("founded", "founds" -> "found"; "lived",
    "lives" -> "liv"); numbers stay whole."""
    if word.isdigit():
        return word
    word = IRREGULAR.get(word, word)
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def read_words(prompt: str, normalized: str | None = None,
               ) -> tuple[tuple[str, ...], frozenset[str]]:
    """The content words of `prompt` (stems, in order; see the module docstring) and the
    function words it uses. `normalized`, the prompt's `normalize_key` if already known, saves
    normalizing again when the prompt has no contraction to expand."""
    if normalized is None or "'" in prompt or "’" in prompt:
        normalized = normalize_key(expand_contractions(prompt))
    words = normalized.split()
    if not _QUESTION_PHRASE_WORDS.isdisjoint(words) and (
            "what" in words or "which" in words or "how" in words):
        for pattern, question_word in _QUESTION_PHRASES:
            normalized = pattern.sub(question_word, normalized)
        words = normalized.split()
    if not _PARAPHRASE_WORDS.isdisjoint(words):
        words = _PARAPHRASE.sub(_paraphrase, normalized).split()
    content = tuple(map(stem, [word for word in words if word not in FUNCTION_WORDS]))
    return content, FUNCTION_WORDS.intersection(words)


def _paraphrase(match: re.Match[str]) -> str:
    return PARAPHRASES[match.group(0)]


def content_words(prompt: str) -> tuple[str, ...]:
    """The content words of `prompt` (stems, in order; see the module docstring)."""
    return read_words(prompt)[0]


def is_typo(word: str, other: str) -> bool:
    """True when two different words read as one word misspelt (fuzz.ratio >= TYPO_RATIO or
    one transposition) or are INTERCHANGEABLE ("what", "which"). Numbers are never typos of
    each other ("1900" is not "1090", "sixth" is not "sixty"); a misspelt number word is
    ("secnod" is "second")."""
    if word in _INTERCHANGEABLE_WORDS and frozenset((word, other)) in INTERCHANGEABLE:
        return True
    if word.isdigit() or other.isdigit() or (word in NUMBER_WORDS and other in NUMBER_WORDS):
        return False
    if fuzz.ratio(word, other) >= TYPO_RATIO:
        return True
    if word.endswith("e") != other.endswith("e"):  # a stem lost the final "e" ("levae" -> "leva")
        with_e = (word + "e", other) if other.endswith("e") else (word, other + "e")
        if fuzz.ratio(*with_e) >= TYPO_RATIO:
            return True
    return sorted(word) == sorted(other) and DamerauLevenshtein.distance(word, other) == 1


@lru_cache(maxsize=1 << 16)
def is_function_word_typo(word: str) -> bool:
    """True when `word` (not itself a function word) is a typo of a function word ("abbout")."""
    return word not in FUNCTION_WORDS and any(is_typo(word, function) for function in
                                              FUNCTION_WORDS)


def differ_by_typos(words_a: frozenset[str], words_b: frozenset[str],
                    function_a: frozenset[str] = frozenset(),
                    function_b: frozenset[str] = frozenset()) -> bool:
    """True when every content word of one set that the other lacks is a typo of a content
    word the other has and the first lacks, or of a function word the other uses and the first
    does not (`function_a`, `function_b`: the function words each uses), or is a long
    misspelt function word ("exacttly"; short ones may be words: "bus", "form"). Equal sets
    pass."""
    only_a, only_b = words_a - words_b, words_b - words_a
    return all(
        any(is_typo(word, other) for other in others)
        or any(is_typo(word, other) for other in functions)
        or (len(word) >= LONG_WORD and is_function_word_typo(word))
        for mine, others, functions in ((only_a, only_b, function_b - function_a),
                                        (only_b, only_a, function_a - function_b))
        for word in mine
    )
