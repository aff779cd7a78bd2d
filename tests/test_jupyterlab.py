"""JupyterLab as the project ships it: a code font with Vietnamese glyphs, and notebooks that say how to use them."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import nbformat
import pytest
from fontTools.ttLib import TTFont
from matplotlib import font_manager

from helpers import paths

SETTINGS = paths.ROOT / "jupyterlab" / "overrides.json"
THEMES = "@jupyterlab/apputils-extension:themes"
#: Every precomposed Vietnamese letter: the 134 of Latin Extended Additional (U+1EA0–U+1EF9) and the
#: base letters with a modifier (ă â đ ê ô ơ ư, both cases).
VIETNAMESE = "".join(chr(c) for c in range(0x1EA0, 0x1EFA)) + "ĂÂĐÊÔƠƯăâđêôơư" + "àáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ"


def _families() -> list[str]:
    text = json.loads(SETTINGS.read_text(encoding="utf-8"))[THEMES]["overrides"]["code-font-family"]
    return [f.strip().strip("'\"") for f in text.split(",")]


def test_the_setting_is_one_jupyterlab_knows():
    schema = Path(sys.prefix) / "share" / "jupyter" / "lab" / "schemas" / "@jupyterlab" / "apputils-extension" / "themes.json"
    known = json.loads(schema.read_text(encoding="utf-8"))["definitions"]["cssOverrides"]["properties"]
    assert set(json.loads(SETTINGS.read_text(encoding="utf-8"))[THEMES]["overrides"]) <= set(known)


def _font_file(family: str) -> str | None:
    try:
        return font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    except ValueError:
        return None


def test_the_first_code_font_is_installed_and_every_installed_one_covers_vietnamese():
    # DejaVu Sans Mono, the usual Linux monospace font, lacks the hook-above letters (ả, ẩ, ở, ...): JupyterLab then
    # draws "trô ́ng"-like text with a fallback mark; Liberation Mono (fonts-liberation2) has them all.
    families = _families()
    assert families[-1] == "monospace"
    assert _font_file(families[0]) is not None, f"{families[0]} is not installed"
    for family in families[:-1]:
        path = _font_file(family)
        if path is None:                 # Consolas, Courier New: Windows fonts, absent here
            continue
        font = TTFont(path, fontNumber=0)
        assert font["name"].getDebugName(1) == family
        cmap = font.getBestCmap()
        missing = [ch for ch in VIETNAMESE if ord(ch) not in cmap]
        assert missing == [], f"{family} lacks {''.join(missing)}"


def test_make_copies_the_settings_where_jupyterlab_reads_them():
    makefile = (paths.ROOT / "Makefile").read_text(encoding="utf-8")
    assert "LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json" in makefile
    stamp_rule = re.search(r"^\$\(STAMP\):(.*?)^\n", makefile, re.S | re.M).group(1)
    assert "jupyterlab/overrides.json" in stamp_rule.splitlines()[0]
    assert "cp jupyterlab/overrides.json $(LAB_SETTINGS)" in stamp_rule


@pytest.mark.parametrize("name", ["01-clean", "02-check-published", "03-test-pilots", "04-export"])
def test_each_step_notebook_opens_with_how_to_use_it(name):
    first = nbformat.read(paths.NOTEBOOKS / f"{name}.ipynb", as_version=4).cells[0]
    assert first.cell_type == "markdown"
    vi, en = first.source.split("**Cách dùng trong JupyterLab.**")[1].split("*How to use in JupyterLab")
    for text in (vi, en):
        assert '`study = "…"`' in text and "Run All Cells" in text
        # where params.check_parameters puts a hand run's outputs (output_dir = "")
        assert "`reports/_lab/<" in text and "/processed/`" in text



def test_a_hand_run_writes_where_the_notebooks_say(tmp_path, monkeypatch):
    # the behaviour the first cells describe: output_dir = "" means reports/_lab/<study>/
    from helpers import params

    monkeypatch.setattr(paths, "REPORTS", tmp_path / "reports")
    run = params.check_parameters({"study": "example-panel", "language": "", "output_dir": ""}, "01-clean")
    assert run.output_dir == tmp_path / "reports" / "_lab" / "example-panel" and run.output_dir.is_dir()
