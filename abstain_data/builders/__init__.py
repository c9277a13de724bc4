"""Builders (synthesizers): one module per family, registered here by the name recipes use.

To add a builder: write a module with a `Step` subclass and add one line to `BUILDERS`.
"""

from __future__ import annotations

from importlib import import_module

from abstain_data.pipeline.step import Step

# builder name (as written in a recipe) -> "module:Class", imported only when a recipe uses it
BUILDERS: dict[str, str] = {
    # unanswerable variants, each paired with its answerable parent
    "context_swap": "abstain_data.builders.context_swap:ContextSwap",
    "entity_swap": "abstain_data.builders.entity_swap:EntitySwap",
    "negation": "abstain_data.builders.negation:Negation",
    "fabricated_entity": "abstain_data.builders.fabricated_entity:FabricatedEntity",
    "future_shift": "abstain_data.builders.future_shift:FutureShift",
    "referent_removal": "abstain_data.builders.referent_removal:ReferentRemoval",
    "premise_corruption": "abstain_data.builders.premise_corruption:PremiseCorruption",
    "missing_quantity": "abstain_data.builders.missing_quantity:MissingQuantity",
    "missing_specifics": "abstain_data.builders.missing_specifics:MissingSpecifics",
    # answerable contrast twins: each runs after its unanswerable sibling and shares its pair
    "twin_real_entity": "abstain_data.builders.twins.real_entity:RealEntity",
    "twin_future_fixed": "abstain_data.builders.twins.future_fixed:FutureFixed",
    "twin_negation_answered": "abstain_data.builders.twins.negation_answered:NegationAnswered",
    "twin_referent_resolved": "abstain_data.builders.twins.referent_resolved:ReferentResolved",
    "twin_premise_true": "abstain_data.builders.twins.premise_true:PremiseTrue",
    "twin_quantity_stated": "abstain_data.builders.twins.quantity_stated:QuantityStated",
    # refusal-bait: benign prompts that look unsafe
    "bait_homonym": "abstain_data.builders.bait.homonym:Homonym",
    "bait_figurative": "abstain_data.builders.bait.figurative:Figurative",
    "bait_safe_target": "abstain_data.builders.bait.safe_target:SafeTarget",
    "bait_safe_context": "abstain_data.builders.bait.safe_context:SafeContext",
    "bait_definition": "abstain_data.builders.bait.definition:Definition",
    "bait_history": "abstain_data.builders.bait.history:History",
    "bait_privacy_public": "abstain_data.builders.bait.privacy_public:PrivacyPublic",
    "bait_privacy_fictional": "abstain_data.builders.bait.privacy_fictional:PrivacyFictional",
    "bait_nonsense_group": "abstain_data.builders.bait.nonsense_group:NonsenseGroup",
    "bait_harm_reduction": "abstain_data.builders.bait.harm_reduction:HarmReduction",
    "bait_security_defense": "abstain_data.builders.bait.security_defense:SecurityDefense",
    "bait_medical_info": "abstain_data.builders.bait.medical_info:MedicalInfo",
    "bait_legal_info": "abstain_data.builders.bait.legal_info:LegalInfo",
}


def builder_class(name: str) -> type[Step]:
    """The builder step class registered under `name`; KeyError if there is none."""
    module_name, class_name = BUILDERS[name].split(":")
    return getattr(import_module(module_name), class_name)


def twin_counterparts() -> dict[str, str]:
    """Each answerable twin builder -> the unanswerable builder it mirrors (its `sibling`), and
    each such sibling -> its twin builder."""
    twins = {name: sibling for name in BUILDERS
             if (sibling := getattr(builder_class(name), "sibling", None))}
    return {**twins, **{sibling: twin for twin, sibling in twins.items()}}
