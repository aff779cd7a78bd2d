"""Read an article (.txt/.md, .docx, .pdf, .html) into one plain text that offsets point into.

Every reader returns a :class:`Document`: the article's text (NFC, line breaks
``\\n``, no-break and other odd spaces turned into plain spaces, a legacy TCVN3/VNI
text converted to Unicode), one paragraph per line. The character offsets of the
draft rows (``start``, ``end``) index this text, so ``document.text[start:end]``
is the row's quote.

PDF text comes from pypdf (pure Python, maintained, reads encrypted files with an
empty password; see the README's dependency section). HTML keeps the main text
only: scripts, styles, navigation, headers, footers, forms and asides are dropped,
and when the page has an ``<article>`` or ``<main>`` element only that is read
(the standard library's :mod:`html.parser`, no new dependency).

Bad input raises :class:`DocumentError` (a :class:`helpers.errors.InputError`)
naming the file and the rule: a scanned PDF with no text layer ("no text layer:
OCR it first"), an encrypted PDF, a DOCX that is really another format, an
unsupported file type.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from helpers.errors import InputError, Problem

SUFFIXES = {".txt": "text", ".md": "text", ".docx": "docx", ".pdf": "pdf", ".html": "html", ".htm": "html"}

#: Spaces that print like a space (no-break, narrow, thin, ideographic …) and invisible joiners.
_SPACES = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\ufeff\u00ad]")
_MAGIC = ((b"%PDF", "PDF"), (b"PK\x03\x04", "ZIP"), (b"\xd0\xcf\x11\xe0", "old Word (.doc) or Excel (.xls)"),
          (b"{\\rtf", "RTF"), (b"<!DOCTYPE html", "HTML"), (b"<html", "HTML"))


class DocumentError(InputError):
    """An article file that cannot be read; the message names the file and the rule."""

    def __init__(self, file: str | Path, rule: str):
        super().__init__([Problem(file=str(file), rule=rule)], f"cannot read the article {file}")


@dataclass(frozen=True)
class Document:
    """One article as plain text.

    Attributes
    ----------
    path : str
        The file read.
    kind : str
        ``text``, ``docx``, ``pdf`` or ``html``.
    text : str
        The article, one paragraph per line; row offsets index it.
    legacy_encoding : str or None
        ``tcvn3``/``vni`` when the text was legacy mojibake and was converted.
    """

    path: str
    kind: str
    text: str
    legacy_encoding: str | None = None


#: What a web page's inline style leaves in copied text.
_CSS_LEFTOVER = re.compile(r"\s?!important\s*;?")


def normalise_article_text(text: str) -> tuple[str, str | None]:
    """NFC, ``\\n`` line breaks, odd spaces → space, invisible characters dropped, legacy mojibake converted.

    Returns
    -------
    (text, legacy_encoding)

    Examples
    --------
    >>> normalise_article_text("ho\\u0300a\\u00a0bi\\u0300nh\\r\\n")[0]
    'hòa bình\\n'
    """
    from helpers.cleaning import legacy as legacy_codes

    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    # legacy text first: TCVN3 stores "ư" as 0xAD, which reads as a soft hyphen (dropped below as invisible)
    # detection reads each distinct word once (an article repeats its words; the whole text is slow to score)
    words = " ".join(dict.fromkeys(re.findall(r"\S+", text)))
    legacy = legacy_codes.detect_legacy(words).encoding
    if legacy is not None:
        text = legacy_codes.CONVERTERS[legacy](text)
    text = _SPACES.sub(" ", _INVISIBLE_RE.sub("", text))
    text = _CSS_LEFTOVER.sub("", text)      # "10/10 đồng chí !important; đảng viên …": a style rule copied from a page
    return unicodedata.normalize("NFC", text), legacy


def _kind_of_bytes(head: bytes) -> str | None:
    stripped = head.lstrip()
    for magic, name in _MAGIC:
        if stripped[: len(magic)].lower() == magic.lower():
            return name
    return None


def _decode(data: bytes, path: Path) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1258")
    except UnicodeDecodeError as error:
        raise DocumentError(path, f"the text is neither UTF-8, UTF-16 nor Windows-1258 (byte "
                                  f"0x{data[error.start]:02X} at {error.start}): save it as UTF-8") from None


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    found = _kind_of_bytes(data[:16])
    if found in ("PDF", "ZIP", "old Word (.doc) or Excel (.xls)"):
        raise DocumentError(path, f"the file is named {path.suffix} but is really {found}: rename it")
    return _decode(data, path)


def _read_docx(path: Path) -> str:
    import docx  # python-docx

    head = path.read_bytes()[:16]
    if not zipfile.is_zipfile(path):
        found = _kind_of_bytes(head) or "not a Word document"
        raise DocumentError(path, f"not a DOCX file (it is really {found}): open it in Word and save it as .docx")
    try:
        document = docx.Document(str(path))
    except Exception as error:  # python-docx raises several types for a zip that is not a document
        raise DocumentError(path, f"not a DOCX file (a ZIP archive without a Word document: "
                                  f"{type(error).__name__}); open it in Word and save it as .docx") from None
    lines = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append("".join(node.text or "" for node in child.iter() if node.tag.endswith("}t")))
        elif tag == "tbl":
            for row in child.iter():
                if row.tag.endswith("}tr"):
                    cells = []
                    for cell in row.iterchildren():
                        if cell.tag.endswith("}tc"):
                            cells.append(" ".join("".join(t.text or "" for t in p.iter() if t.tag.endswith("}t"))
                                                  for p in cell.iter() if p.tag.endswith("}p")).strip())
                    lines.append("\t".join(cells))
    return "\n".join(lines)


def _read_pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception:  # a missing crypto library or an unknown algorithm
                opened = 0
            if not opened:
                raise DocumentError(path, "the PDF is encrypted (password protected): save an unprotected copy")
        pages = [page.extract_text() or "" for page in reader.pages]
    except DocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise DocumentError(path, f"not a readable PDF ({type(error).__name__}: {error})") from None
    text = "\n".join(pages)
    if not re.search(r"\w", text):
        raise DocumentError(path, f"no text layer: OCR it first (the PDF has {len(pages)} page(s) of images only)")
    return text


_SKIP = {"script", "style", "nav", "header", "footer", "aside", "form", "noscript", "template", "svg", "button",
         "select", "iframe", "head"}
_BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "main",
          "table", "ul", "ol", "blockquote", "dd", "dt", "figcaption", "pre", "hr"}
_VOID = {"br", "hr", "img", "meta", "link", "input", "wbr", "col", "area", "base", "source"}


class _MainText(HTMLParser):
    """Collects text outside navigation/scripts; remembers the text of <article>/<main> separately."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.all: list[str] = []
        self.main: list[str] = []
        self.skip = 0
        self.in_main = 0
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            if tag in ("br", "hr"):
                self._emit("\n")
            return
        self.stack.append(tag)
        if tag in _SKIP:
            self.skip += 1
        if tag in ("article", "main"):
            self.in_main += 1
        if tag in _BLOCK:
            self._emit("\n")
        elif tag in ("td", "th"):
            self._emit("\t")

    def handle_endtag(self, tag):
        if tag in _VOID or tag not in self.stack:
            return
        while self.stack:
            top = self.stack.pop()
            if top in _SKIP:
                self.skip -= 1
            if top in ("article", "main"):
                self.in_main -= 1
            if top == tag:
                break
        if tag in _BLOCK:
            self._emit("\n")

    def handle_data(self, data):
        self._emit(re.sub(r"\s+", " ", data))

    def _emit(self, text):
        if self.skip:
            return
        self.all.append(text)
        if self.in_main:
            self.main.append(text)


def _read_html(path: Path) -> str:
    data = path.read_bytes()
    match = re.search(rb"charset=[\"']?([A-Za-z0-9_-]+)", data[:4000])
    encoding = match.group(1).decode("ascii") if match else "utf-8"
    try:
        raw = data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        raw = _decode(data, path)
    parser = _MainText()
    parser.feed(raw)
    parser.close()
    main = "".join(parser.main)
    text = main if len(main.strip()) >= 200 else "".join(parser.all)
    lines = [re.sub(r"[ ]+", " ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


_READERS = {"text": _read_text, "docx": _read_docx, "pdf": _read_pdf, "html": _read_html}


def read_document(path: str | Path) -> Document:
    """Read one article file into a :class:`Document`.

    Parameters
    ----------
    path : str or Path
        ``.txt``/``.md`` (UTF-8, UTF-16 or Windows-1258), ``.docx``, ``.pdf`` (with a text layer) or
        ``.html``/``.htm``.

    Returns
    -------
    Document

    Raises
    ------
    DocumentError
        The file is missing, of an unsupported type, not what its name says, encrypted, or has no text layer.

    Examples
    --------
    >>> from helpers.paths import ROOT
    >>> doc = read_document(ROOT / "tests" / "fixtures" / "extract" / "seeds" / "004-trang-dinh.txt")
    >>> doc.kind, "54,85%" in doc.text
    ('text', True)
    """
    path = Path(path)
    if not path.is_file():
        raise DocumentError(path, "the file does not exist")
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise DocumentError(path, f"unsupported file type {path.suffix!r} (expected "
                                  f"{', '.join(sorted(SUFFIXES))})")
    text, legacy = normalise_article_text(_READERS[kind](path))
    return Document(path=str(path), kind=kind, text=text, legacy_encoding=legacy)
