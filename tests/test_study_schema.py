"""The study file as one declared model: its JSON Schema, its messages, and agreement with the section checks."""

from __future__ import annotations

import json

import pytest

from helpers import paths
from helpers.study.load import list_studies
from helpers.study.model import (Analysis, Claim, Columns, Export, Panel, PilotColumns, SCHEMA_FILE, Source, StudyFile,
                                  schema_problems, schema_text)


def _fields(model) -> set[str]:
    return {f.alias or name for name, f in model.model_fields.items()}


def test_the_committed_schema_is_the_generated_one():
    committed = (paths.STUDIES / SCHEMA_FILE).read_text(encoding="utf-8")
    assert committed == schema_text(), "run: python -m helpers.study.model"
    schema = json.loads(committed)
    assert schema["additionalProperties"] is False and set(schema["properties"]) == _fields(StudyFile)


@pytest.mark.parametrize("name", list_studies())
def test_every_bundled_study_names_the_schema_and_satisfies_it(name):
    path = paths.STUDIES / f"{name}.yaml"
    assert path.read_text(encoding="utf-8").splitlines()[0] == f"# yaml-language-server: $schema={SCHEMA_FILE}"
    assert schema_problems(paths.read_yaml(path), name) == []


def test_every_section_check_refuses_an_unknown_key_with_the_models_fields():
    # each section check, called alone, says the unknown key, the file and the model's list of fields
    from helpers.cleaning.panel_config import check_panel_config
    from helpers.export import check_export
    from helpers.export.sources import check_sources
    from helpers.inference.analyses import validate_analyses
    from helpers.inference.designs import check_design

    def listed(model):
        return "unknown field; known fields: " + ", ".join(sorted(_fields(model)))

    cases = [
        (check_panel_config({"level": "member", "years": [2014, 2015], "files": ["x.csv"], "extra": 1,
                             "columns": {"unit_id": "A", "year": "N", "rating": "R", "colour": "C"}}, "s.yaml"),
         {"panel.extra": listed(Panel), "panel.columns.colour": listed(Columns)}),
        (validate_analyses([{"id": "a", "question": "a", "design": "power", "n": 3, "oops": 1}], "s.yaml"),
         {"analyses[1].oops": listed(Analysis)}),
        (check_design({"claims": [{"id": "c", "extra": 1}]}, "s.yaml"), {"claims[1].extra": listed(Claim)}),
        (check_export({"colour": "red"}, "s.yaml"), {"export.colour": listed(Export)}),
        (check_sources([{"title": "T", "doi": "1"}], "s.yaml"), {"sources[1].doi": listed(Source)}),
    ]
    for problems, expected in cases:
        rules = {p.column: p.rule for p in problems if p.file == "s.yaml"}
        for field, rule in expected.items():
            assert rules.get(field) == rule, (field, rules)


def test_the_models_allowed_values_agree_with_the_scales_and_the_readers():
    from typing import get_args

    from helpers.cleaning.pilots import PILOT_FIELDS
    from helpers.inference.analyses import DESIGNS
    from helpers.scales import COMMON_ORDER, UNITS, contrasts

    def allowed(model, name):
        return {a for arg in get_args(model.model_fields[name].annotation) for a in (get_args(arg) or [arg])} - {None,
                                                                                                         type(None)}

    assert allowed(Analysis, "cut") == set(COMMON_ORDER[1:])
    assert allowed(Analysis, "contrast") == set(contrasts())
    assert allowed(Analysis, "design") == {d for designs in DESIGNS.values() for d in designs}
    assert allowed(Analysis, "question") == set(DESIGNS)
    assert set(get_args(Panel.model_fields["level"].annotation)) == set(UNITS)
    assert _fields(PilotColumns) == set(PILOT_FIELDS)        # the columns the pilot reader reads


def test_violations_name_the_file_and_the_field():
    raw = {"title": {"vi": "x", "en": "y"}, "colour": "red",
           "panel": {"level": "org", "years": [2014], "files": ["a.csv"],
                     "columns": {"unit_id": "A", "rating": 3, "parnt": "x"},
                     "pilots": {"file": "p.csv", "columns": {"unit_id": "A"},
                                "selection": {True: "ratin", "years": [2015]}}},
           "analyses": [{"id": "a-1", "question": "a", "design": "paired", "contrast": "good"}]}
    found = {(p.file, p.column): p for p in schema_problems(raw, "studies/x.yaml")}
    assert set(found) == {("studies/x.yaml", f) for f in (
        "colour", "panel.level", "panel.years", "panel.columns.rating", "panel.columns.parnt",
        "panel.pilots.selection", "panel.pilots.selection.on", "analyses[1].contrast")}
    assert found[("studies/x.yaml", "colour")].rule.startswith("unknown field; known fields: analyses, claims")
    assert "'organisation' or 'member'" in found[("studies/x.yaml", "panel.level")].rule
    assert found[("studies/x.yaml", "panel.pilots.selection.on")].value == "ratin"   # YAML 1.1's on: read back
    assert str(found[("studies/x.yaml", "analyses[1].contrast")]).startswith(
        "studies/x.yaml, field 'analyses[1].contrast': value 'good' — must be 'good_or_better'")


def test_check_adds_what_only_the_model_says(tmp_path, monkeypatch):
    from helpers.study.check import check_study_files

    monkeypatch.setattr(paths, "STUDIES", tmp_path)
    monkeypatch.setattr(paths, "ROOT", tmp_path)
    (tmp_path / "s.yaml").write_text(
        'title: {vi: "x", en: "y"}\nnotebooks: [02-check-published]\nexport: {transition_years: [2015, 2016, 2017]}\n'
        "claims: [{id: c, to: 99999}]\n", encoding="utf-8")
    problems, _ = check_study_files(["s"]).results["s"]
    fields = [p.column for p in problems]
    # each field once, whichever check said it first
    assert len(fields) == len(set(fields)) and "export.transition_years" in fields and "claims[1].to" in fields
