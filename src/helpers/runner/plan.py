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
#: File types a published table may have (what helpers.published.reader reads).
PUBLISHED_TYPES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm")


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
    """The job's ``manifest.json`` as a mapping; ``{}`` when it is missing, unreadable or not a mapping
    (so a damaged manifest makes the job stale, never a traceback)."""
    path = report_dir / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # missing, unreadable, not UTF-8, not JSON
        return {}
    return manifest if isinstance(manifest, dict) else {}


def manifest_notebooks(manifest: dict) -> dict[str, dict]:
    """Name → entry of each notebook recorded in a manifest, ignoring entries of the wrong shape."""
    entries = manifest.get("notebooks")
    if not isinstance(entries, list):
        return {}
    return {e["name"]: e for e in entries if isinstance(e, dict) and isinstance(e.get("name"), str)}


def output_record(job: Job, report: Path, processed: Path | None) -> dict[str, dict]:
    """Size and SHA-256 of every output of a job, keyed by its path relative to the project root as it will be
    once swapped in (``reports/<job>/...``, ``data/processed/<job>/...``). ``report`` and ``processed`` are the
    folders holding them now; manifest.json and failed/ are not outputs."""
    record = {}
    for folder, final in ((report, job.report_dir), (processed, job.processed_dir)):
        if folder is None or final is None or not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(folder)
            if not path.is_file() or (folder is report and (relative.parts[0] == "failed" or str(relative) == MANIFEST)):
                continue
            record[paths.shown(final / relative)] = {"size": path.stat().st_size, "sha256": _sha256_file(path)}
    return record


def output_problem(job: Job, manifest: dict) -> str | None:
    """Why the outputs on disk are not the ones the manifest recorded (the first difference), or None.

    A file recorded in the manifest that is missing, has another size or other bytes, or an output file the
    manifest does not know (for instance a leftover of a removed step) all make the job stale.
    """
    recorded = manifest.get("outputs")
    if not isinstance(recorded, dict) or not recorded:
        return "its manifest.json records no outputs"
    processed = job.processed_dir if job.processed_dir is not None and job.processed_dir.is_dir() else None
    for name, entry in recorded.items():
        path = paths.ROOT / name
        if not path.is_file():
            return f"{name} is missing"
        if not isinstance(entry, dict) or path.stat().st_size != entry.get("size"):
            return f"{name} was changed"
    current = output_record(job, job.report_dir, processed)
    for name in sorted(current.keys() - recorded.keys()):
        return f"{name} is not one of its outputs"
    for name, entry in recorded.items():
        if current[name]["sha256"] != entry.get("sha256"):
            return f"{name} was changed"
    return None


def stale_from(job: Job, stamps: dict[str, str]) -> tuple[int | None, str]:
    """Index of the first step whose stamp differs from the manifest's (None when all are current), and why
    the job is rebuilt when that is not a changed stamp ("" otherwise).

    When every stamp is current but an output is missing or altered, the whole job is stale (0): the
    outputs of earlier steps cannot be trusted as the seed of a partial rebuild.
    """
    manifest = read_manifest(job.report_dir)
    previous = manifest_notebooks(manifest)
    for index, step in enumerate(job.steps):
        if previous.get(step.name, {}).get("stamp") != stamps[step.name]:
            return index, ""
    problem = output_problem(job, manifest)
    return (0, problem) if problem else (None, "")


def first_stale(job: Job, stamps: dict[str, str]) -> int | None:
    """Index of the first stale step (see :func:`stale_from`); None when the job is up to date."""
    return stale_from(job, stamps)[0]


def input_problems(study: Study) -> list[Problem]:
    """Every input path of a study that is not a file inside ``data/raw/`` (symlinks resolved), or is a
    published table of a type the checker cannot read; each problem names the study-file field."""
    shown = _relative(study.file, paths.ROOT)
    panel = study.panel if isinstance(study.panel, dict) else {}
    pilots = panel.get("pilots") if isinstance(panel.get("pilots"), dict) else {}
    fields = [("published", p) for p in (study.raw.get("published") or [])]
    fields += [("panel.files", f) for f in (panel.get("files") or [])]
    if pilots.get("file"):
        fields.append(("panel.pilots.file", pilots["file"]))
    problems = []
    for name, written in fields:
        if not isinstance(written, str):
            continue  # a type problem, reported by the study loader or the panel checks
        path = paths.raw_path(written)
        if not paths.inside_raw(path):
            where = path.resolve() if path.exists() or path.is_symlink() else path
            problems.append(Problem(file=shown, column=name, value=written, kind="field",
                                    rule=f"every input must be a file inside data/raw/; this one is {where}"))
        elif not path.resolve().is_file():
            problems.append(Problem(file=shown, column=name, value=written, kind="field",
                                    rule="input file does not exist under data/raw/"))
        elif name == "published" and path.suffix.lower() not in PUBLISHED_TYPES:
            problems.append(Problem(file=shown, column=name, value=written, kind="field",
                                    rule=f"unsupported file type; use {' or '.join(PUBLISHED_TYPES)}"))
    return problems


def check_study(study: Study, data: bool = True) -> None:
    """Check every section of a study file with the module that uses it, then (``data``) its files.

    Raises
    ------
    InputError
        Listing every problem in the ``panel`` and ``analyses`` sections, and, when those are fine,
        every problem of the data and every unused setting (:func:`helpers.study.check.data_problems`).
    """
    from helpers.export import check_export
    from helpers.export.sources import check_sources
    from helpers.inference.analyses import validate_analyses
    from helpers.inference.designs import check_design
    from helpers.cleaning.panel_config import check_panel_config

    problems: list[Problem] = input_problems(study)  # no file outside data/raw/ is read by the data checks
    inputs_fine = not problems
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
    if data and inputs_fine and not panel_problems:
        from helpers.study.check import study_data_problems

        problems += study_data_problems(study)
    if problems:
        raise InputError(problems, f"study file {study.file.name} has problems")
