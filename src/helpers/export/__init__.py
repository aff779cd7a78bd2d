"""Article-ready figures, tables and the DOCX appendix of a study (notebook 04).

:func:`export_study` reads what the earlier steps wrote into a study's build folder
and writes ``figures/``, ``tables/`` and ``article.docx`` there (see
:mod:`.study_export`, which documents the study file's ``export:`` options).

Modules: :mod:`.glossary` (every word a reader sees, vi and en), :mod:`.theme`
(sizes, palette, fonts), :mod:`.data` (rating distributions in one tidy shape),
:mod:`.figures` (the figures and :func:`~helpers.export.figures.save_figure`),
:mod:`.tables` (tables in six formats), :mod:`.article` (the appendix),
:mod:`.study_export` (all of it for one study).

This package's ``__init__`` imports nothing: ``from helpers.export.glossary import term``
costs no matplotlib, so lower floors of the package can use the glossary.
"""

from __future__ import annotations

__all__ = ["EXPORT_COLUMNS", "EXPORT_OPTIONS", "ExportItem", "ExportResult", "check_export", "export_study"]


def __getattr__(name: str):
    if name in __all__:
        from helpers.export import study_export

        return getattr(study_export, name)
    raise AttributeError(f"module 'helpers.export' has no attribute {name!r}")
