"""Study files: one YAML per study under ``studies/``, loaded and checked here.

A study file says which raw files a study uses and what to do with them. Its fields are declared
once, by :class:`helpers.study.model.StudyFile`: :func:`load_study` validates the whole file through
it (shape, types, allowed values, unknown fields, every problem at once). The rules that need the data
or several fields (a column exists in the files, a year is inside the panel, a published table exists)
are checked by the module that uses each section, through :func:`helpers.runner.plan.check_study`,
so a bad study file is refused before any notebook runs.

Fields (summary; the model is the reference)
------------------------------------------
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
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from helpers import paths
from helpers.errors import InputError, Problem
from helpers.study.model import StudyFile, fields, schema_problems, yaml11

STEPS = ("01-clean", "02-check-published", "03-test-pilots", "04-export")
#: The top-level fields of a study file, as the model declares them.
KNOWN_FIELDS = fields(StudyFile)
#: Sections whose inside is checked by the module that uses them (:func:`helpers.runner.plan.check_study`),
#: through the same model, together with the rules that need their data.
SECTIONS = ("panel", "analyses", "claims", "export", "sources")


def _root(field_name: str) -> str:
    return re.split(r"[.\[]", field_name, maxsplit=1)[0]


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


def load_study(name_or_path: str | Path) -> Study:
    """Load a study file, validated through its declared model (:class:`helpers.study.model.StudyFile`).

    Defaults (``language: vi``, every notebook step) are filled in; the listed input files must exist.
    A problem inside a section (``panel``, ``analyses``, ``claims``, ``export``, ``sources``) is left
    to that section's check, which validates it through the same model and adds the rules that need
    the data, so that the runner (:func:`helpers.runner.plan.check_study`) lists them all at once.

    Raises
    ------
    InputError
        Naming the file and every bad top-level field at once: unknown field, wrong type, value not
        allowed, required field missing (``title``), a listed input file that does not exist.
    """
    file = study_file(str(name_or_path))
    shown = str(file.relative_to(paths.ROOT)) if file.is_relative_to(paths.ROOT) else str(file)
    try:
        raw = paths.read_yaml(file)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError([Problem(file=shown, rule=f"not valid YAML: {exc}")], "malformed study file") from None
    if not isinstance(raw, dict):
        raise InputError([Problem(file=shown, rule="a study file must be a YAML mapping of fields")],
                         "malformed study file")
    raw = yaml11(raw)                               # YAML 1.1 reads a bare `on:` key as True
    problems = schema_problems(raw, shown)          # shape, types, allowed values, unknown fields: the model
    inside = [p for p in problems if p.column and p.column not in SECTIONS and _root(p.column) in SECTIONS]
    if len(inside) < len(problems):
        raise InputError([p for p in problems if p not in inside], f"study file {shown} has problems")
    problems = []
    title, language = raw["title"], raw.get("language", "vi")
    notebooks = list(STEPS) if raw.get("notebooks") is None else raw["notebooks"]
    published_paths = tuple(paths.raw_path(p) for p in raw.get("published") or [])
    panel, analyses, export = raw.get("panel"), raw.get("analyses") or [], raw.get("export") or {}
    study = Study(
        name=file.stem, file=file, title=title, language=language, notebooks=tuple(notebooks),
        published=published_paths, panel=panel, analyses=tuple(analyses), export=export, raw=raw,
    )
    for path in study.input_files() if not inside else ():   # what the model cannot know: the files exist
        if not path.exists():
            rel = path.relative_to(paths.DATA_RAW) if path.is_relative_to(paths.DATA_RAW) else path
            problems.append(Problem(file=shown, column="published" if path in published_paths else "panel",
                                    kind="field", value=str(rel), rule="input file does not exist under data/raw/"))
    if problems:
        raise InputError(problems, f"study file {shown} has problems")
    return study
