"""`make clean` deletes generated outputs only; `make help` documents every target."""

from __future__ import annotations

import shutil
import subprocess

from helpers import paths


def test_make_clean_removes_outputs_and_never_touches_raw_data(tmp_path):
    shutil.copy(paths.ROOT / "Makefile", tmp_path / "Makefile")
    for relative in ("data/raw/published/a.csv", "data/processed/s/panel.csv", "reports/s/report.html",
                     "reports/.gitkeep", "data/processed/.gitkeep"):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("x")
    subprocess.run(["make", "-C", str(tmp_path), "clean"], check=True, capture_output=True)
    assert (tmp_path / "data/raw/published/a.csv").read_text() == "x"
    assert not (tmp_path / "data/processed/s").exists() and not (tmp_path / "reports/s").exists()
    assert (tmp_path / "reports/.gitkeep").exists() and (tmp_path / "data/processed/.gitkeep").exists()


def test_make_help_lists_every_documented_target():
    result = subprocess.run(["make", "-C", str(paths.ROOT), "help"], check=True, capture_output=True, text=True)
    for target in ("reproduce", "test", "lab", "bench", "clean", "teaching"):
        assert f"make {target}" in result.stdout
