"""Article-ready figures in the house theme, and :func:`save_figure` writing them reproducibly.

The figures are drawn by :mod:`.figures_ratings` (distributions, groups, transitions, change) and
:mod:`.figures_results` (forest, base sensitivity), from the shared parts of :mod:`.figure_parts`;
they are re-exported here.

Every function takes tidy data and a language and returns a matplotlib Figure,
drawn inside :func:`helpers.export.theme.house_style` by the caller (or by
:func:`helpers.export.export_study`). No figure has a title: the caption goes in
the article ("Hình N." / "Figure N."), as journals ask.

- :func:`plot_distribution` — 100 % stacked bars per year and group, labelled with counts and percentages;
- :func:`plot_groups` — pilots vs the rest (or the province): share per level, one marker per group;
- :func:`plot_transitions` — paired transition matrix (heatmap) between two years, from unit-level data;
- :func:`plot_change` — change of each level's share since the baseline year, in percentage points;
- :func:`plot_forest` — effect sizes with confidence intervals, from the results table;
- :func:`plot_base_sensitivity` — a result (p-value) at each base recovered from printed percentages.
"""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib.pyplot as plt

from helpers import paths
from helpers.export.figure_parts import effect_label, group_label
from helpers.export.figures_ratings import plot_change, plot_distribution, plot_groups, plot_transitions
from helpers.export.figures_results import (
    NOT_EFFECTS, NULL_VALUES, SENSITIVITY_COLUMNS, plot_base_sensitivity, plot_forest,
)

__all__ = ["FIGURE_FORMATS", "NOT_EFFECTS", "NULL_VALUES", "SENSITIVITY_COLUMNS", "effect_label", "group_label",
           "plot_base_sensitivity", "plot_change", "plot_distribution", "plot_forest", "plot_groups",
           "plot_transitions", "save_figure"]

#: Formats written by :func:`save_figure`: file suffix → savefig keyword arguments.
FIGURE_FORMATS = {
    "_300dpi.png": {"format": "png", "dpi": 300, "pil_kwargs": {"compress_level": 3}},
    "_600dpi.png": {"format": "png", "dpi": 600, "pil_kwargs": {"compress_level": 3}},
    ".svg": {"format": "svg"},
    ".pdf": {"format": "pdf"},
}

#: Fixed metadata: no date, a fixed creator, so a rerun writes the same bytes.
_CREATOR = "helpers.export (matplotlib)"

_METADATA = {
    "png": {"Software": _CREATOR},
    "svg": {"Date": None, "Creator": _CREATOR},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": _CREATOR, "Producer": _CREATOR},
}

def save_figure(fig: plt.Figure, stem: str, out_dir: str | Path) -> tuple[Path, ...]:
    """Write ``fig`` as PNG (300 and 600 dpi), SVG (text kept as text) and PDF (TrueType fonts).

    A rerun writes the same bytes: no dates, a fixed creator, a fixed SVG hash salt. Each file
    is written to a temporary name and renamed, so no half-written file is ever left.

    Parameters
    ----------
    fig : Figure
    stem : str
        File name without suffix (e.g. ``'hinh-1-phan-bo'``); a path separator is refused.
    out_dir : str or Path
        Folder, created when missing.

    Returns
    -------
    tuple of Path
        ``<stem>_300dpi.png``, ``<stem>_600dpi.png``, ``<stem>.svg``, ``<stem>.pdf``.

    Notes
    -----
    The figure's layout is computed once and then frozen (its layout engine is set to none), so
    that the four files share one layout and the layout is not recomputed for each.
    """
    if not stem or "/" in stem or "\\" in stem or stem.startswith("."):
        raise ValueError(f"'stem' must be a plain file name without folder (got {stem!r}).")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    settings = {"svg.fonttype": "none", "svg.hashsalt": "helpers-export", "pdf.fonttype": 42}
    if fig.get_layout_engine() is not None:
        # lay the figure out once and freeze it: otherwise every savefig runs the layout again
        # (a full dry-run draw), which was half the export time; the layout is in inches, so the
        # same for every resolution and format
        fig.draw_without_rendering()
        fig.set_layout_engine("none")
    with plt.rc_context(settings):
        for suffix, data in _render(fig).items():
            path = out / f"{stem}{suffix}"
            paths.write_atomic(path, data)
            written.append(path)
    return tuple(written)

def _reduce(image, factor: float):
    """``image`` made ``factor`` times smaller: by averaging each block of factor × factor pixels when the
    factor is a whole number (600 → 300 dpi: 2 × 2 supersampling), else by Lanczos resampling."""
    from PIL import Image

    if float(factor).is_integer():
        return image.reduce(int(factor))
    return image.resize((round(image.width / factor), round(image.height / factor)), Image.LANCZOS)

def _render(fig: plt.Figure) -> dict[str, bytes]:
    """The bytes of each format of :data:`FIGURE_FORMATS`.

    The figure is rasterised once, at the highest resolution; lower resolutions are reductions of
    it (see :func:`_reduce`: supersampled, so at least as smooth as a direct rendering, and one
    Agg rendering fewer). PNG files carry only the fixed ``Software`` and ``dpi`` chunks, no time.
    """
    from PIL import Image, PngImagePlugin

    rendered = {}
    pngs = {suffix: options for suffix, options in FIGURE_FORMATS.items() if options["format"] == "png"}
    if pngs:
        top = max(options["dpi"] for options in pngs.values())
        canvas = fig.canvas
        old_dpi = fig.dpi
        try:
            fig.set_dpi(top)
            canvas.draw()
            image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
            if image.getextrema()[3] != (255, 255):
                # a see-through pixel: put it on white (an opaque figure, the usual case, needs no compositing)
                image = Image.alpha_composite(Image.new("RGBA", image.size, "white"), image)
            image = image.convert("RGB")
        finally:
            fig.set_dpi(old_dpi)
        for suffix, options in pngs.items():
            dpi = options["dpi"]
            scaled = image if dpi == top else _reduce(image, top / dpi)
            info = PngImagePlugin.PngInfo()
            info.add_text("Software", _CREATOR)
            buffer = io.BytesIO()
            scaled.save(buffer, format="png", pnginfo=info, dpi=(dpi, dpi),
                        **options.get("pil_kwargs", {}))
            rendered[suffix] = buffer.getvalue()
    for suffix, options in FIGURE_FORMATS.items():
        if options["format"] != "png":
            buffer = io.BytesIO()
            fig.savefig(buffer, metadata=_METADATA[options["format"]], facecolor="white", **options)
            rendered[suffix] = buffer.getvalue()
    return {suffix: rendered[suffix] for suffix in FIGURE_FORMATS}
