"""The same study built in two different project folders writes the same bytes (manifest.json aside).

The README promises byte-identical rebuilds; a path of the project folder written into an output would break
that as soon as the project is copied, moved or checked out elsewhere. Inputs are named relative to the
project root, as manifest.json names them (``data/raw/published/tiny.csv``).
"""

from __future__ import annotations

import shutil

import pytest

from conftest import TINY_PUBLISHED

TINY_STUDY = """
title: {vi: "Thử nghiệm nhỏ", en: "Tiny test"}
notebooks: [02-check-published]
published: [published/tiny.csv]
"""


@pytest.mark.slow
def test_a_study_built_in_another_folder_writes_the_same_findings_and_outputs(project, tmp_path):
    project.write("data/raw/published/tiny.csv", TINY_PUBLISHED)
    project.study("tiny", TINY_STUDY)
    elsewhere = type(project)(tmp_path / "another" / "copy")
    shutil.copytree(project.root, elsewhere.root)  # a copy of the project before any build
    for built in (project, elsewhere):
        result = built.run("run", "tiny")
        assert result.returncode == 0, result.stdout + result.stderr

    first, second = project.tree("reports/tiny"), elsewhere.tree("reports/tiny")
    findings = first["published/findings.csv"]
    assert findings == second["published/findings.csv"]
    assert "data/raw/published/tiny.csv".encode() in findings and str(project.root).encode() not in findings
    assert sorted(first) == sorted(second)
    assert [name for name in first if name != "manifest.json" and first[name] != second[name]] == []
