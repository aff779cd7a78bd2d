"""One error type for bad input, listing every problem at once.

Each :class:`Problem` names where it is (file, sheet, row, column), what was
found (value) and the rule it breaks, so a newcomer can open the file and fix
it without reading a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

PROBLEM_COLUMNS = ["file", "sheet", "row", "column", "value", "rule"]

#: Longest value echoed in a message; a longer one is cut, with the number of characters left out.
SHOWN_CHARACTERS = 200


def cut(text: str, limit: int = SHOWN_CHARACTERS) -> str:
    """``text`` itself, or its first ``limit`` characters and "… (N more characters)" when it is longer."""
    text = str(text)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text) - limit:,} more characters)"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place of an input file.

    ``row`` is the row number a person sees in a spreadsheet program (1-based,
    header included) or ``None`` when the problem concerns the whole file.
    """

    file: str
    rule: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: object = None
    #: What ``column`` names, as said in messages: a spreadsheet "column", a study-file "field",
    #: a notebook "parameter".
    kind: str = "column"

    def __str__(self) -> str:
        where = [str(self.file)]
        if self.sheet is not None:
            where.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"{self.kind} '{self.column}'")
        if self.value is None:
            value = ""
        else:
            value = f": value {cut(self.value)!r}" if isinstance(self.value, str) else f": value {cut(repr(self.value))}"
        return f"{cut(', '.join(where), 2 * SHOWN_CHARACTERS)}{value} — {cut(self.rule, 2 * SHOWN_CHARACTERS)}"


class InputError(ValueError):
    """Raised at public entry points when input files or parameters are wrong.

    ``problems`` holds every problem found, not only the first.
    """

    def __init__(self, problems: Iterable[Problem], headline: str = "the input has problems"):
        self.problems = tuple(problems)
        self.headline = headline
        lines = [f"{headline} ({len(self.problems)} found):"]
        lines += [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))

    def to_frame(self):
        """The problems as a DataFrame with columns file, sheet, row, column, value, rule."""
        import pandas as pd  # imported here: the runner loads this module and must start fast

        return pd.DataFrame(
            [{c: getattr(p, c) for c in PROBLEM_COLUMNS} for p in self.problems],
            columns=PROBLEM_COLUMNS,
        )
