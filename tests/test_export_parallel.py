"""Figures drawn on two cores (helpers.export.parallel): the same bytes as drawn in one process, and every
failure of the helper process reaches the caller."""

from __future__ import annotations

import dataclasses
import os
import time
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from helpers.export import export_study
from helpers.export import parallel
from helpers.export.parallel import FigureJob, render_figures
from helpers.inference.results import RESULT_COLUMNS
from helpers.study import load_study

needs_helper = pytest.mark.skipif(parallel.helper_processes() == 0,
                                  reason="no helper process here (one core, or no fork): nothing to compare")


def _study():
    study = load_study("binh-thuan-56")
    return dataclasses.replace(study, export={"tables": ["bt56-2011", "bt56-2013", "bt-province-2013"]})


def _build(folder: Path) -> Path:
    folder.mkdir()
    pd.DataFrame([{"question": "a", "test": "exact sign test", "p_value": 0.016, "effect": 0.16,
                   "effect_name": "net_improvement", "ci_low": 0.02, "ci_high": 0.3, "n": 56,
                   "sentence_vi": "Tỷ lệ TSVM tăng (p = 0,016).", "sentence_en": "The TSVM share rose."}]
                 ).reindex(columns=RESULT_COLUMNS).to_csv(folder / "results.csv", index=False)
    rng = np.random.default_rng(1)
    (folder / "processed").mkdir()
    pd.DataFrame([{"unit_id": f"u{u}", "year": y, "rating_code": ["HTNV", "HTTNV", "TSVM"][int(rng.integers(3))],
                   "rating_common": "pass", "rating_order": 1, "pilot": u < 5}
                  for u in range(20) for y in (2016, 2017)]).to_parquet(folder / "processed" / "panel.parquet")
    return folder


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.parent.name in ("figures", "tables")
            or p.name == "article.docx"}


@needs_helper
def test_two_processes_write_the_same_bytes_as_one(tmp_path, monkeypatch):
    two = export_study(_study(), _build(tmp_path / "two"))
    monkeypatch.setattr(parallel, "helper_processes", lambda: 0)
    one = export_study(_study(), _build(tmp_path / "one"))
    assert [p.name for p in two.files] == [p.name for p in one.files]
    figures = two.to_frame().query("kind == 'figure' and status == 'written'")["item"].unique().tolist()
    assert figures == ["distribution", "groups", "transitions", "change", "forest"]
    assert len([p for p in two.files if p.parent.name == "figures"]) == 5 * 4   # 5 figures × 4 formats
    a, b = _files(tmp_path / "two"), _files(tmp_path / "one")
    assert list(a) == list(b)
    assert [name for name in a if a[name] != b[name]] == []


def _signal_then(marker: Path, action):
    """A draw function for the helper process: it leaves ``marker`` (so the test knows the helper took the
    job while this process was busy with ``meanwhile``), then does ``action``."""
    def draw():
        marker.write_text(str(os.getpid()))
        return action()
    return draw


def _wait_for(marker: Path):
    def meanwhile():
        deadline = time.monotonic() + 60
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        return "tables done"
    return meanwhile


def _fail():
    raise ValueError("no data for figure X")


@needs_helper
def test_an_error_in_the_helper_process_is_raised_here_with_its_traceback(tmp_path):
    marker = tmp_path / "taken"
    with pytest.raises(ValueError, match="no data for figure X") as caught:
        render_figures([FigureJob("figure-1-x", _signal_then(marker, _fail))], tmp_path, _wait_for(marker))
    assert int(marker.read_text()) != os.getpid()          # it was drawn in the helper process
    assert any("figure helper process" in note for note in caught.value.__notes__)


@needs_helper
def test_a_warning_in_the_helper_process_is_raised_here(tmp_path):
    marker = tmp_path / "taken"

    def draw():
        warnings.warn("font X lacks a glyph", UserWarning)
        fig, ax = plt.subplots()
        ax.plot([0, 1])
        return fig

    with pytest.warns(UserWarning, match="font X lacks a glyph"):
        files, done = render_figures([FigureJob("figure-1-line", _signal_then(marker, draw))], tmp_path,
                                     _wait_for(marker))
    assert done == "tables done"
    assert [p.name for p in files[0]] == ["figure-1-line_300dpi.png", "figure-1-line_600dpi.png",
                                          "figure-1-line.svg", "figure-1-line.pdf"]
    assert all(p.stat().st_size > 0 for p in files[0])


@needs_helper
def test_a_helper_process_that_dies_is_named_with_the_figure_it_did_not_write(tmp_path):
    marker = tmp_path / "taken"
    with pytest.raises(RuntimeError, match=r"stopped \(exit code 7\) before writing: figure-1-crash"):
        render_figures([FigureJob("figure-1-crash", _signal_then(marker, lambda: os._exit(7)))], tmp_path,
                       _wait_for(marker))


class _Unpicklable(Exception):
    def __init__(self, a, b):            # pickling rebuilds it with one argument: fails
        super().__init__(f"{a}/{b}")


@needs_helper
def test_an_error_that_cannot_cross_processes_arrives_as_its_traceback(tmp_path):
    marker = tmp_path / "taken"

    def fail():
        raise _Unpicklable("left", "right")

    with pytest.raises(RuntimeError, match=r"_Unpicklable: left/right"):
        render_figures([FigureJob("figure-1-odd", _signal_then(marker, fail))], tmp_path, _wait_for(marker))


def test_without_a_helper_every_figure_is_drawn_here_in_order(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "helper_processes", lambda: 0)
    drawn = []

    def job(name):
        def draw():
            drawn.append((name, os.getpid()))
            fig, ax = plt.subplots()
            ax.bar([0], [1])
            return fig
        return FigureJob(f"figure-{name}", draw)

    files, done = render_figures([job("1-a"), job("2-b")], tmp_path, lambda: drawn.append(("tables", os.getpid())))
    assert drawn == [("tables", os.getpid()), ("1-a", os.getpid()), ("2-b", os.getpid())]
    assert [f[0].name for f in files] == ["figure-1-a_300dpi.png", "figure-2-b_300dpi.png"]


def test_written_files_get_the_usual_permissions_not_owner_only(tmp_path):
    # tempfile.mkstemp makes files 0600; a report a colleague cannot open on a shared server is a defect
    from helpers.paths import write_atomic
    umask = os.umask(0o022)
    try:
        export_study(_study(), _build(tmp_path / "out"))
        write_atomic(tmp_path / "plain.txt", b"x")
    finally:
        os.umask(umask)
    files = [p for p in (tmp_path / "out").rglob("*") if p.is_file() and p.parent.name in ("figures", "tables")]
    files += [tmp_path / "out" / "article.docx", tmp_path / "plain.txt"]
    assert {oct(p.stat().st_mode & 0o777) for p in files} == {oct(0o644)}
    assert not list(tmp_path.rglob(".*.tmp"))
