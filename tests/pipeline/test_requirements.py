"""Requires/provides: a recipe whose order or switched-off tagger starves a step is refused
before any step runs, in one line naming the recipe key."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from abstain_data.cli import app
from abstain_data.pipeline.requirements import PlannedStep, RequirementError, check_requirements
from abstain_data.pipeline.step import Batch, BuildContext, Step
from abstain_data.tagging.step import TagStep

CTX = BuildContext()


class Passing(Step):
    name = "passing"

    def run(self, batches: Iterable[Batch]) -> Iterator[Batch]:
        yield from batches


class NeedsTopic(Passing):
    name = "needs_topic"
    requires = frozenset({"topic"})


class GivesTopic(Passing):
    name = "gives_topic"
    provides = frozenset({"topic"})


def test_a_requirement_met_by_an_earlier_step_passes():
    check_requirements([PlannedStep("a", GivesTopic(CTX)), PlannedStep("b", NeedsTopic(CTX))])


def test_a_requirement_met_only_later_names_the_requiring_key():
    with pytest.raises(RequirementError) as err:
        check_requirements([PlannedStep("builders.b", NeedsTopic(CTX)),
                            PlannedStep("builders.a", GivesTopic(CTX))])
    assert err.value.key == "builders.b"
    assert "'topic'" in str(err.value) and "gives_topic (builders.a)" in str(err.value)


def test_a_requirement_of_a_switched_off_step_names_the_switch():
    with pytest.raises(RequirementError) as err:
        check_requirements([PlannedStep("builders.b", NeedsTopic(CTX))],
                           disabled={"x.enabled": GivesTopic})
    assert err.value.key == "x.enabled" and "needs_topic (builders.b)" in str(err.value)


def test_fields_every_source_states_need_no_step():
    check_requirements([PlannedStep("builders.b", NeedsTopic(CTX))], given={"topic"})
    with pytest.raises(RequirementError, match="^builders.b: .*no step before it"):
        check_requirements([PlannedStep("builders.b", NeedsTopic(CTX))])


def test_the_tagger_provides_what_builders_require():
    from abstain_data.builders.missing_specifics import MissingSpecifics

    assert MissingSpecifics.requires <= TagStep.provides == {"domain", "complexity"}


RECIPE = """
[[sources]]
name = "qa"
adapter = "file"
path = "qa.jsonl"
license = "cc0-1.0"
[sources.fields]
prompt = "q"
{fields}
[tagging]
enabled = false
[[builders]]
name = "context_swap"
[[builders]]
name = "missing_specifics"
"""


def build(tmp_path: Path, fields: str = "") -> tuple[int, str]:
    (tmp_path / "qa.jsonl").write_text('{"q": "What should I eat?", "d": "medical", '
                                       '"c": "open_ended"}\n', encoding="utf-8")
    recipe = tmp_path / "recipe.toml"
    recipe.write_text(RECIPE.format(fields=fields), encoding="utf-8")
    result = CliRunner().invoke(app, ["build", str(recipe), "--out", str(tmp_path / "out")])
    return result.exit_code, result.stderr


def test_switching_the_tagger_off_under_missing_specifics_is_refused_naming_the_key(tmp_path):
    code, stderr = build(tmp_path)
    lines = stderr.strip().splitlines()
    assert code == 1 and len(lines) == 1
    assert lines[0].startswith(f"error: {tmp_path / 'recipe.toml'}: tagging.enabled: ")
    assert "missing_specifics" in lines[0] and not (tmp_path / "out").exists()


def test_sources_that_state_domain_and_complexity_need_no_tagger(tmp_path):
    code, stderr = build(tmp_path, 'domain = "d"\ncomplexity = "c"')
    assert code == 0, stderr


def test_a_source_wide_domain_counts_as_stated(tmp_path):
    code, stderr = build(tmp_path, 'complexity = "c"')
    assert code == 1 and "tagging.enabled" in stderr
    recipe = tmp_path / "recipe.toml"
    recipe.write_text(RECIPE.format(fields='complexity = "c"').replace(
        'license = "cc0-1.0"\n', 'license = "cc0-1.0"\ndomain = "medical"\n'), encoding="utf-8")
    result = CliRunner().invoke(app, ["build", str(recipe), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
