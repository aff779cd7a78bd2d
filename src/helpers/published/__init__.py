"""Check published statistics: every count, total and percentage an article prints.

Layers: :mod:`.printed` (parse printed numbers exactly) → :mod:`.rounding`
(rounding schemes, the true values behind a printed number, GRIM
probability) → :mod:`.reader` (read the tables; :mod:`.workbook` for the
visible sheets of an XLSX) → :mod:`.bases` (recover
unknown denominators) → :mod:`.cell` (one percentage against one count) →
:mod:`.structure` (a table as a tree: total → levels → "trong đó" parts, with
"trở lên" levels) → :mod:`.checks` (the rules of one table, with
:mod:`.relations` for counts that must add up, :mod:`.sums` for percentages
and :mod:`.denominators` for the base) → :mod:`.audit` (all tables) →
:mod:`.cli` (``python -m helpers check-published``).
"""

from helpers.published.audit import SUMMARY_COLUMNS, PublishedAudit, check_published
from helpers.published.bases import BaseCandidate, BaseCandidates, recover_bases
from helpers.published.cell import PercentVerdict, check_percent
from helpers.published.checks import FINDING_COLUMNS
from helpers.published.printed import PrintedNumber, parse_printed
from helpers.published.reader import PUBLISHED_COLUMNS, read_published
from helpers.published.rounding import grim_probability

__all__ = [
    "read_published", "check_published", "recover_bases", "PublishedAudit", "BaseCandidate", "BaseCandidates",
    "FINDING_COLUMNS", "SUMMARY_COLUMNS", "PUBLISHED_COLUMNS", "check_percent", "parse_printed", "PrintedNumber",
    "PercentVerdict", "grim_probability",
]
