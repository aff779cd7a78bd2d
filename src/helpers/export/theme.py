"""The house theme of every figure: sizes, colours, fonts and words, in Vietnamese or English.

One theme for all figures so that an article looks like one piece of work:

- widths of a journal column: 8,5 cm (single) and 17,5 cm (double);
- four rating levels coloured from light (fail) to dark (top) in ColorBrewer
  *YlGnBu*, a colour-blind-safe sequential palette whose lightness is ordered,
  so the order survives black-and-white print; the failing level is hatched too;
- a serif font that has every Vietnamese glyph: Times New Roman where installed
  (the font of Vietnamese journals), else Liberation Serif 2 (its metric twin; version 1
  lacks Vietnamese letters), else DejaVu Serif shipped with matplotlib. Every installed
  file of a family is checked, so an old incomplete file beside a complete one (Debian's
  fonts-liberation 1.x beside liberation2) neither rejects the family nor is drawn with;
  a font asked for but missing or incomplete falls back with a
  :class:`FontFallbackWarning` naming it;
- the words of the figures (axis titles, captions, legend titles) in the study's
  language; numbers only through :mod:`helpers.numbers`.

References
----------
Brewer, C. A., Hatchard, G. W., & Harrower, M. A. (2003). ColorBrewer in print: a catalog of color
schemes for maps. *Cartography and Geographic Information Science*, 30(1), 5–32.
https://doi.org/10.1559/152304003100010929
"""

from __future__ import annotations

import contextlib
import textwrap
import warnings
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")  # export never opens a window; set before pyplot is imported anywhere here

from matplotlib import font_manager  # noqa: E402
from matplotlib.ft2font import FT2Font  # noqa: E402

from helpers.export.glossary import term  # noqa: E402
from helpers.export.glossary_ratings import CODE_NAMES as _CODE_NAMES  # noqa: E402
from helpers.export.glossary_ratings import CODES, by_language, code_label  # noqa: E402,F401 (re-exported)
from helpers.export.glossary_ratings import LEVELS as _LEVELS  # noqa: E402
from helpers.numbers import check_language, format_number  # noqa: E402

CM = 1 / 2.54  #: inches per centimetre
SINGLE_COLUMN_CM = 8.5
DOUBLE_COLUMN_CM = 17.5

#: Fonts tried in order when the study does not name one: Times New Roman, the font of Vietnamese
#: journals; Liberation Serif 2 (Debian fonts-liberation2), its metric twin; DejaVu Serif, shipped with
#: matplotlib. Falling back from the first two is silent; reaching DejaVu is said with a warning.
FONT_PREFERENCE = ("Times New Roman", "Liberation Serif", "DejaVu Serif", "DejaVu Sans")
#: Fonts whose metrics are those of Times New Roman: using one of them needs no warning.
TIMES_METRICS = ("Times New Roman", "Liberation Serif")

#: Characters every figure font must have: the Vietnamese alphabet in both cases, with all tone marks,
#: plus the typographic signs the figures print (en dash, minus, ellipsis, per cent, arrows).
VIETNAMESE_GLYPHS = (
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
    "AÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬBCDĐEÈÉẺẼẸÊỀẾỂỄỆGHIÌÍỈĨỊKLMNOÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢPQRSTUÙÚỦŨỤƯỪỨỬỮỰVXYỲÝỶỸỴ"
    "0123456789%–−…→·"
)

#: The four common rating levels, worst first (``common_order`` 0..3 of helpers.scales).
LEVELS = ("fail", "pass", "good", "top")

#: ColorBrewer YlGnBu, 5 classes without the palest: CIE L* ≈ 83, 68, 50, 27 — ordered in grey.
LEVEL_COLOURS = {"fail": "#a1dab4", "pass": "#41b6c4", "good": "#2c7fb8", "top": "#253494"}
#: Hatching marks the failing level so that it is told apart even when printed faintly.
LEVEL_HATCHES = {"fail": "////", "pass": "", "good": "", "top": ""}
#: Lines of groups (pilots, the rest, ...): colour-blind-safe Okabe–Ito colours with distinct markers and dashes.
GROUP_STYLES = (
    {"color": "#0072B2", "marker": "o", "linestyle": "-"},
    {"color": "#D55E00", "marker": "s", "linestyle": "--"},
    {"color": "#009E73", "marker": "^", "linestyle": ":"},
    {"color": "#000000", "marker": "D", "linestyle": "-."},
)
#: Short printed name of each rating code, full name (for notes) and name of each common level when a
#: figure spans several scales: all three read from the glossary (helpers.export.glossary_ratings), the one
#: place where level words are kept; a level's name starts a label, so its first letter is upper-case.
CODE_LABELS = by_language(CODES)
CODE_NAMES = by_language(_CODE_NAMES)
LEVEL_LABELS = by_language(_LEVELS, label=True)

#: Old keys of :func:`text` that the glossary names differently.
_TEXT_ALIASES = {"rating_from": "rating_in", "rating_to": "rating_in", "effect": "effect_ci"}


class FontFallbackWarning(UserWarning):
    """A font asked for is missing or lacks a glyph; another one is used (both are named)."""


def text(key: str, language: str, **fields) -> str:
    """The word ``key`` of :data:`helpers.export.glossary.TERMS` in ``language``, ``{fields}`` filled in."""
    return term(_TEXT_ALIASES.get(key, key), language, **fields)


def year_label(year, language: str) -> str:
    """``'Năm 2011'`` (vi) or ``'2011'`` (en); years are never grouped (no ``2.011``)."""
    shown = format_number(int(year), 0, language, thousands=False)
    return f"{text('year', language)} {shown}" if language == "vi" else shown


def wrap_label(label: str, width: int) -> str:
    """Wrap ``label`` onto lines of at most ``width`` characters (a word longer than that is broken)."""
    return "\n".join(textwrap.wrap(str(label), width=max(4, int(width)), break_long_words=True)) or str(label)


def luminance(colour: str) -> float:
    """Relative luminance (WCAG 2) of a colour, 0 (black) to 1 (white)."""
    r, g, b = matplotlib.colors.to_rgb(colour)

    def channel(c):
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def text_colour_on(colour: str) -> str:
    """Black or white, whichever reads better on ``colour``."""
    return "black" if luminance(colour) > 0.25 else "white"


@lru_cache(maxsize=32)
def _font_path(name: str) -> str | None:
    try:
        return font_manager.findfont(font_manager.FontProperties(family=name), fallback_to_default=False)
    except ValueError:
        return None


@lru_cache(maxsize=256)
def missing_glyphs(font_path: str, characters: str = VIETNAMESE_GLYPHS) -> str:
    """The characters of ``characters`` that the font file at ``font_path`` cannot draw."""
    font = FT2Font(font_path)
    return "".join(ch for ch in dict.fromkeys(characters) if not ch.isspace() and font.get_char_index(ord(ch)) == 0)


def _regular(entry) -> bool:
    weight = entry.weight if isinstance(entry.weight, int) else {"normal": 400, "regular": 400, "book": 400}.get(
        str(entry.weight).lower(), 0)
    return entry.style == "normal" and 350 <= weight <= 500


def font_files(family: str, fonts=None) -> list:
    """Every installed font file (matplotlib ``FontEntry``) of ``family``; ``fonts`` replaces the
    installed list (for tests)."""
    fonts = font_manager.fontManager.ttflist if fonts is None else fonts
    return [entry for entry in fonts if entry.name == family]


def resolve_font(requested: str | None = None, characters: str = VIETNAMESE_GLYPHS, fonts=None) -> str:
    """Pick the figure font: ``requested`` if installed and complete, else the first good one of
    :data:`FONT_PREFERENCE`.

    A family is good when at least one of its regular (upright, normal-weight) files has every
    character of ``characters``; every installed file of the family is looked at, not only the
    first one found.

    Parameters
    ----------
    requested : str or None
        A font family name (the study's ``export: font:``). None tries :data:`FONT_PREFERENCE`.
    characters : str
        Glyphs the font must have (default: the whole Vietnamese alphabet).
    fonts : list of matplotlib FontEntry, optional
        The fonts to choose among (default: the installed ones). Tests pass their own list so that
        they hold whatever fonts the machine has.

    Returns
    -------
    str
        The family name to use.

    Warns
    -----
    FontFallbackWarning
        When ``requested`` is not installed or lacks some of ``characters``, or when no font with
        the metrics of Times New Roman (:data:`TIMES_METRICS`) is usable; the message names the
        font asked for, the missing glyphs and the font used.

    Raises
    ------
    ValueError
        When no font at all can draw ``characters``.
    """
    candidates = ([requested] if requested else []) + [f for f in FONT_PREFERENCE if f != requested]
    problems = []
    for name in candidates:
        files = font_files(name, fonts)
        if not files:
            problems.append(f"font '{name}' is not installed")
            continue
        regular = [f for f in files if _regular(f)] or files
        lacking = [missing_glyphs(f.fname, characters) for f in regular]
        if all(lacking):
            problems.append(f"font '{name}' lacks the glyphs {min(lacking, key=len)!r}")
            continue
        if problems and (requested or name not in TIMES_METRICS):
            hint = "" if name in TIMES_METRICS else " (Debian: apt install fonts-liberation2)"
            warnings.warn(f"{'; '.join(problems)}{hint}; using '{name}' instead.", FontFallbackWarning,
                          stacklevel=2)
        return name
    raise ValueError(f"no installed font can draw every character needed: {'; '.join(problems)}")


def prefer_complete_files(family: str, characters: str = VIETNAMESE_GLYPHS) -> None:
    """Make matplotlib draw ``family`` from its files that have every glyph of ``characters``.

    Files of one family score alike and matplotlib takes the first; the incomplete ones (an old
    Liberation Serif 1.x beside version 2) are moved behind the complete ones, and the font
    look-up cache is cleared. Files of other families are left in place.
    """
    ttflist = font_manager.fontManager.ttflist
    bad = {id(f) for f in font_files(family) if missing_glyphs(f.fname, characters)}
    if not bad:
        return
    ordered = sorted(ttflist, key=lambda f: id(f) in bad)  # stable: the rest keep their order
    if [id(f) for f in ordered] != [id(f) for f in ttflist]:
        ttflist[:] = ordered
        font_manager.fontManager._findfont_cached.cache_clear()
        _font_path.cache_clear()


def rc_params(font: str) -> dict:
    """The matplotlib settings of the house theme for the family ``font``."""
    return {
        "font.family": "serif" if "Sans" not in font else "sans-serif",
        "font.serif": [font, "DejaVu Serif"],
        "font.sans-serif": [font, "DejaVu Sans"],
        "font.size": 8,
        "axes.titlesize": 8,
        "axes.labelsize": 8,
        "xtick.labelsize": 7,
        "ytick.labelsize": 7,
        "legend.fontsize": 7,
        "legend.title_fontsize": 7,
        "legend.frameon": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.linewidth": 0.6,
        "xtick.major.width": 0.6,
        "ytick.major.width": 0.6,
        "hatch.linewidth": 0.6,
        "hatch.color": "#1a1a1a",
        "figure.dpi": 100,
        "savefig.dpi": 300,
        "figure.constrained_layout.use": True,
        "svg.fonttype": "none",
        "svg.hashsalt": "helpers-export",
        "pdf.fonttype": 42,
        "ps.fonttype": 42,
        "axes.formatter.use_locale": False,
        "axes.unicode_minus": True,
        "path.simplify": True,
        "mathtext.fontset": "custom",
        "mathtext.rm": font,
        "mathtext.it": f"{font}:italic",
        "mathtext.bf": f"{font}:bold",
        "mathtext.sf": font,
        "mathtext.tt": font,
        "mathtext.cal": font,
        "mathtext.bfit": f"{font}:italic:bold",
        "mathtext.default": "regular",
    }


@contextlib.contextmanager
def house_style(font: str | None = None):
    """Context in which figures are drawn and saved with the house theme.

    Yields the font family in force (see :func:`resolve_font`).
    """
    family = resolve_font(font)
    prefer_complete_files(family)
    with matplotlib.rc_context(rc_params(family)):
        yield family


def figure_size(width: str = "double", height_cm: float = 7.0) -> tuple[float, float]:
    """Figure size in inches for a ``'single'`` (8,5 cm) or ``'double'`` (17,5 cm) column."""
    if width not in ("single", "double"):
        raise ValueError(f"'width' must be 'single' or 'double' (got {width!r}).")
    return ((SINGLE_COLUMN_CM if width == "single" else DOUBLE_COLUMN_CM) * CM, height_cm * CM)
