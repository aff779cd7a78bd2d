"""The study file as one declared model: its JSON Schema, its messages, and agreement with the section checks."""

from __future__ import annotations

import json

import pytest

from helpers import paths
from helpers.study.load import KNOWN_FIELDS, list_studies
from helpers.study.model import (Analysis, Claim, Columns, Export, Panel, PilotColumns, Pilots, SCHEMA_FILE, Source,
                                  StudyFile, schema_problems, schema_text)


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


def test_the_model_knows_exactly_the_fields_the_section_checks_know():
    from helpers.cleaning.panel import PANEL_FIELDS, PANEL_KEYS
    from helpers.cleaning.pilots import PILOT_FIELDS
    from helpers.export.sources import SOURCE_FIELDS
    from helpers.export.study_export import EXPORT_OPTIONS
    from helpers.inference.analyses import KNOWN_KEYS
    from helpers.inference.designs import CLAIM_KEYS

    assert _fields(StudyFile) == KNOWN_FIELDS
    assert _fields(Panel) == PANEL_KEYS
    assert _fields(Columns) == set(PANEL_FIELDS)
    assert _fields(PilotColumns) == set(PILOT_FIELDS)
    assert _fields(Pilots) == {"file", "columns", "column", "programme", "start", "end", "sheets", "selection"}
    assert _fields(Analysis) == KNOWN_KEYS
    assert _fields(Claim) == CLAIM_KEYS
    assert _fields(Export) == set(EXPORT_OPTIONS)
    assert _fields(Source) == set(SOURCE_FIELDS)


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
    assert found[("studies/x.yaml", "colour")].rule == "unknown field"
    assert "'organisation' or 'member'" in found[("studies/x.yaml", "panel.level")].rule
    assert found[("studies/x.yaml", "panel.pilots.selection.on")].value == "ratin"   # YAML 1.1's on: read back
    assert str(found[("studies/x.yaml", "analyses[1].contrast")]).startswith(
        "studies/x.yaml, field 'analyses[1].contrast': value 'good' — Input should be 'good_or_better'")


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
