"""The study file as one declared model (pydantic v2), and its JSON Schema for editors.

:class:`StudyFile` declares every field a study file may hold, with its type and allowed values:
the top-level fields, the ``panel`` section (columns, labels, unit ids, pilots and how they were
chosen), ``analyses``, ``claims``, ``export`` and ``sources``. Unknown fields are refused.

* ``studies/study.schema.json`` is :func:`json_schema` written out (``python -m helpers.study.model``
  rewrites it; ``tests/test_study_schema.py`` checks the committed file equals it). Each study file
  names it in its first line, ``# yaml-language-server: $schema=study.schema.json``, so an editor
  with YAML support (VS Code's YAML extension) completes and checks the fields as they are typed.
* :func:`problems_of` validates a value against a model (or e.g. ``list[Analysis]``) and gives every
  violation as a :class:`helpers.errors.Problem` naming the file and the field (``analyses[2].cut``),
  in the study file's words (an unknown field lists the known ones). :func:`schema_problems` does it
  for a whole study file; :func:`helpers.study.load_study` calls it.

This model is the one place that declares the fields, their types and allowed values. The section
checks (:func:`helpers.cleaning.panel_config.check_panel_config`,
:func:`helpers.inference.analyses.validate_analyses`, :func:`helpers.inference.designs.check_design`,
:func:`helpers.export.check_export`,
:func:`helpers.export.sources.check_sources`) validate their section through it and add only the rules
that need the data or several fields (files exist, years inside the panel, published tables exist,
the options each design uses).
"""

from __future__ import annotations

import json
import re
import sys
from typing import Annotated, Literal, Union, get_args

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from helpers import paths
from helpers.errors import Problem

SCHEMA_FILE = "study.schema.json"
Year = Annotated[int, Field(ge=1900, le=2100, description="a year, e.g. 2016")]
HeaderText = Union[str, list[str]]
Code = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="lower-case letters, digits and '-'")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, strict=True)


class Text(_Model):
    """A text in both languages."""

    vi: str = Field(min_length=1, description="Vietnamese")
    en: str = Field(min_length=1, description="English")


class Columns(_Model):
    """Field → the header text in the files (or a list of accepted headers)."""

    unit_id: HeaderText = Field(description="the unit's code (required)")
    year: HeaderText | None = Field(None, description="required unless year_from_sheet covers every file")
    rating: HeaderText = Field(description="the rating label (required)")
    unit_name: HeaderText | None = Field(None, description="needed to detect a unit that changes id")
    parent: HeaderText | None = None
    unit_type: HeaderText | None = Field(None, description="detects members and organisations mixed")
    score: HeaderText | None = Field(None, description="100-point score, decimal comma accepted")


class RatingSelection(_Model):
    """Pilots chosen by their ratings of the given years."""

    on: Literal["rating"]
    years: list[Year] = Field(min_length=1)
    rule: str | None = Field(None, description="how, in words (e.g. 'the 40 weakest units of 2015')")


class PilotColumns(_Model):
    unit_id: HeaderText
    programme: HeaderText | None = None
    start: HeaderText | None = None
    end: HeaderText | None = None


class Pilots(_Model):
    """The pilot units: a second file (``file`` + ``columns``) or a flag column of the panel (``column``)."""

    file: str | None = Field(None, description="under data/raw/")
    columns: PilotColumns | None = None
    column: str | None = Field(None, description="a panel column of pilot flags (x, có, 1, ...)")
    sheets: list[str] | None = None
    programme: str | None = Field(None, description="default programme when the file has no such column")
    start: Year | None = None
    end: Year | None = None
    selection: Union[Literal["unknown", "random"], RatingSelection] = Field(
        "unknown", description="how the pilots were chosen: unknown, random, or {on: rating, years: [...]}")


class Panel(_Model):
    """Unit-level ratings: one row per unit per year (see helpers.cleaning.panel)."""

    level: Literal["organisation", "member"]
    years: list[Year] = Field(min_length=2, max_length=2, description="[first year, last year]")
    files: list[str] = Field(min_length=1, description="files under data/raw/ (.csv or .xlsx)")
    sheets: Union[list[Union[str, int]], dict[str, list[Union[str, int]]], None] = None
    year_from_sheet: Union[bool, list[str]] = False
    columns: Columns
    labels: dict[str, str] = Field(default_factory=dict, description="typed label → level code or label")
    unit_ids: dict[str, Union[str, int]] = Field(default_factory=dict, description="old id → new id")
    pilots: Pilots | None = None


class Analysis(_Model):
    """One statistical analysis (see helpers.inference.analyses)."""

    id: Code
    question: Literal["a", "b", "c", "d"]
    design: Literal["totals", "power", "paired", "repeated", "compare-years", "two-sample", "reference", "did",
                    "baseline"]
    before: str | None = None
    after: str | None = None
    table: str | None = None
    pilots: str | None = None
    rest: str | None = None
    reference: str | None = None
    n: Annotated[int, Field(ge=0)] | None = None
    years: list[Year] | None = None
    year: Year | None = None
    group: Literal["pilot", "other", "all"] | None = None
    level: Literal["organisation", "member"] | None = None
    cut: Literal["pass", "good", "top"] | None = None
    contrast: Literal["good_or_better", "pass_or_better", "fail_vs_rest", "top_vs_rest"] | None = None
    family: str | None = None
    remove_pilots: bool | None = None
    bases: Annotated[int, Field(ge=1)] | None = None
    label: Text | None = None
    description: str | None = None


class Claim(_Model):
    """A claim to answer (see helpers.inference.designs)."""

    id: Code
    from_: Year | None = Field(None, alias="from", description="last year of the comparison history")
    to: Year | None = None
    label: Text | None = None
    kind: Literal["pilots", "ratings-changed"] | None = Field(
        None, description="pilots (did the pilots improve more than comparable units?) or ratings-changed (did a "
                          "whole area's published ratings change between years?)")


class Export(_Model):
    font: str | None = None
    tables: list[str] | None = None
    transition_years: list[Year] | None = Field(None, min_length=2, max_length=2)


class Source(_Model):
    """An article cited (a title or a citation is needed)."""

    id: str | None = None
    author: str | None = None
    title: str | None = None
    journal: str | None = None
    site: str | None = None
    year: int | None = None
    date: str | None = None
    url: str | None = None
    citation: str | None = None


class StudyFile(_Model):
    """A study file (studies/NAME.yaml)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, strict=True, title="Study file")

    title: Text
    language: Literal["vi", "en"] = "vi"
    description: str | None = None
    notebooks: list[Literal["01-clean", "02-check-published", "03-test-pilots", "04-export"]] | None = None
    published: list[str] = Field(default_factory=list, description="printed-number tables under data/raw/")
    panel: Panel | None = None
    analyses: list[Analysis] = Field(default_factory=list)
    claims: list[Claim] | None = None
    export: Export | None = None
    sources: list[Source] | None = None


def json_schema() -> dict:
    """The JSON Schema of :class:`StudyFile` (what ``studies/study.schema.json`` holds)."""
    schema = StudyFile.model_json_schema(by_alias=True)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def yaml11(raw: dict) -> dict:
    """YAML 1.1 reads a bare ``on:`` key as True: give ``panel.pilots.selection`` its ``on`` back."""
    panel = raw.get("panel")
    pilots = panel.get("pilots") if isinstance(panel, dict) else None
    selection = pilots.get("selection") if isinstance(pilots, dict) else None
    if isinstance(selection, dict) and True in selection:
        pilots = {**pilots, "selection": {("on" if k is True else k): v for k, v in selection.items()}}
        raw = {**raw, "panel": {**panel, "pilots": pilots}}
    return raw


def yaml11_panel(panel: dict) -> dict:
    """A ``panel:`` section with ``pilots.selection``'s ``on`` key given back (see :func:`yaml11`)."""
    return yaml11({"panel": panel})["panel"]


_TYPE_TAG = re.compile(r"^(str|int|bool|float|none|(list|dict|literal|union|tuple)\[.*\])$")
_MODEL_NAMES = {m.__name__ for m in (Text, Columns, RatingSelection, PilotColumns, Pilots, Panel, Analysis, Claim,
                                     Export, Source, StudyFile)}


def fields(model: type[BaseModel]) -> set[str]:
    """The field names of a model as written in a study file (``from``, not ``from_``)."""
    return {f.alias or name for name, f in model.model_fields.items()}


def _models_in(annotation) -> list[type[BaseModel]]:
    """The models an annotation can hold (through Optional, Union, list, dict and Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in get_args(annotation) for m in _models_in(arg)]


def _models_at(root, loc) -> list[type[BaseModel]]:
    """The models a pydantic error location (without its last part) can point into."""
    models = _models_in(root)
    for part in loc:
        part = str(part)
        named = [m for m in models if m.__name__ == part]
        if named:                                   # which member of a union was tried
            models = named
            continue
        inner = [m for model in models for name, f in model.model_fields.items() if part in (name, f.alias)
                 for m in _models_in(f.annotation)]
        if inner or any(part in fields(m) for m in models):
            models = inner
    return models


def _rule(error: dict, root) -> str:
    """The rule of one pydantic error, said as the study-file messages say it."""
    if error["type"] == "extra_forbidden":
        known = sorted({f for m in _models_at(root, error["loc"][:-1]) for f in fields(m)})
        return "unknown field" + (f"; known fields: {', '.join(known)}" if known else "")
    if error["type"] == "missing":
        return "required field missing"
    message = error["msg"]
    for python, plain in _PLAIN:
        message = re.sub(python, plain, message)
    return message


#: pydantic's words → the study file's words.
_PLAIN = ((r"^Input should be a valid dictionary( or instance of \w+)?", "must be a mapping of fields"),
          (r"^Input should be a valid list", "must be a list"),
          (r"^Input should be a valid string", "must be a text"),
          (r"^Input should be a valid integer", "must be an integer"),
          (r"^Input should be a valid boolean", "must be true or false"),
          (r"^Input should be", "must be"),
          (r"^String should match pattern '\^\[a-z0-9\]\[a-z0-9-\]\*\$'", "must be lower-case letters, digits and '-'"),
          (r"^String should", "must"), (r"^List should", "must"), (r"^Value should", "must"))


def problems_of(root, value, study_file: str, where: str = "") -> list[Problem]:
    """Every violation of the declared type ``root`` (a model or e.g. ``list[Analysis]``) by ``value``.

    Each :class:`~helpers.errors.Problem` names the file and the field, ``where`` first
    (``analyses[2].cut``); the rules of the members of a union tried on one field are joined with
    " — or: ". This is the one place shape, type, allowed values and unknown fields are checked; the
    section checks add only the rules that need the data or several fields.
    """
    try:
        TypeAdapter(root).validate_python(value)
    except ValidationError as error:
        merged: dict[tuple, list[str]] = {}
        for e in error.errors(include_url=False):
            field = where
            for part in e["loc"]:
                part = str(part)
                if _TYPE_TAG.match(part) or part in _MODEL_NAMES:
                    continue                          # which member of a union was tried, not a field
                field += f"[{int(part) + 1}]" if part.isdigit() else ("." if field else "") + part
            shown = e.get("input") if e["type"] != "missing" else None
            shown = shown if isinstance(shown, (str, int, float)) else None
            rules = merged.setdefault((field or None, shown), [])
            rule = _rule(e, root)
            if rule not in rules:
                rules.append(rule)
        return [Problem(file=study_file, column=field, kind="field", value=shown, rule=" — or: ".join(rules))
                for (field, shown), rules in merged.items()]
    return []


def schema_problems(raw, study_file: str) -> list[Problem]:
    """Every violation of :class:`StudyFile` by a loaded study mapping, naming the file and the field."""
    if not isinstance(raw, dict):
        return [Problem(file=study_file, rule="a study file must be a YAML mapping of fields")]
    return problems_of(StudyFile, yaml11(raw), study_file)


def write_schema() -> None:
    """Write ``studies/study.schema.json``."""
    paths.write_atomic(paths.STUDIES / SCHEMA_FILE, schema_text().encode("utf-8"))


if __name__ == "__main__":
    write_schema()
    sys.stdout.write(f"wrote {paths.STUDIES / SCHEMA_FILE}\n")
