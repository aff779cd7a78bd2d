"""Find the text encoding of a CSV file and decode it to Unicode, with a problem when none fits.

UTF-8 (with or without BOM), UTF-16 (BOM, or NUL bytes in every other place),
then for 8-bit files the best of Windows-1258, TCVN3 (ABC) and VNI, judged by the
share of valid Vietnamese syllables (:func:`helpers.cleaning.legacy.plausibility`). A file
none of them reads plausibly is refused ("undecodable encoding"). Used by
:mod:`helpers.cleaning.read` and :mod:`helpers.cleaning.survey`.
"""

from __future__ import annotations

import unicodedata

from helpers.cleaning import legacy
from helpers.errors import Problem

#: Bytes at the start of a file checked for UTF-8 (pyarrow checks the rest while reading).
_SAMPLE_BYTES = 1 << 16


def decode_bytes(data: bytes, file: str, sample_only: bool = False) -> tuple[str | None, str, list[Problem]]:
    """Find the encoding of a text file; return (text or None when already UTF-8, encoding name, problems).

    The text is returned only when it had to be converted (UTF-16, 8-bit); a UTF-8
    file is left to pyarrow as bytes, which is faster. With ``sample_only`` only the
    first 64 KiB are checked for UTF-8 (the caller lets pyarrow check the rest).
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return None, "utf-8-sig", []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16", []
        except UnicodeDecodeError as exc:
            return None, "utf-16", [Problem(file=file, value=repr(data[exc.start:exc.start + 8]),
                                            rule=f"undecodable encoding: not valid UTF-16 at byte {exc.start}")]
    sample = data[:_SAMPLE_BYTES]
    if len(sample) >= 4 and sample[1::2].count(0) > len(sample) // 4 and sample[0::2].count(0) == 0:
        try:
            return data.decode("utf-16-le"), "utf-16-le", []
        except UnicodeDecodeError:
            pass
    if len(sample) >= 4 and sample[0::2].count(0) > len(sample) // 4 and sample[1::2].count(0) == 0:
        try:
            return data.decode("utf-16-be"), "utf-16-be", []
        except UnicodeDecodeError:
            pass
    try:
        if sample_only:
            # the rest is checked by pyarrow while reading (it refuses invalid UTF-8); a cut character at the
            # end of the sample is not an error
            try:
                sample.decode("utf-8")
            except UnicodeDecodeError as exc:
                if exc.start < len(sample) - 4 or len(sample) == len(data):
                    raise
        else:
            data.decode("utf-8")
        return None, "utf-8", []
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    if b"\x00" in sample:
        return None, "unknown", [Problem(file=file, value=repr(data[first_bad:first_bad + 8]),
                                         rule="undecodable encoding: binary data (NUL bytes); save the file as CSV UTF-8")]
    candidates = []
    latin = data.decode("latin-1")
    try:
        text = data.decode("cp1258")
        text = unicodedata.normalize("NFC", text)
        candidates.append((legacy.plausibility(text), "windows-1258", text))
    except UnicodeDecodeError:
        pass
    for name, convert in legacy.CONVERTERS.items():
        text = convert(latin)
        candidates.append((legacy.plausibility(text), name, text))
    candidates.sort(key=lambda c: -c[0])
    score, name, text = candidates[0]
    if score < 0.8 or (len(candidates) > 1 and candidates[1][0] == score and score < 1.0):
        return None, "unknown", [Problem(
            file=file, value=repr(data[first_bad:first_bad + 8]),
            rule=(f"undecodable encoding: not UTF-8 (bad byte at {first_bad}) and neither Windows-1258, TCVN3 nor "
                  f"VNI gives Vietnamese text (best: {name}, {score:.0%} valid words); save it as CSV UTF-8"))]
    return text, name, []


def _utf8_head(head: bytes, size: int) -> str | None:
    """'utf-8' / 'utf-8-sig' when :func:`decode_bytes` (``sample_only``) would find UTF-8 from the first bytes
    alone; None when it needs the whole file (UTF-16, NUL bytes, an 8-bit legacy encoding)."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    if len(head) >= 4 and ((head[1::2].count(0) > len(head) // 4 and head[0::2].count(0) == 0) or
                           (head[0::2].count(0) > len(head) // 4 and head[1::2].count(0) == 0)):
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4 or len(head) == size:
            return None
    return "utf-8"
