"""What a run has to do: the stamp of every notebook of a job, and the first one that is stale.

A stamp is a hash of the notebook's code cells, the job's parameters, the bytes of its input files, the
``helpers`` source, the installed package versions and the previous notebook's stamp; a job whose stamps all
equal the ones in its ``manifest.json`` is up to date. Study files are checked in full here, before any kernel
starts.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from helpers import paths
from helpers.errors import InputError, Problem
from helpers.runner.jobs import Job
from helpers.study import Study

MANIFEST = "manifest.json"


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def tree_checksums(root: Path) -> dict[str, str]:
    """SHA-256 of every file below ``root``, keyed by relative path."""
    if not root.exists():
        return {}
    return {
        str(p.relative_to(root)): _sha256_file(p)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _helpers_source_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(paths.PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(str(path.relative_to(paths.PACKAGE)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def package_versions() -> dict[str, str]:
    """Name → version of every installed distribution (the kernel uses the same environment)."""
    from importlib.metadata import distributions

    versions = {}
    for dist in distributions():
        name = dist.metadata["Name"]
        if name:
            versions[name.lower()] = dist.version
    return dict(sorted(versions.items()))


def notebook_code(path: Path) -> str:
    """The code cells of a notebook, joined; outputs and markdown do not count."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n\x00\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")


@dataclass(frozen=True)
class Environment:
    """What every stamp shares: helpers source, package versions, kernel name."""

    helpers_source: str
    packages: dict
    kernel: str

    @classmethod
    def current(cls, kernel: str) -> "Environment":
        return cls(helpers_source=_helpers_source_digest(), packages=package_versions(), kernel=kernel)

    def digest(self) -> str:
        text = json.dumps([self.helpers_source, self.packages, self.kernel], sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()


def _relative(path: Path, root: Path) -> str:
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


def input_hashes(job: Job, raw_checksums: dict[str, str]) -> dict[str, str]:
    """SHA-256 of each input file, keyed by its path relative to data/raw/."""
    hashes = {}
    for path in job.inputs:
        key = _relative(path, paths.DATA_RAW)
        hashes[key] = raw_checksums.get(key) or _sha256_file(path)
    return hashes


def step_stamps(job: Job, inputs: dict[str, str], environment: Environment) -> dict[str, str]:
    """The stamp of each step, in order; each includes the previous one, so a change reruns what follows."""
    stamps = {}
    previous = ""
    parameters = json.dumps(job.parameters, sort_keys=True, ensure_ascii=False, default=str)
    for step in job.steps:
        digest = hashlib.sha256()
        for part in (previous, notebook_code(step.source), parameters,
                     json.dumps([step.parameters, step.version], sort_keys=True),
                     json.dumps(inputs, sort_keys=True), environment.digest()):
            digest.update(part.encode())
            digest.update(b"\x00")
        previous = stamps[step.name] = digest.hexdigest()
    return stamps


def read_manifest(report_dir: Path) -> dict:
    path = report_dir / MANIFEST
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}


def first_stale(job: Job, stamps: dict[str, str]) -> int | None:
    """Index of the first step whose stamp differs from the manifest's; None when all are current."""
    previous = {nb["name"]: nb.get("stamp") for nb in read_manifest(job.report_dir).get("notebooks", [])}
    for index, step in enumerate(job.steps):
        if previous.get(step.name) != stamps[step.name]:
            return index
    return None


def check_study(study: Study, data: bool = True) -> None:
    """Check every section of a study file with the module that uses it, then (``data``) its files.

    Raises
    ------
    InputError
        Listing every problem in the ``panel`` and ``analyses`` sections, and, when those are fine,
        every problem of the data and every unused setting (:func:`helpers.study_check.data_problems`).
    """
    from helpers.export import check_export
    from helpers.export.sources import check_sources
    from helpers.inference.analyses import validate_analyses
    from helpers.inference.designs import check_design
    from helpers.cleaning.panel import check_panel_config

    problems: list[Problem] = []
    shown = _relative(study.file, paths.ROOT)
    panel_problems = check_panel_config(study.panel, shown) if study.panel is not None else []
    problems += panel_problems
    if study.analyses:
        problems += validate_analyses(list(study.analyses), shown)
    problems += check_design(study.raw, shown)
    if study.export:
        problems += check_export(study.export, shown)
    problems += check_sources(study.raw.get("sources"), shown)
    for name in study.notebooks:
        if not (paths.NOTEBOOKS / f"{name}.ipynb").exists():
            problems.append(Problem(file=shown, column="notebooks", value=name, kind="field",
                                    rule=f"notebook {name}.ipynb is missing from notebooks/"))
    if data and not panel_problems:
        from helpers.study_check import study_data_problems

        problems += study_data_problems(study)
    if problems:
        raise InputError(problems, f"study file {study.file.name} has problems")
