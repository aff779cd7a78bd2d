"""Check published statistics: every count, total and percentage an article prints.

Layers: :mod:`.printed` (parse printed numbers exactly) → :mod:`.rounding`
(rounding schemes and the true values behind a printed number) →
:mod:`.reader` (read the tables) → :mod:`.checks` (one cell, one table) →
:mod:`.bases` (recover unknown denominators) → :mod:`.audit` (all tables) →
:mod:`.cli` (``python -m helpers check-published``).
"""

from helpers.published.audit import SUMMARY_COLUMNS, PublishedAudit, check_published
from helpers.published.bases import BaseCandidate, BaseCandidates, recover_bases
from helpers.published.checks import FINDING_COLUMNS, check_percent
from helpers.published.printed import PrintedNumber, parse_printed
from helpers.published.reader import PUBLISHED_COLUMNS, read_published

__all__ = [
    "read_published", "check_published", "recover_bases", "PublishedAudit", "BaseCandidate", "BaseCandidates",
    "FINDING_COLUMNS", "SUMMARY_COLUMNS", "PUBLISHED_COLUMNS", "check_percent", "parse_printed", "PrintedNumber",
]
