"""Lesson 6 draws its figure as a study's export does: in the journal theme (``house_style``), so its legend
sits above the bars and its † note below the axis, at the sizes tests/test_export_layout.py checks.

A real ``python -m helpers teach`` of lesson 6 alone, in Vietnamese and in English; its PNG must be the
bytes that :func:`helpers.export.figures.plot_distribution` drawn inside :func:`helpers.export.theme.house_style`
and saved by :func:`helpers.export.figures.save_figure` writes for the same published tables (seed 004).
"""

from __future__ import annotations

import shutil

import matplotlib.pyplot as plt
import pytest

from helpers import paths
from helpers.export.data import distribution_from_published
from helpers.export.figures import plot_distribution, save_figure
from helpers.export.theme import house_style
from helpers.published import read_published
from helpers.study import load_study

LESSON = "06-result-to-article"
#: The tables lesson 6 draws (Tràng Định 2016–2018, seed 004).
TABLES = ["td-2016", "td-2017", "td-2018"]


def _themed_png(language: str, folder) -> bytes:
    published = read_published(load_study("trang-dinh").published)
    with house_style():
        figure = plot_distribution(distribution_from_published(published[published["table_id"].isin(TABLES)]),
                                   language=language)
        try:
            files = save_figure(figure, "themed", folder)
        finally:
            plt.close(figure)
    return files[0].read_bytes()


@pytest.mark.slow
@pytest.mark.parametrize("language", ["vi", "en"])
def test_lesson_6_figure_is_drawn_in_the_journal_theme(project, tmp_path, language):
    for lesson in (project.root / "notebooks" / "teaching").glob("*.ipynb"):
        if not lesson.name.startswith(LESSON):
            lesson.unlink()
    shutil.copytree(paths.DATA_RAW / "published", project.root / "data" / "raw" / "published")
    shutil.copy(paths.STUDIES / "trang-dinh.yaml", project.root / "studies")
    result = project.run("teach", "--language", language)
    assert result.returncode == 0, result.stdout + result.stderr

    expected = _themed_png(language, tmp_path / "expected")
    for version in ("student", "instructor"):
        png = project.root / "reports" / "teaching" / version / "figures" / "trang-dinh-xep-loai_300dpi.png"
        assert png.read_bytes() == expected, (version, language)
