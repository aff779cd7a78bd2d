"""Notebooks stay thin, parameterised and committed without outputs."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from helpers import paths
from helpers.params import NOTEBOOK_PARAMETERS

NOTEBOOKS = sorted(paths.NOTEBOOKS.glob("*.ipynb")) + sorted((paths.NOTEBOOKS / "teaching").glob("*.ipynb"))
#: 00-new-study writes a new study file: it takes the new study's name, not the three step parameters.
NEW_STUDY = paths.NOTEBOOKS / "00-new-study.ipynb"
STEP_NOTEBOOKS = [p for p in NOTEBOOKS if p != NEW_STUDY]


def _code_cells(path: Path):
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def test_there_are_four_step_notebooks_and_the_new_study_one():
    assert [p.stem for p in sorted(paths.NOTEBOOKS.glob("*.ipynb"))] == [
        "00-new-study", "01-clean", "02-check-published", "03-test-pilots", "04-export"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_first_code_cell_is_tagged_parameters_and_holds_literals_only(path):
    first = _code_cells(path)[0]
    expected = {"study", "language"} if path == NEW_STUDY else set(NOTEBOOK_PARAMETERS)
    assert "parameters" in first.metadata.get("tags", [])
    tree = ast.parse(first.source)
    names = set()
    for node in tree.body:
        assert isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant), (
            f"{path.name}: the parameters cell may hold only `name = literal` lines, found {ast.unparse(node)!r}")
        names |= {t.id for t in node.targets}
    assert names == expected


@pytest.mark.parametrize("path", STEP_NOTEBOOKS, ids=lambda p: p.stem)
def test_second_code_cell_validates_the_parameters(path):
    assert "check_parameters(globals()" in _code_cells(path)[1].source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_thin_and_committed_without_outputs(path):
    for cell in _code_cells(path):
        assert cell.outputs == [] and cell.execution_count is None, f"{path.name} has outputs: strip them"
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            assert not isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.For, ast.While)), (
                f"{path.name}: logic belongs in src/helpers, found {type(node).__name__} in {cell.source!r}")
        assert "data/raw" not in cell.source and "/work/" not in cell.source, f"{path.name}: literal path"


@pytest.mark.parametrize("path", STEP_NOTEBOOKS, ids=lambda p: p.stem)
def test_papermill_reads_every_declared_parameter(path):
    # papermill's own parser must see the three parameters, or it warns "unknown parameter" on every run.
    import papermill

    assert set(papermill.inspect_notebook(str(path))) == set(NOTEBOOK_PARAMETERS)
