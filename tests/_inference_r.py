"""R reference values for the inference tests (see tests/reference/inference.R).

``R_REFERENCE_JSON`` (set by CI after regenerating the file with R) overrides the committed
tests/reference/inference_r.json. ``r(name)`` returns the value (a float, or a list for
vectors); ``command(name)`` the R command that computed it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

REFERENCE = Path(os.environ.get("R_REFERENCE_JSON", Path(__file__).parent / "reference" / "inference_r.json"))
_DATA = json.loads(REFERENCE.read_text(encoding="utf-8"))


def r(name: str):
    value = _DATA[name]["value"]
    return value[0] if len(value) == 1 else value


def command(name: str) -> str:
    return _DATA[name]["command"]
