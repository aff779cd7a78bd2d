"""The runner: real papermill runs of the real notebooks in a scratch project root."""

from __future__ import annotations

import json

import pytest

from conftest import TINY_PUBLISHED

TINY_STUDY = """
title: {vi: "Thử nghiệm nhỏ", en: "Tiny test"}
notebooks: [02-check-published]
published: [published/tiny.csv]
"""

pytestmark = pytest.mark.slow


def _manifest(project, study):
    return json.loads((project.root / "reports" / study / "manifest.json").read_text(encoding="utf-8"))


def test_run_builds_outputs_then_second_run_is_a_no_op(project):
    project.write("data/raw/published/tiny.csv", TINY_PUBLISHED)
    project.study("tiny", TINY_STUDY)
    project.study("tiny-en", TINY_STUDY + "language: en\n")

    first = project.run("run")
    assert first.returncode == 0, first.stdout + first.stderr
    for study in ("tiny", "tiny-en"):
        report = project.root / "reports" / study
        assert (report / "02-check-published.ipynb").exists()
        assert (report / "report.html").exists()
        assert (report / "published" / "findings.csv").exists()
        manifest = _manifest(project, study)
        assert manifest["inputs"] == {"published/tiny.csv": manifest["inputs"]["published/tiny.csv"]}
        assert manifest["notebooks"][0]["name"] == "02-check-published"
        assert manifest["notebooks"][0]["seconds"] > 0
        assert "pandas" in manifest["packages"]
    assert "2 notebook(s) executed" in first.stdout
    assert not list((project.root / "reports").glob(".build-*")), "build folders must not be left behind"

    run_id = _manifest(project, "tiny")["run_id"]
    second = project.run("run")
    assert second.returncode == 0, second.stderr
    assert "0 notebook(s) executed" in second.stdout
    assert "Up to date (no kernel started): tiny, tiny-en" in second.stdout
    assert _manifest(project, "tiny")["run_id"] == run_id

    # Changing an input's bytes makes exactly the studies that read it stale.
    project.write("data/raw/published/tiny.csv", TINY_PUBLISHED + "000,bt56-2013,2013,HTTNV,12,,56,\"x\"\n")
    third = project.run("run", "tiny")
    assert "1 notebook(s) executed" in third.stdout
    assert _manifest(project, "tiny")["run_id"] != run_id


def test_failing_notebook_keeps_previous_outputs_and_other_studies_complete(project):
    project.write("data/raw/published/tiny.csv", TINY_PUBLISHED)
    project.write("data/raw/published/other.csv", TINY_PUBLISHED)
    project.study("tiny", TINY_STUDY)
    project.study("other", TINY_STUDY.replace("tiny.csv", "other.csv"))
    assert project.run("run", "tiny").returncode == 0
    before = project.tree("reports/tiny")

    # Break tiny's input: the required column 'category' is gone, so notebook 02 raises.
    project.write("data/raw/published/tiny.csv", TINY_PUBLISHED.replace("category", "label"))
    result = project.run("run")
    assert result.returncode == 1
    assert "Study 'tiny' failed in notebook 02-check-published.ipynb, cell " in result.stdout
    assert "InputError" in result.stdout and "category" in result.stdout
    assert "reports/tiny/failed/02-check-published.ipynb" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    after = project.tree("reports/tiny")
    assert "failed/02-check-published.ipynb" in after
    assert {k: v for k, v in after.items() if not k.startswith("failed/")} == before
    assert (project.root / "reports" / "other" / "report.html").exists(), "the other study must still be built"


def test_unknown_study_is_refused_before_anything_runs(project):
    project.study("tiny", TINY_STUDY)
    project.write("data/raw/published/tiny.csv", TINY_PUBLISHED)
    result = project.run("run", "tinny")
    assert result.returncode == 2
    assert "unknown study 'tinny'" in result.stderr and "known studies: tiny" in result.stderr
    assert project.tree("reports") == {}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("title: [unclosed\n", "not valid YAML"),
        ("title: {vi: a, en: b}\nnotebooks: 02-check-published\n", "field 'notebooks'"),
        ("title: {vi: a, en: b}\nlanguage: fr\n", "must be 'vi' or 'en'"),
        ("title: {vi: a, en: b}\npublished: [published/missing.csv]\n", "input file does not exist"),
        ("title: {vi: a, en: b}\ncolour: red\n", "field 'colour': value 'red' — unknown field; known fields: analyses"),
        ("title: {vi: a, en: b}\nexport: {colour: red}\n", "field 'export.colour': value 'red' — unknown field; known fields: font"),
        ("title: {vi: a, en: b}\npanel: {level: team}\n", "field 'panel.level': value 'team' — must be 'organisation'"),
        ("title: {vi: a, en: b}\nanalyses: [{id: x, question: e}]\n", "field 'analyses[1].question': value 'e'"),
    ],
)
def test_malformed_study_file_names_file_and_field(project, body, expected):
    project.study("bad", body)
    result = project.run("run", "bad")
    assert result.returncode == 2
    assert "studies/bad.yaml" in result.stderr
    assert expected in result.stderr
    assert project.tree("reports") == {} and project.tree("data/processed") == {}


def test_runner_fails_loudly_when_a_notebook_writes_under_data_raw(project):
    import nbformat

    project.write("data/raw/published/tiny.csv", TINY_PUBLISHED)
    project.write("data/raw/notes.txt", "kept as received")
    project.study("tiny", TINY_STUDY)
    rogue = nbformat.v4.new_notebook()
    rogue.cells = [nbformat.v4.new_code_cell('study = ""\nlanguage = ""\noutput_dir = ""'),
                   nbformat.v4.new_code_cell("from helpers import paths\n"
                                             "(paths.DATA_RAW / 'notes.txt').write_text('oops')")]
    rogue.cells[0].metadata["tags"] = ["parameters"]
    nbformat.write(rogue, project.root / "notebooks" / "02-check-published.ipynb")
    result = project.run("run")
    assert result.returncode == 3
    assert "ERROR: files under data/raw/ changed or vanished during the run: notes.txt." in result.stderr


def test_teaching_builds_student_and_instructor_versions_through_the_runner(project):
    import shutil

    import nbformat

    from helpers import paths

    # One lesson is enough to prove the wiring; tests/test_teaching.py executes every lesson.
    for lesson in (project.root / "notebooks" / "teaching").glob("*.ipynb"):
        if not lesson.name.startswith("01-"):
            lesson.unlink()
    shutil.copytree(paths.DATA_RAW / "published", project.root / "data" / "raw" / "published")
    shutil.copy(paths.STUDIES / "published-check.yaml", project.root / "studies")

    first = project.run("teach")
    assert first.returncode == 0, first.stdout + first.stderr
    student = project.root / "reports" / "teaching" / "student"
    instructor = project.root / "reports" / "teaching" / "instructor"
    for folder in (student, instructor):
        assert (folder / "01-reading-a-table.ipynb").exists() and (folder / "01-reading-a-table.html").exists()
    tags = lambda path: [t for c in nbformat.read(path, as_version=4).cells for t in c.metadata.get("tags", [])]
    assert "solution" not in tags(student / "01-reading-a-table.ipynb")
    assert "solution" in tags(instructor / "01-reading-a-table.ipynb")

    second = project.run("teach")
    assert "0 notebook(s) executed" in second.stdout
