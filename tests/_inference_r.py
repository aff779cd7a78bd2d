"""R reference values for the inference tests (tests/reference/inference.R and verdict.R).

CI regenerates both files with R and points the tests at the fresh copies: ``R_REFERENCE_JSON``
overrides tests/reference/inference_r.json and ``VERDICT_R_REFERENCE_JSON`` overrides
tests/reference/verdict_r.json. Without R, the committed (recorded) values are used.
``r(name)`` returns an inference.R value (a float, or a list for vectors), ``command(name)`` the R
command that computed it; ``verdict_r(name)`` the same for verdict.R.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

_HERE = Path(__file__).parent / "reference"
REFERENCE = Path(os.environ.get("R_REFERENCE_JSON", _HERE / "inference_r.json"))
VERDICT_REFERENCE = Path(os.environ.get("VERDICT_R_REFERENCE_JSON", _HERE / "verdict_r.json"))
_DATA = json.loads(REFERENCE.read_text(encoding="utf-8"))
VERDICT_DATA = json.loads(VERDICT_REFERENCE.read_text(encoding="utf-8"))


def _value(data: dict, name: str):
    value = data[name]["value"]
    return value[0] if len(value) == 1 else value


def r(name: str):
    return _value(_DATA, name)


def command(name: str) -> str:
    return _DATA[name]["command"]


def verdict_r(name: str):
    return _value(VERDICT_DATA, name)
