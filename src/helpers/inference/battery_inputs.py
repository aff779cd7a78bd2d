"""What the design runners of :mod:`helpers.inference.battery` read from one ``analyses:`` entry.

The reason that leads a refused row (the analysis label and id), the cut between "worse" and
"better" levels, a contrast collapsing four levels into two, the check that two scales can be
compared, and the pair of published tables a design compares.
"""

from __future__ import annotations

from helpers.export.glossary_ratings import SCALE_NOTES
from helpers.inference.published_counts import published_counts
from helpers.inference.results import Reason, refused_row, rows_to_frame
from helpers.scales import COMMON_ORDER, contrast as get_contrast


def _lead(entry: dict) -> Reason:
    label = entry.get("label")
    if isinstance(label, dict):
        return Reason(label["vi"], label["en"])
    return Reason(entry["id"], entry["id"])


def _cut_index(entry: dict) -> int | None:
    return COMMON_ORDER.index(entry["cut"]) if "cut" in entry else None


def _collapse(counts, contrast_name: str) -> tuple[int, int]:
    """(negative, positive) counts of a contrast."""
    c = get_contrast(contrast_name)
    pos = sum(counts[COMMON_ORDER.index(x)] for x in c.positive)
    return sum(counts) - pos, pos


def _scale_problem(scale_a: str, scale_b: str, entry: dict) -> Reason | None:
    """None when the comparison is allowed across the two scales, else why not."""
    if scale_a == scale_b:
        return None
    name = entry.get("contrast")
    if name is None:
        return _scale_note("scales_differ", scale_a, scale_b, "")
    if not get_contrast(name).valid_between(scale_a, scale_b):
        return _scale_note("contrast_not_equivalent", scale_a, scale_b, name)
    return None


def _scale_note(key: str, scale_a: str, scale_b: str, contrast: str) -> Reason:
    """The refusal :data:`helpers.export.glossary_ratings.SCALE_NOTES` words for two scales (and a contrast)."""
    vi, en = SCALE_NOTES[key]
    return Reason(vi.format(scale_a, scale_b, contrast), en.format(scale_a, scale_b, contrast))


def _published_pair(study, entry, published, keys, question, test):
    """The published counts of the two tables ``entry`` names under ``keys``, and a refusal frame or None.

    The refusal (the first table that cannot be used, for its reason) is one row of ``test``.
    """
    pair = [published_counts(published, entry[key]) for key in keys]
    for x in pair:
        if isinstance(x, Reason):
            return pair, rows_to_frame([refused_row(study, question, test, x, lead=_lead(entry))])
    return pair, None
