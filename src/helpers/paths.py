"""Every path of the project, anchored to this file rather than the working directory.

The layout is fixed: ``data/raw`` is immutable input, ``data/processed`` and
``reports`` are generated and may be deleted at any time.
"""

from __future__ import annotations

import os
from pathlib import Path

#: Repository root. ``HELPERS_ROOT`` overrides it (used by tests to run in a scratch copy).
ROOT = Path(os.environ.get("HELPERS_ROOT", Path(__file__).resolve().parents[2])).resolve()
DATA_RAW = ROOT / "data" / "raw"
DATA_PROCESSED = ROOT / "data" / "processed"
REPORTS = ROOT / "reports"
STUDIES = ROOT / "studies"
NOTEBOOKS = ROOT / "notebooks"
PACKAGE = Path(__file__).resolve().parent
PACKAGE_DATA = PACKAGE / "data"

#: Name of the Jupyter kernel registered inside ``.venv`` by ``make reproduce``.
KERNEL_NAME = "party-ratings"


def raw_path(relative: str | Path) -> Path:
    """Resolve a path written in a study file (relative to ``data/raw/``)."""
    path = Path(relative)
    return path if path.is_absolute() else DATA_RAW / path
