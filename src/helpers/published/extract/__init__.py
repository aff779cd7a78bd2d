"""Read the article itself: every rating number of a Vietnamese article as a checkable draft table.

Layers: :mod:`.documents` (txt/md/docx/pdf/html → text) → :mod:`.lexicon` (the
words of the genre; labels from ``scales.yaml``) → :mod:`.patterns` (numbers,
labels and how they pair in a sentence) → :mod:`.rows` (context and tables; with
:mod:`.filters` for what is no result, :mod:`.levels` for the unit rated,
:mod:`.totals` for totals, :mod:`.grid` for tables flattened into text and
:mod:`.sentences` for sentences, paragraphs and the nearest year or place)
→ :mod:`.draft` (the draft table, written atomically) → :mod:`.cli`
(``python -m helpers extract-published``).
"""

from helpers.published.extract.documents import Document, DocumentError, read_document
from helpers.published.extract.draft import Draft, extract_article, extract_text, write_draft
from helpers.published.extract.rows import CONTRACT_COLUMNS, DRAFT_COLUMNS, Options

__all__ = ["Document", "DocumentError", "read_document", "Draft", "extract_article", "extract_text",
           "write_draft", "CONTRACT_COLUMNS", "DRAFT_COLUMNS", "Options"]
