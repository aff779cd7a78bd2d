"""The jobs a run can build: a study's notebooks, or a set of lessons (student and instructor versions)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from helpers import paths
from helpers.study import Study


@dataclass(frozen=True)
class Step:
    """One notebook of a job: its source, the parameters injected, and its version.

    ``version`` is ``""`` for a study notebook, ``"student"`` (solution cells
    removed before it runs) or ``"instructor"`` for a teaching lesson.
    ``output_dir`` is added to the parameters at build time.
    """

    name: str
    source: Path
    parameters: dict
    version: str = ""


@dataclass(frozen=True)
class Job:
    """A set of notebooks built together into one folder of reports/ (a study, or a lesson set)."""

    name: str
    report_dir: Path
    steps: tuple[Step, ...]
    inputs: tuple[Path, ...]
    parameters: dict
    processed_dir: Path | None = None
    study: Study | None = None

    @property
    def label(self) -> str:
        return f"Study '{self.name}'" if self.study else f"'{self.name}'"


def study_job(study: Study) -> Job:
    """The job that runs a study's notebooks in order."""
    steps = tuple(Step(name=nb, source=paths.NOTEBOOKS / f"{nb}.ipynb",
                       parameters={"study": study.name, "language": study.language})
                  for nb in study.notebooks)
    return Job(name=study.name, report_dir=study.report_dir, steps=steps, inputs=tuple(study.input_files()),
               parameters=study.raw, processed_dir=study.processed_dir, study=study)


def teaching_jobs(language: str = "vi") -> list[Job]:
    """Two jobs over notebooks/teaching/*.ipynb: the student and the instructor versions."""
    lessons = sorted((paths.NOTEBOOKS / "teaching").glob("*.ipynb"))
    inputs = tuple(sorted(p for p in paths.DATA_RAW.rglob("*") if p.is_file()))
    return [
        Job(name=f"teaching/{version}", report_dir=paths.REPORTS / "teaching" / version,
            steps=tuple(Step(name=lesson.stem, source=lesson, parameters={"language": language}, version=version)
                        for lesson in lessons),
            inputs=inputs, parameters={"language": language, "version": version})
        for version in ("student", "instructor")
    ]
