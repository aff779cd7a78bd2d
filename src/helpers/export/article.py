"""The article appendix (``article.docx``): verdict first, then methods, results in prose, tables and figures.

Written in the study's language for pasting into a manuscript: Times New Roman 13 pt on
A4, document language vi-VN (en-US in English).

- When the build folder has ``verdict.json`` (see :func:`read_verdict`), the appendix opens
  with its headline and one short paragraph per claim (the claim's sentence and its caveats).
  Without it, nothing is said about verdicts.
- The results section gives one short paragraph per analysis, from the results table's
  sentences (never rewritten here, only cleared of configuration keys by
  :func:`helpers.export.glossary.replace_keys`); the test battery is left to its table.
- A guide sentence cites every table and figure in the order they are numbered, so that
  "Hình N." follows the order of citation; tables carry "Bảng N." above and their note below,
  figures "Hình N." below (the journal convention).
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers import paths
from helpers.errors import InputError, Problem
from helpers.export.glossary import CLAIMS, claim_name, replace_keys, term
from helpers.export.office import _paragraph, add_table, normalise_ooxml, setup_document
from helpers.export.tables import ExportTable
from helpers.export.theme import DOUBLE_COLUMN_CM
from helpers.numbers import check_language, format_count

#: Page: A4 with 2 cm margins, so a double-column figure (17,5 cm) is scaled to the 17 cm text width.
PAGE_WIDTH_CM, PAGE_HEIGHT_CM, MARGIN_CM = 21.0, 29.7, 2.0
#: Fields every verdict.json must have, and every claim in it.
VERDICT_FIELDS = ("headline_vi", "headline_en", "claims")
CLAIM_FIELDS = ("id", "conclusion", "sentence_vi", "sentence_en")


@dataclass(frozen=True)
class ArticleFigure:
    """A figure for the article: the PNG to insert, its caption (without number) and width in cm."""

    png: Path
    caption: str
    width_cm: float = DOUBLE_COLUMN_CM


@dataclass(frozen=True)
class Prose:
    """One paragraph of the results: a bold lead (may be empty) and its text."""

    lead: str
    text: str


def read_verdict(output_dir: str | Path) -> dict | None:
    """``verdict.json`` of a build folder, or None when there is none.

    The file holds ``{"headline_vi", "headline_en", "claims": [{"id", "conclusion",
    "primary_test", "p_value", "effect", "effect_name", "ci_low", "ci_high", "n_pilots",
    "n_comparison", "sentence_vi", "sentence_en", "caveats": [...]}]}``.

    Raises
    ------
    InputError
        When the file is not JSON or lacks a field of :data:`VERDICT_FIELDS` or a claim a field of
        :data:`CLAIM_FIELDS` (every problem listed, naming the file and the claim).
    """
    path = Path(output_dir) / "verdict.json"
    if not path.exists():
        return None
    try:
        verdict = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise InputError([Problem(file=str(path), rule=f"not valid JSON ({error})")],
                         "cannot read the verdict") from None
    if not isinstance(verdict, dict):
        raise InputError([Problem(file=str(path), rule="must be a JSON object")], "cannot read the verdict")
    problems = [Problem(file=str(path), column=k, rule="missing field of verdict.json")
                for k in VERDICT_FIELDS if k not in verdict]
    for index, claim in enumerate(verdict.get("claims") or []):
        missing = [k for k in CLAIM_FIELDS if not isinstance(claim, dict) or k not in claim]
        if missing:
            problems.append(Problem(file=str(path), row=index + 1, column=", ".join(missing),
                                    rule="missing field(s) of a claim"))
    if problems:
        raise InputError(problems, "cannot read the verdict")
    return verdict


def clean_sentence(sentence: str, language: str, lead: str = "") -> str:
    """A sentence as the appendix prints it: configuration keys put into words, ``lead: `` removed
    from its start when the paragraph already shows it in bold."""
    sentence = replace_keys(str(sentence).strip(), language)
    if lead and sentence.startswith(lead + ":"):
        sentence = sentence[len(lead) + 1:].strip()
        sentence = sentence[:1].upper() + sentence[1:]
    return sentence


def _lead_text(lead: str) -> str:
    """A paragraph's bold lead as printed: a statement gets a full stop, a question keeps its mark."""
    if not lead:
        return ""
    return f"{lead} " if lead.rstrip()[-1:] in ".?!:" else f"{lead}. "


def verdict_paragraphs(verdict: dict | None, language: str, labels: dict | None = None) -> tuple[str, list[Prose]]:
    """The headline and one paragraph per claim (its sentence, then its caveats) of a verdict.

    A caveat is a text or a ``{"vi": …, "en": …}`` mapping. A claim whose sentence holds the headline
    (a study with one claim, its sentence being the claim's question and then the headline) keeps only its
    caveats, so nothing is said twice.
    """
    check_language(language)
    if not verdict:
        return "", []
    headline = clean_sentence(verdict.get(f"headline_{language}", ""), language)
    paragraphs = []
    for claim in verdict.get("claims", []):
        claim_id = str(claim.get("id"))
        lead = (labels or {}).get(claim_id) or (claim_name(claim_id, language) if claim_id in CLAIMS else "")
        text = clean_sentence(claim.get(f"sentence_{language}", ""), language, lead)
        if headline and headline in text:
            text = ""  # the headline, above in bold, already says it (the claim's lead asks the question)
        caveats = []
        for caveat in claim.get("caveats") or []:
            if isinstance(caveat, dict):
                caveat = caveat.get(language, "")
            if isinstance(caveat, str) and caveat.strip():
                caveats.append(_sentence_end(clean_sentence(caveat, language)))
        text = " ".join(([_sentence_end(text)] if text else []) + caveats)
        if text:
            paragraphs.append(Prose(lead, text))
    return headline, paragraphs


_ANALYSIS = re.compile(r"\[(?P<id>[^\]]*)\]\s*$")


def results_paragraphs(results: pd.DataFrame | None, language: str, labels: dict | None = None) -> list[Prose]:
    """One short paragraph per analysis of the results table.

    An analysis's paragraph is its statements without a p-value (what the totals support, why a
    test was refused, regression to the mean, power) when it has some; else the sentence of its
    first test with a p-value. The other tests stay in the table of the test battery.
    """
    check_language(language)
    column = f"sentence_{language}"
    if results is None or results.empty or column not in results:
        return []
    p = pd.to_numeric(results["p_value"], errors="coerce") if "p_value" in results else pd.Series(float("nan"),
                                                                                               index=results.index)
    order, rows = [], {}
    for index, test in results["test"].astype(str).items():
        match = _ANALYSIS.search(test)
        key = match["id"] if match else ""
        if key not in rows:
            order.append(key)
            rows[key] = []
        rows[key].append(index)
    paragraphs = []
    for key in order:
        sentences = results.loc[rows[key], column]
        statements = [s for s, value in zip(sentences, p[rows[key]]) if pd.isna(value) and isinstance(s, str)
                      and s.strip() and not _refused(s, language)]
        tested = [s for s, value in zip(sentences, p[rows[key]]) if pd.notna(value) and isinstance(s, str)]
        chosen = statements or tested[:1]
        if not chosen:
            continue
        lead = (labels or {}).get(key, "")
        paragraphs.append(Prose(lead, " ".join(_sentence_end(clean_sentence(s, language, lead)) for s in chosen)))
    return paragraphs


def _refused(sentence: str, language: str) -> bool:
    """A refused test's sentence ("Không thực hiện kiểm định: …") belongs to the notes of the table."""
    return ("Không thực hiện kiểm định" if language == "vi" else "Test not run") in sentence


def _sentence_end(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else text + "."


def guide_sentence(tables: list[tuple[int, ExportTable]], figures: list[tuple[int, "ArticleFigure"]],
                   language: str) -> str:
    """One sentence citing every table, then every figure, in their numbered order."""
    parts = [f"{term('table', language)} {n}: {_lower_first(t.caption)}" for n, t in tables]
    parts += [f"{term('figure', language)} {n}: {_lower_first(f.caption)}" for n, f in figures]
    if not parts:
        return ""
    lead = "Các bảng và hình kèm theo — " if language == "vi" else "Tables and figures — "
    return lead + "; ".join(parts) + "."


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def methods_paragraph(language: str, *, published_sources: int = 0, published_rows: int = 0,
                      panel_units: int = 0, panel_years: tuple[int, ...] = (), tests: tuple[str, ...] = (),
                      findings: int = 0, citations: tuple[str, ...] = ()) -> str:
    """A methods paragraph saying what was done, built only from what the study actually has.

    Parameters
    ----------
    language : {'vi', 'en'}
    published_sources, published_rows : int
        Number of source articles and of printed numbers transcribed.
    panel_units : int
        Units in the unit-level panel (0: none).
    panel_years : tuple of int
    tests : tuple of str
        Names of the statistical tests run.
    findings : int
        Number of inconsistencies found in the published numbers.
    citations : tuple of str
        Short citations of the sources (author, year), cited after the published numbers.
    """
    check_language(language)
    vi = language == "vi"
    parts = []
    cited = f" ({'; '.join(citations)})" if citations else ""
    if published_rows:
        parts.append(
            f"Số liệu công bố được nhập nguyên văn từ {format_count(published_sources, language)} bài báo{cited} "
            f"({format_count(published_rows, language)} con số, mỗi số kèm trích dẫn); tổng số, số lượng và tỉ lệ "
            "phần trăm được kiểm tra lại bằng số học chính xác (phân số), chấp nhận cả cách làm tròn và cắt bớt "
            "chữ số; khi chỉ có tỉ lệ phần trăm, cỡ mẫu nhỏ nhất phù hợp với mọi tỉ lệ được khôi phục."
            if vi else
            f"Published numbers were transcribed verbatim from {format_count(published_sources, language)} "
            f"article(s){cited} ({format_count(published_rows, language)} numbers, each with its quote); totals, "
            "counts and percentages were re-checked in exact (rational) arithmetic, allowing for rounding and "
            "truncation; where only percentages were printed, the smallest base consistent with all of them was "
            "recovered.")
        if findings:
            parts.append(f"Kiểm tra phát hiện {format_count(findings, language)} điểm không nhất quán."
                         if vi else f"The checks found {format_count(findings, language)} inconsistencies.")
    if panel_units:
        years = f" ({min(panel_years)}–{max(panel_years)})" if panel_years else ""
        parts.append(
            f"Dữ liệu cấp đơn vị gồm {format_count(panel_units, language)} tổ chức đảng{years}{cited if not published_rows else ''}; "
            "nhãn xếp loại được chuẩn hoá theo thang của từng giai đoạn và quy về bốn mức chung; mức cao nhất không "
            "được so sánh qua lần đổi thang năm 2018."
            if vi else
            f"Unit-level data cover {format_count(panel_units, language)} party organisations{years}; rating "
            "labels were normalised to the scale of each period and mapped to four common levels; the top level "
            "is not compared across the 2018 change of scale.")
    if tests:
        names = "; ".join(tests)
        parts.append(
            f"Các kiểm định đã dùng: {names}. Giá trị p được hiệu chỉnh cho nhiều phép so sánh theo Holm, "
            "ghi là p (Holm); cỡ hiệu ứng được báo cáo kèm khoảng tin cậy 95%."
            if vi else
            f"Tests used: {names}. p-values were adjusted for multiple comparisons by Holm's method, written "
            "p (Holm); effect sizes are reported with 95% confidence intervals.")
    if not parts:
        parts.append(term("no_data", language))
    return replace_keys(" ".join(parts), language)


def article_bytes(title: str, language: str, methods: str, results: list[Prose],
                  tables: list[tuple[int, ExportTable]], figures: list[tuple[int, ArticleFigure]],
                  verdict: tuple[str, list[Prose]] = ("", []), references: tuple[str, ...] = ()) -> bytes:
    """The appendix as DOCX bytes (deterministic: fixed dates inside the package).

    Parameters
    ----------
    title : str
        The study title (heading of the appendix).
    methods : str
        The methods paragraph (see :func:`methods_paragraph`).
    results : list of Prose
        The results, one short paragraph per analysis (see :func:`results_paragraphs`).
    tables, figures : list of (number, item)
        Numbered tables and figures, in order.
    verdict : (headline, list of Prose)
        The verdict's headline and one paragraph per claim (:func:`verdict_paragraphs`); empty: none.
    references : tuple of str
        Full citations of the sources, listed at the end.
    """
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    check_language(language)
    document = docx.Document()
    setup_document(document, language)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(PAGE_WIDTH_CM), Cm(PAGE_HEIGHT_CM)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(MARGIN_CM))
    text_width = PAGE_WIDTH_CM - 2 * MARGIN_CM
    justify = WD_ALIGN_PARAGRAPH.JUSTIFY
    _paragraph(document, [(f"{term('appendix', language)}: {title}", True, False)], size_pt=14,
               align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    number = 0
    headline, claims = verdict
    if headline or claims:
        number += 1
        _paragraph(document, [(f"{number}. {term('verdict', language)}", True, False)], keep_with_next=True)
        if headline:
            _paragraph(document, [(headline, True, False)], align=justify)
        for claim in claims:
            _paragraph(document, [(_lead_text(claim.lead), False, True), (claim.text, False, False)], align=justify)
    number += 1
    _paragraph(document, [(f"{number}. {term('methods', language)}", True, False)], keep_with_next=True)
    _paragraph(document, [(methods, False, False)], align=justify)
    number += 1
    _paragraph(document, [(f"{number}. {term('results', language)}", True, False)], keep_with_next=True)
    shown = [] if claims else results  # with a verdict, its claims are the results in prose
    for item in shown:
        _paragraph(document, [(_lead_text(item.lead), False, True), (item.text, False, False)], align=justify)
    if not shown and not claims:
        _paragraph(document, [(term("no_results", language), False, True)])
    guide = guide_sentence(tables, figures, language)
    if guide:
        _paragraph(document, [(guide, False, False)], align=justify)
    for table_number, table in tables:
        add_table(document, table, table_number, width_cm=text_width)
    for row in _figure_rows(figures, text_width):
        if len(row) == 1:
            figure_number, figure = row[0]
            _figure(document, figure_number, figure, language, min(figure.width_cm, text_width))
            continue
        # two single-column figures side by side, each with its caption, in a table without rules
        grid = document.add_table(rows=1, cols=2)
        grid.autofit = False
        for cell, (figure_number, figure) in zip(grid.rows[0].cells, row):
            cell.width = Cm(text_width / 2)
            _figure(cell, figure_number, figure, language, min(figure.width_cm, text_width / 2 - 0.3), first=True)
        _row_cant_split(grid.rows[0])
    if references:
        _paragraph(document, [(term("references", language), True, False)], keep_with_next=True)
        for reference in references:
            _paragraph(document, [(reference, False, False)], size_pt=11, space_after=3)
    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_ooxml(buffer.getvalue())


def _figure_rows(figures, text_width: float) -> list[list]:
    """Figures in rows of the page: two single-column figures (≤ half the text width + 0,5 cm) side by
    side, a wider one alone; the order (and so the numbering) is kept."""
    rows, waiting = [], []
    for number, figure in figures:
        if figure.width_cm <= text_width / 2 + 0.5:
            waiting.append((number, figure))
            if len(waiting) == 2:
                rows.append(waiting)
                waiting = []
        else:
            if waiting:
                rows.append(waiting)
                waiting = []
            rows.append([(number, figure)])
    if waiting:
        rows.append(waiting)
    return rows


def _figure(container, number: int, figure: ArticleFigure, language: str, width_cm: float, first=False) -> None:
    """A picture and its caption "Hình N. …" below it, in a document or a table cell."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    picture = container.paragraphs[0] if first else container.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.keep_with_next = True
    picture.add_run().add_picture(str(figure.png), width=Cm(width_cm))
    caption = _paragraph(container, [(f"{term('figure', language)} {number}. ", True, False),
                                     (figure.caption, False, False)], size_pt=12 if first else 13,
                         align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    caption.paragraph_format.space_before = Pt(3)


def _row_cant_split(row) -> None:
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def write_article(path: str | Path, *args, **kwargs) -> Path:
    """Write :func:`article_bytes` to ``path`` (atomically) and return it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    paths.write_atomic(path, article_bytes(*args, **kwargs))
    return path
