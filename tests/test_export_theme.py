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


def test_resolve_font_missing_font_falls_back_with_warning_naming_it():
    # The fallback is the first installed font of FONT_PREFERENCE: Liberation Serif where Debian's
    # fonts-liberation2 is installed (CI installs it), else DejaVu Serif, which matplotlib ships.
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    expected = next(f for f in theme.FONT_PREFERENCE if f in installed)
    with pytest.warns(FontFallbackWarning, match=f"'No Such Font Vn' is not installed.*using '{expected}'"):
        assert resolve_font("No Such Font Vn") == expected


def test_resolve_font_font_without_vietnamese_glyphs_is_refused_with_warning():
    # cmr10 (Computer Modern, shipped with matplotlib) has no Vietnamese letters such as ự.
    with pytest.warns(FontFallbackWarning, match="'cmr10' lacks the glyphs"):
        assert resolve_font("cmr10") in theme.FONT_PREFERENCE


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
