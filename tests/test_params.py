"""Notebook parameter validation: real papermill runs, since papermill itself only warns."""

from __future__ import annotations

import papermill
import pytest

from conftest import TINY_PUBLISHED
from helpers import paths
from helpers.errors import InputError
from helpers.params import check_parameters

pytestmark = pytest.mark.slow


def test_check_parameters_rejects_unknown_name_and_wrong_type():
    namespace = {"study": "binh-thuan-56", "language": 2013, "output_dir": "", "colour": "red"}
    with pytest.raises(InputError) as error:
        check_parameters(namespace, notebook="03-test-pilots")
    message = str(error.value)
    assert "parameter 'colour'" in message and "unknown parameter" in message
    assert "parameter 'language' must be a str (got 2013 that is an int)" in message


def test_check_parameters_ignores_imports_and_ipython_names(tmp_path):
    import json

    study_file = tmp_path / "tiny.yaml"
    study_file.write_text("title: {vi: a, en: b}\n", encoding="utf-8")
    namespace = {"study": str(study_file), "language": "en", "output_dir": str(tmp_path / "out"),
                 "json": json, "In": [], "_": None, "check_parameters": check_parameters}
    run = check_parameters(namespace)
    assert run.language == "en" and run.study.language == "en"
    assert run.output_dir.is_dir()


def test_notebook_refuses_a_wrong_parameter_type(project, tmp_path):
    project.write("data/raw/published/tiny.csv", TINY_PUBLISHED)
    with pytest.raises(papermill.PapermillExecutionError) as error:
        papermill.execute_notebook(
            str(paths.NOTEBOOKS / "02-check-published.ipynb"), str(tmp_path / "out.ipynb"),
            parameters={"study": "binh-thuan-56", "language": 5, "output_dir": str(tmp_path)},
            kernel_name=paths.KERNEL_NAME, progress_bar=False,
        )
    assert error.value.ename == "InputError"
    assert "parameter 'language' must be a str (got 5 that is an int)" in error.value.evalue


def test_notebook_refuses_an_unknown_parameter(tmp_path, kernel):
    with pytest.raises(papermill.PapermillExecutionError) as error:
        papermill.execute_notebook(
            str(paths.NOTEBOOKS / "02-check-published.ipynb"), str(tmp_path / "out.ipynb"),
            parameters={"study": "binh-thuan-56", "langauge": "en", "output_dir": str(tmp_path)},
            kernel_name=paths.KERNEL_NAME, progress_bar=False,
        )
    assert "parameter 'langauge'" in error.value.evalue and "unknown parameter" in error.value.evalue
