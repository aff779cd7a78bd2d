"""House theme: Vietnamese glyphs, font fallback, language of labels (helpers.export.theme)."""

from __future__ import annotations

import warnings

import matplotlib.pyplot as plt
import pytest
import yaml

from helpers import paths
from helpers.export import glossary, theme
from helpers.export.theme import FontFallbackWarning, house_style, resolve_font, year_label


def _scale_labels() -> list[str]:
    """Every Vietnamese label, abbreviation and variant of src/helpers/data/scales.yaml."""
    data = yaml.safe_load((paths.PACKAGE_DATA / "scales.yaml").read_text(encoding="utf-8"))
    labels = []
    for scale in data["scales"]:
        labels.append(scale.get("label_vi", ""))
        for level in scale["levels"]:
            labels += [level["label_vi"], level.get("abbreviation") or ""] + list(level.get("variants") or [])
    for contrast in data.get("contrasts", {}).values():
        labels.append(contrast["label_vi"])
    return [label for label in labels if label]


def test_every_vietnamese_label_draws_without_missing_glyph():
    labels = _scale_labels() + [v[0] for v in glossary.TERMS.values()] + [v["vi"] for v in theme.CODE_LABELS.values()]
    labels += [v["vi"] for v in theme.CODE_NAMES.values()] + ["Năm 2011", "Hình 1.", "Bảng 1.", "ẫ ỹ ự ộ Đ đ ơ ư"]
    labels.append(theme.VIETNAMESE_GLYPHS)
    assert len(labels) > 40  # the scales file really was read
    with house_style() as font, warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font(s)" becomes a failure
        fig = plt.figure(figsize=(8, 30))
        for i, label in enumerate(labels):
            fig.text(0.01, 1 - (i + 1) / (len(labels) + 1), label, fontsize=6)
        fig.canvas.draw()
        plt.close(fig)
    assert theme.missing_glyphs(theme._font_path(font)) == ""


def test_missing_glyph_would_fail_the_test_above():
    # The check above is not vacuous: a glyph outside the font does raise under simplefilter("error").
    with house_style(), warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = plt.figure()
        fig.text(0.1, 0.5, "\u4e2d", family="Liberation Serif")
        with pytest.raises(UserWarning, match="missing from font"):
            fig.canvas.draw()
        plt.close(fig)


def _fonts(*entries):
    """A font list made of matplotlib's own files (present on every machine), under the family names given:
    (family, file name in matplotlib's fonts/ttf, style, weight)."""
    import os

    import matplotlib
    from matplotlib import font_manager

    folder = os.path.join(matplotlib.get_data_path(), "fonts", "ttf")
    return [font_manager.FontEntry(fname=os.path.join(folder, file), name=family, style=style, weight=weight)
            for family, file, style, weight in entries]


# cmr10 (Computer Modern) has no Vietnamese letters; DejaVu Serif has them all (both ship with matplotlib).
COMPLETE, INCOMPLETE = "DejaVuSerif.ttf", "cmr10.ttf"


def test_resolve_font_prefers_times_new_roman_then_liberation_serif_silently():
    fonts = _fonts(("Times New Roman", COMPLETE, "normal", 400), ("Liberation Serif", COMPLETE, "normal", 400),
                   ("DejaVu Serif", COMPLETE, "normal", 400))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert resolve_font(fonts=fonts) == "Times New Roman"
        assert resolve_font(fonts=fonts[1:]) == "Liberation Serif"  # no Times: its metric twin, no warning


def test_resolve_font_checks_every_file_of_a_family():
    # Debian's fonts-liberation 1.x (no Vietnamese) beside liberation2: the family is usable, in either order.
    old_first = _fonts(("Liberation Serif", INCOMPLETE, "normal", 400), ("Liberation Serif", COMPLETE, "normal", 400),
                       ("DejaVu Serif", COMPLETE, "normal", 400))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert resolve_font(fonts=old_first) == "Liberation Serif"
        assert resolve_font(fonts=old_first[1::-1] + old_first[2:]) == "Liberation Serif"


def test_resolve_font_family_with_only_incomplete_files_falls_back_with_warning():
    fonts = _fonts(("Liberation Serif", INCOMPLETE, "normal", 400), ("DejaVu Serif", COMPLETE, "normal", 400))
    with pytest.warns(FontFallbackWarning, match="'Liberation Serif' lacks the glyphs.*using 'DejaVu Serif'"):
        assert resolve_font(fonts=fonts) == "DejaVu Serif"


def test_resolve_font_missing_font_falls_back_with_warning_naming_it():
    fonts = _fonts(("Liberation Serif", COMPLETE, "normal", 400))
    with pytest.warns(FontFallbackWarning, match="'No Such Font Vn' is not installed.*using 'Liberation Serif'"):
        assert resolve_font("No Such Font Vn", fonts=fonts) == "Liberation Serif"


def test_resolve_font_without_any_complete_font_says_so():
    with pytest.raises(ValueError, match="no installed font can draw"):
        resolve_font(fonts=_fonts(("DejaVu Serif", INCOMPLETE, "normal", 400)))


def test_resolve_font_font_without_vietnamese_glyphs_is_refused_with_warning():
    # cmr10 (Computer Modern, shipped with matplotlib) has no Vietnamese letters such as ự.
    with pytest.warns(FontFallbackWarning, match="'cmr10' lacks the glyphs"):
        assert resolve_font("cmr10") in theme.FONT_PREFERENCE


def test_house_style_draws_with_a_complete_file_of_the_family(tmp_path):
    # Whatever the machine has, the family in force is drawn from a file with every Vietnamese glyph.
    with house_style() as family:
        assert theme.missing_glyphs(theme._font_path(family)) == ""


def test_resolve_font_installed_font_gives_no_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert resolve_font("DejaVu Serif") == "DejaVu Serif"


def test_year_label_by_language():
    assert year_label(2011, "vi") == "Năm 2011"  # no thousands dot in a year
    assert year_label(2011, "en") == "2011"


def test_wrap_label_breaks_long_text():
    wrapped = theme.wrap_label("tổ chức đảng làm điểm gắn với xây dựng nông thôn mới", 16)
    assert all(len(line) <= 16 for line in wrapped.split("\n"))
    assert wrapped.replace("\n", " ") == "tổ chức đảng làm điểm gắn với xây dựng nông thôn mới"


def test_palette_lightness_is_ordered_for_greyscale():
    lum = [theme.luminance(theme.LEVEL_COLOURS[level]) for level in theme.LEVELS]
    assert lum == sorted(lum, reverse=True)  # fail lightest ... top darkest
    assert min(a - b for a, b in zip(lum, lum[1:])) > 0.05


def test_prefer_complete_files_makes_matplotlib_draw_the_complete_file(monkeypatch):
    import os

    from matplotlib import font_manager

    family = "Family Installed Twice Vn"
    old, new = _fonts((family, INCOMPLETE, "normal", 400), (family, COMPLETE, "normal", 400))
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [old, new] + font_manager.fontManager.ttflist)
    font_manager.fontManager._findfont_cached.cache_clear()
    try:
        find = lambda: font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)  # noqa: E731
        assert os.path.basename(os.fspath(find())) == INCOMPLETE  # matplotlib alone takes the first file: the incomplete one
        theme.prefer_complete_files(family)
        assert os.path.basename(os.fspath(find())) == COMPLETE
    finally:
        font_manager.fontManager._findfont_cached.cache_clear()
        theme._font_path.cache_clear()
