"""The figure of the corpus mode (``check-published DIR --summary``): the share of articles with an error.

It lives here, in the export floor, because drawing and saving figures is export's job
(:func:`helpers.export.figures.save_figure`); the corpus summary itself is computed one floor
lower, in :mod:`helpers.published.extract.corpus`, which never imports this module: the
command line on top hands :func:`share_figure` down as the figure to draw.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

#: Statuses of the summary rows of articles whose numbers were checked (see ``CORPUS_COLUMNS``).
CHECKED = ("ok", "warning", "error")


def share_figure(summary: pd.DataFrame, out: str | Path, language: str = "vi") -> tuple[Path, ...]:
    """Bar figure: articles with rating numbers, with and without an error (and the share with one).

    Parameters
    ----------
    summary : pandas.DataFrame
        One row per article, columns ``CORPUS_COLUMNS`` of :mod:`helpers.published.extract.corpus`.
    out : str or Path
        Folder of the figure files (``share-with-error`` in every format of ``save_figure``).
    language : {'vi', 'en'}

    Returns
    -------
    tuple of Path
        The files written.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from helpers.export.figures import save_figure
    from helpers.export.glossary import term
    from helpers.numbers import format_percent

    checked = summary[summary["status"].isin(CHECKED)]
    n_error = int((checked["status"] == "error").sum())
    n_clean = len(checked) - n_error
    fig, ax = plt.subplots(figsize=(5, 3))
    ax.bar([term("articles_with_error", language), term("articles_without_error", language)], [n_error, n_clean],
           color=["#b2182b", "#999999"])
    ax.set_ylabel(term("articles_count", language))
    share = format_percent(n_error / len(checked) * 100, 1, language) if len(checked) else "–"
    ax.set_title(f"{term('caption_corpus_share', language)} ({term('share_with_error', language)}: {share}; "
                 f"n = {len(checked)})", fontsize=9)
    paths = save_figure(fig, "share-with-error", out)
    plt.close(fig)
    return paths
