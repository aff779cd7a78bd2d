"""Study files: one YAML per study under ``studies/``, loaded and checked here.

A study file says which raw files a study uses and what to do with them. The
top-level fields are checked here; each section (``panel``, ``analyses``,
``export``) is checked in full by the module that uses it, through
:func:`check_study`, so a bad study file is refused before any notebook runs.

Fields
------
title : {vi: str, en: str}          required
language : 'vi' | 'en'              default 'vi'
notebooks : list of notebook names  default: all four steps
published : list of paths           printed-number tables (data/raw/published/*.csv|xlsx)
panel : mapping                     unit-level ratings; see helpers.cleaning.panel
analyses : list of mappings         statistical tests; see helpers.inference
claims : list of mappings           claims to answer; see helpers.inference.designs (default: one)
export : mapping                    figure and table options; see helpers.export
sources : list of mappings          the articles cited (author, title, journal/site, year, url or citation);
                                    see helpers.export.sources
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from helpers import paths
from helpers.errors import InputError, Problem
from helpers.numbers import LANGUAGES

STEPS = ("01-clean", "02-check-published", "03-test-pilots", "04-export")
KNOWN_FIELDS = {"title", "language", "notebooks", "published", "panel", "analyses", "claims", "export",
                "description", "sources"}


@dataclass(frozen=True)
class Study:
    """A loaded, checked study file. ``raw`` keeps the YAML mapping as written."""

    name: str
    file: Path
    title: dict
    language: str
    notebooks: tuple[str, ...]
    published: tuple[Path, ...]
    panel: dict | None
    analyses: tuple[dict, ...]
    export: dict
    raw: dict = field(repr=False)

    def input_files(self) -> list[Path]:
        """Every raw file this study reads (published tables, panel files, pilot file)."""
        files = list(self.published)
        if self.panel:
            files += [paths.raw_path(f) for f in self.panel.get("files", [])]
            pilots = self.panel.get("pilots") or {}
            if isinstance(pilots, dict) and pilots.get("file"):
                files.append(paths.raw_path(pilots["file"]))
        return files

    def parameters_digest(self) -> str:
        """A hash of the study's parameters, independent of YAML formatting."""
        text = json.dumps(self.raw, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode()).hexdigest()

    def text(self, key: str) -> str:
        """The study's title in its own language."""
        return self.title[self.language] if key == "title" else self.raw[key]

    @property
    def report_dir(self) -> Path:
        return paths.REPORTS / self.name

    @property
    def processed_dir(self) -> Path:
        return paths.DATA_PROCESSED / self.name


def study_file(name: str) -> Path:
    """Path of the study file for ``name``; raise ValueError listing the known studies."""
    candidate = Path(name)
    if candidate.suffix in (".yaml", ".yml") and candidate.exists():
        return candidate.resolve()
    path = paths.STUDIES / f"{name}.yaml"
    if not path.exists():
        known = ", ".join(list_studies()) or "(none)"
        raise InputError(
            [Problem(file=str(path.relative_to(paths.ROOT)) if path.is_relative_to(paths.ROOT) else str(path),
                     rule=f"unknown study '{name}': there is no such study file; "
                                          f"known studies: {known}")],
            headline=f"unknown study '{name}'",
        )
    return path


def list_studies() -> list[str]:
    """Names of the study files under ``studies/``, sorted."""
    return sorted(p.stem for p in paths.STUDIES.glob("*.yaml"))


def _type_name(value) -> str:
    return type(value).__name__


def _restore_on_key(raw: dict) -> None:
    """Give ``panel.pilots.selection`` its ``on`` key back: YAML 1.1 reads a bare ``on:`` as the boolean True."""
    panel = raw.get("panel")
    pilots = panel.get("pilots") if isinstance(panel, dict) else None
    selection = pilots.get("selection") if isinstance(pilots, dict) else None
    if isinstance(selection, dict) and True in selection and "on" not in selection:
        pilots["selection"] = {("on" if k is True else k): v for k, v in selection.items()}


def load_study(name_or_path: str | Path) -> Study:
    """Load a study file and check its top-level fields.

    Raises
    ------
    InputError
        Naming the file and every bad field at once: unknown field, wrong type,
        missing title, unknown language or notebook, a listed input file that
        does not exist.
    """
    file = study_file(str(name_or_path))
    shown = str(file.relative_to(paths.ROOT)) if file.is_relative_to(paths.ROOT) else str(file)
    try:
        raw = paths.read_yaml(file)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError([Problem(file=shown, rule=f"not valid YAML: {exc}")], "malformed study file") from None
    problems: list[Problem] = []

    def bad(field_name: str, rule: str, value=None):
        problems.append(Problem(file=shown, column=field_name, value=value, rule=rule, kind="field"))

    if not isinstance(raw, dict):
        raise InputError([Problem(file=shown, rule="a study file must be a YAML mapping of fields")],
                         "malformed study file")
    _restore_on_key(raw)
    for key in raw:
        if key not in KNOWN_FIELDS:
            bad(key, f"unknown field; known fields: {', '.join(sorted(KNOWN_FIELDS))}")
    title = raw.get("title")
    if not (isinstance(title, dict) and all(isinstance(title.get(l), str) and title.get(l) for l in LANGUAGES)):
        bad("title", "must be a mapping with non-empty 'vi' and 'en' texts", title)
        title = {"vi": file.stem, "en": file.stem}
    language = raw.get("language", "vi")
    if language not in LANGUAGES:
        bad("language", "must be 'vi' or 'en'", language)
        language = "vi"
    notebooks = raw.get("notebooks", list(STEPS))
    if not (isinstance(notebooks, list) and all(isinstance(n, str) for n in notebooks)):
        bad("notebooks", f"must be a list of notebook names (got a {_type_name(notebooks)})", notebooks)
        notebooks = []
    for nb in notebooks:
        if nb not in STEPS:
            bad("notebooks", f"unknown notebook; known: {', '.join(STEPS)}", nb)
    published = raw.get("published") or []
    if not (isinstance(published, list) and all(isinstance(p, str) for p in published)):
        bad("published", f"must be a list of file paths under data/raw/ (got a {_type_name(published)})", published)
        published = []
    published_paths = tuple(paths.raw_path(p) for p in published)
    panel = raw.get("panel")
    if panel is not None and not isinstance(panel, dict):
        bad("panel", f"must be a mapping (got a {_type_name(panel)})", panel)
        panel = None
    analyses = raw.get("analyses") or []
    if not (isinstance(analyses, list) and all(isinstance(a, dict) for a in analyses)):
        bad("analyses", "must be a list of mappings, one per analysis", analyses)
        analyses = []
    export = raw.get("export") or {}
    if not isinstance(export, dict):
        bad("export", f"must be a mapping (got a {_type_name(export)})", export)
        export = {}
    study = Study(
        name=file.stem, file=file, title=title, language=language, notebooks=tuple(notebooks),
        published=published_paths, panel=panel, analyses=tuple(analyses), export=export, raw=raw,
    )
    if not problems:
        for path in study.input_files():
            if not path.exists():
                rel = path.relative_to(paths.DATA_RAW) if path.is_relative_to(paths.DATA_RAW) else path
                bad("published" if path in published_paths else "panel",
                    "input file does not exist under data/raw/", str(rel))
    if problems:
        raise InputError(problems, f"study file {shown} has problems")
    return study
