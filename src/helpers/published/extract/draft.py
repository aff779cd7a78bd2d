"""The draft table of one article: extract, write (atomically), read back for the checker.

Examples
--------
>>> draft = extract_text("Năm 2018, tổng số tổ chức cơ sở đảng được đánh giá là 59; "
...                      "tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ là 05 đơn vị (chiếm 8,5%).",
...                      source_id="demo")
>>> draft.rows[["category", "count", "percent"]].values.tolist()[1]
['hoàn thành xuất sắc nhiệm vụ', '05', '8,5%']
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.published.extract.documents import Document, read_document
from helpers.published.extract.rows import CONTRACT_COLUMNS, DRAFT_COLUMNS, Options, extract_rows

NO_NUMBERS = {"vi": "không tìm thấy số xếp loại nào", "en": "no rating numbers found"}


@dataclass(frozen=True)
class Draft:
    """The rows extracted from one article.

    Attributes
    ----------
    document : Document
        The article as read (``document.text[start:end]`` is each row's quote).
    rows : pandas.DataFrame
        Columns :data:`DRAFT_COLUMNS`, all text except ``start``, ``end`` (int) and ``confidence`` (float).
    skipped : pandas.DataFrame
        The rating numbers not taken: start, end, quote, reason (target, change, range, other topic,
        civil servants) — nothing is dropped without a trace.
    """

    document: Document
    rows: pd.DataFrame
    skipped: pd.DataFrame = None

    def skipped_summary(self) -> dict:
        """How many rating numbers were not taken, by reason (target, change, range, other topic, …)."""
        if self.skipped is None or self.skipped.empty:
            return {}
        return {k: int(v) for k, v in self.skipped["reason"].value_counts().sort_index().items()}

    @property
    def n_unsure(self) -> int:
        """Rows with ``confidence`` below 1."""
        return int((self.rows["confidence"] < 1).sum())

    def to_csv(self, contract_only: bool = False) -> str:
        """The draft as CSV text (the contract columns only when asked).

        Text cells go through the project's formula-injection guard (:func:`helpers.tabular.neutralise`):
        a quote such as ``"- 34 đơn vị …"`` (a list item) would otherwise run as a formula when the draft is
        opened in Excel for review. The published reader removes the guard when it reads the draft back.
        """
        from helpers.tabular import neutralise_frame

        columns = CONTRACT_COLUMNS if contract_only else DRAFT_COLUMNS
        out = io.StringIO()
        neutralise_frame(self.rows[columns]).to_csv(out, index=False, lineterminator="\n",
                                                     quoting=csv.QUOTE_MINIMAL)
        return out.getvalue()


def _frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=DRAFT_COLUMNS)
    frame["start"] = frame["start"].astype("int64")
    frame["end"] = frame["end"].astype("int64")
    frame["confidence"] = frame["confidence"].astype("float64")
    return frame


def _skipped_frame(skipped: list) -> pd.DataFrame:
    return pd.DataFrame(skipped, columns=["start", "end", "quote", "reason"])


def extract_text(text: str, source_id: str = "article", year: int | None = None, place: str | None = None,
                 url: str = "") -> Draft:
    """Extract the rating numbers of an article given as text (see :func:`extract_article`)."""
    from helpers.published.extract.documents import normalise_article_text

    clean, legacy = normalise_article_text(text)
    document = Document(path="", kind="text", text=clean, legacy_encoding=legacy)
    options = Options(source_id=source_id, year=year, place=place, url=url)
    skipped: list = []
    rows = extract_rows(clean, options, skipped)
    return Draft(document, _frame(rows), _skipped_frame(skipped))


def extract_article(path: str | Path, source_id: str | None = None, year: int | None = None,
                    place: str | None = None, url: str = "") -> Draft:
    """Read one article file and extract its rating numbers.

    Parameters
    ----------
    path : str or Path
        ``.txt``, ``.md``, ``.docx``, ``.pdf`` or ``.html``.
    source_id : str, optional
        Default: the file's stem.
    year, place : optional
        Used when the text names no year (place) before a number.
    url : str
        Written in every row's ``url``.

    Returns
    -------
    Draft

    Raises
    ------
    DocumentError
        When the file cannot be read (see :mod:`.documents`).
    """
    document = read_document(path)
    options = Options(source_id=source_id or Path(path).stem, year=year, place=place, url=url)
    skipped: list = []
    rows = extract_rows(document.text, options, skipped)
    return Draft(document, _frame(rows), _skipped_frame(skipped))


def write_draft(drafts: list[Draft], output: str | Path) -> None:
    """Write the drafts as one CSV (UTF-8 with BOM, so Excel shows the Vietnamese text), atomically (a
    temporary file beside ``output``, then renamed)."""
    from helpers.paths import temporary_beside

    output = Path(output)
    frame = pd.concat([d.rows for d in drafts], ignore_index=True) if drafts else _frame([])
    text = Draft(Document("", "text", ""), frame).to_csv()
    temporary = temporary_beside(output)
    try:
        temporary.write_text(text, encoding="utf-8-sig")
        os.replace(temporary, output)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
