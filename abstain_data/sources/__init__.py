"""Source adapters: one module per corpus, plus the generic `file` and `hub` adapters.

To add a source: write a module with a `SourceAdapter` subclass and add one line to `ADAPTERS`.
"""

from __future__ import annotations

from importlib import import_module

from abstain_data.sources.base import SourceAdapter

# adapter name (as written in a recipe) -> "module:Class", imported only when a recipe uses it
ADAPTERS: dict[str, str] = {
    "file": "abstain_data.sources.file:FileSource",
    "hub": "abstain_data.sources.hub:HubSource",
    "squad_v2": "abstain_data.sources.squad_v2:SquadV2Source",
    "selfaware": "abstain_data.sources.selfaware:SelfAwareSource",
    "falseqa": "abstain_data.sources.falseqa:FalseQASource",
    "coconot": "abstain_data.sources.coconot:CoCoNotSource",
    "xstest": "abstain_data.sources.xstest:XSTestSource",
    "umwp": "abstain_data.sources.umwp:UMWPSource",
    "kuq": "abstain_data.sources.kuq:KUQSource",
    "trustllm": "abstain_data.sources.trustllm:TrustLLMSource",
    "unanswgen": "abstain_data.sources.unanswgen:UnAnswGenSource",
}


def adapter_class(name: str) -> type[SourceAdapter]:
    """The adapter class registered under `name`; KeyError if there is none."""
    module_name, class_name = ADAPTERS[name].split(":")
    return getattr(import_module(module_name), class_name)
