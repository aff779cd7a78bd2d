"""Unit identity checks of the cleaning: repeated unit-years, ids that change, unit types by level.

Run on the :class:`helpers.cleaning.clean.Stack` after ids and years are cleaned; names are compared
through keys computed once per distinct text (lower case, NFC, spaces collapsed). See
:mod:`helpers.cleaning.panel` for the rules.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from helpers.cleaning.clean import Stack, _encode, _indices, _with
from helpers.cleaning.labels import normalise_text


def check_duplicates(st: Stack, uid: np.ndarray, years: np.ndarray) -> None:
    """A unit may appear once per year: every repeat is listed with the row of its first occurrence."""
    valid = (years >= 0) & (uid >= 0)
    if valid.all():
        ok_uid, ok_years = uid, years
    else:
        ok = np.flatnonzero(valid)
        ok_uid, ok_years = uid[ok], years[ok]
    if not len(ok_uid):
        return
    y0 = int(ok_years.min())
    span = int(ok_years.max()) - y0 + 1
    size = (int(ok_uid.max()) + 1) * span
    if size <= 4 * len(ok_uid) + (1 << 16) and \
            np.bincount(ok_uid * span + (ok_years - y0), minlength=size).max() < 2:
        return           # every (unit, year) once: decided by counting, no sort needed
    ok = np.flatnonzero(valid)
    key = uid[ok] * 10_000 + years[ok]
    order = ok[np.argsort(key, kind="stable")]
    sorted_key = uid[order] * 10_000 + years[order]
    dup = np.flatnonzero(sorted_key[1:] == sorted_key[:-1]) + 1
    if not len(dup):
        return
    starts = np.flatnonzero(np.r_[True, sorted_key[1:] != sorted_key[:-1]])
    first_of = order[starts[np.searchsorted(starts, dup, side="right") - 1]]
    files, sheets = st.where(first_of)
    for d, f, fi, sh in zip(order[dup], first_of, files, sheets):
        where = f"{fi}" + (f", sheet '{sh}'" if sh else "") + f", row {st.rows[f]}"
        st.problem(np.array([d]), "unit_id", None, f"duplicate unit-year {int(years[d])}: already at {where}")


#: Text whose every character is in these ranges is already NFC and holds no whitespace but single spaces:
#: ASCII without tab/line breaks (\\t \\n \\f \\r are what the \\s of RE2 adds to the space),
#: U+0080–U+02FF and U+1E00–U+1EFF (Latin Extended Additional: the precomposed Vietnamese letters). None of
#: these characters changes under NFC, combines with a neighbour or has a combining class (checked against
#: unicodedata in tests/test_panel.py); a double space is flagged separately.
_PLAIN_TEXT_RANGES = ((0x00, 0x08), (0x0B, 0x0B), (0x0E, 0x2FF), (0x1E00, 0x1EFF))
#: UTF-8 bytes that flag a text by themselves (see :func:`_not_plain`): lead bytes from CC up but E1, and 09 0A 0C 0D
_FLAG_BYTE = np.zeros(256, dtype=bool)
_FLAG_BYTE[0xCC:] = True
_FLAG_BYTE[0xE1] = False
_FLAG_BYTE[[0x09, 0x0A, 0x0C, 0x0D]] = True


def _not_plain(values: pa.Array) -> np.ndarray:
    """Positions of the texts holding a character outside ``_PLAIN_TEXT_RANGES`` or a double space.

    Read from the UTF-8 bytes in one pass (a few flags may be false alarms: a double space across two
    texts; such a text just takes the full normalisation). In UTF-8, U+0080–U+02FF are the two-byte
    sequences led by C2–CB and U+1E00–U+1EFF the three-byte sequences E1 B8–BB ..; any other lead byte
    from CC up, and the bytes 09, 0A, 0C, 0D, are flagged.
    """
    values = values.cast(pa.large_string())
    if len(values) == 0:
        return np.zeros(0, np.int64)
    _, off_buf, data_buf = values.buffers()
    offsets = np.frombuffer(off_buf, dtype=np.int64)[values.offset:values.offset + len(values) + 1]
    if data_buf is None or offsets[-1] == offsets[0]:
        return np.zeros(0, np.int64)
    b = np.frombuffer(data_buf, dtype=np.uint8)[offsets[0]:offsets[-1]]
    flag = _FLAG_BYTE.take(b)                # one table look-up per byte
    space = b == 0x20
    flag[:-1] |= space[:-1] & space[1:]
    e1 = np.flatnonzero(b == 0xE1)
    if len(e1):
        nxt = b.take(np.minimum(e1 + 1, len(b) - 1))
        flag[e1] = (nxt < 0xB8) | (nxt > 0xBB) | (e1 + 1 >= len(b))
    at = np.flatnonzero(flag)
    if not len(at):
        return at
    return np.unique(np.searchsorted(offsets, at + offsets[0], side="right") - 1)


def _name_keys(values: pa.Array) -> pa.Array:
    """Lower case, NFC, whitespace runs collapsed to one space, trimmed — the key names are compared by.

    The full chain (NFC, lower case, the ``\\s+`` regex) runs only on the texts that need it (see
    :func:`_not_plain`): the others are NFC already and have single spaces, so lower case and trimming give
    the same key.
    """
    full = lambda v: pc.utf8_trim_whitespace(pc.replace_substring_regex(  # noqa: E731
        pc.utf8_lower(pc.utf8_normalize(v, "NFC")), r"\s+", " "))
    special = _not_plain(values)
    if len(special) == len(values):
        return full(values)
    keys = pc.utf8_trim_whitespace(pc.utf8_lower(values))
    if not len(special):
        return keys
    mask = np.zeros(len(values), dtype=bool)
    mask[special] = True
    return pc.replace_with_mask(keys, pa.array(mask), full(values.take(pa.array(special))))


def text_keys(arr: pa.DictionaryArray) -> tuple[np.ndarray, pa.Array]:
    """The key (:func:`_name_keys`) of every dictionary entry of a name column, as codes into distinct keys."""
    keys = pc.dictionary_encode(_name_keys(arr.dictionary))
    return keys.indices.to_numpy(zero_copy_only=False).astype(np.int64), keys.dictionary


def _encode_key(arr: pa.DictionaryArray, keys=None) -> tuple[np.ndarray, pa.Array]:
    """Codes of a name column compared in lower case, NFC, spaces collapsed — normalised once per distinct text."""
    key_of_text, distinct = keys if keys is not None else text_keys(arr)
    return key_of_text[_indices(arr)], distinct


def _no_shared_group(st: Stack, uid: np.ndarray, years: np.ndarray, keys: dict) -> bool:
    """True when no id can have changed, decided on the per-id aggregate (O(ids) beyond two passes over rows).

    Holds when every row has a valid id and year, every id keeps one name and one parent text in all its
    rows, no id's name is blank, and no two ids share a (name, parent) key. Otherwise False, and
    :func:`check_id_changes` runs the full check.
    """
    n = len(uid)
    if n == 0 or uid.min() < 0 or years.min() < 0:
        return False
    n_ids = int(uid.max()) + 1
    first = np.full(n_ids, n, dtype=np.int64)
    np.minimum.at(first, uid, np.arange(n, dtype=np.int64))      # first row of every id
    if first.max() == n:
        return False
    per_id = []
    for field in ("unit_name", "parent"):
        if field not in st.cols:
            per_id.append(np.zeros(n_ids, np.int64))
            continue
        arr = st.cols[field]
        raw = _indices(arr)
        text_of_id = raw[first]
        if not np.array_equal(text_of_id[uid], raw):
            return False                                              # an id with two texts: full check
        key_of_text, distinct = keys.get(field) or text_keys(arr)
        key_of_id = key_of_text[text_of_id]
        if field == "unit_name":
            blank = pc.equal(distinct, "").to_numpy(zero_copy_only=False)
            if blank[key_of_id].any():
                return False
        per_id.append(key_of_id)
    group = np.sort(per_id[0] * (int(per_id[1].max()) + 1) + per_id[1])
    return bool(np.all(group[1:] != group[:-1]))


def check_id_changes(st: Stack, ids: pa.Array, uid: np.ndarray, years: np.ndarray, keys: dict | None = None,
                     found_pairs: list | None = None) -> int:
    """Two ids with the same name and parent, one ending the year before the other starts: a changed id.

    ``keys`` may hold :func:`text_keys` of the unit_name and parent columns, computed beforehand;
    ``found_pairs``, when given, receives ``(old id, new id)`` of every change found.
    """
    if "unit_name" not in st.cols:
        return 0
    keys = keys or {}
    if _no_shared_group(st, uid, years, keys):
        return 0
    name_idx, name_keys = _encode_key(st.cols["unit_name"], keys.get("unit_name"))
    if "parent" in st.cols:
        parent_idx, _ = _encode_key(st.cols["parent"], keys.get("parent"))
    else:
        parent_idx = np.zeros(st.n, np.int64)
    gcode = name_idx * (int(parent_idx.max()) + 1) + parent_idx
    blank = pc.equal(name_keys, "").to_numpy(zero_copy_only=False)
    named = ~blank[name_idx] & (years >= 0) & (uid >= 0)
    # only groups holding more than one id matter: find them with numpy before any pandas work
    pairs = np.unique(gcode[named] * (int(uid.max()) + 1) + uid[named])
    groups, counts = np.unique(pairs // (int(uid.max()) + 1), return_counts=True)
    several_g = groups[counts > 1]
    if not len(several_g):
        return 0
    named &= np.isin(gcode, several_g)
    frame = pd.DataFrame({"g": gcode[named], "u": uid[named], "year": years[named],
                          "pos": np.flatnonzero(named)})
    if frame.empty:
        return 0
    n_ids = frame.groupby("g")["u"].nunique()
    several = n_ids.index[n_ids > 1]
    if not len(several):
        return 0
    spans = (frame[frame.g.isin(several)].groupby(["g", "u"])
             .agg(first=("year", "min"), last=("year", "max"), pos_first=("pos", "min")).reset_index())
    found = 0
    for _, group in spans.groupby("g"):
        group = group.sort_values("first")
        for a, b in zip(group.itertuples(), group.iloc[1:].itertuples()):
            if a.last + 1 == b.first:
                found += 1
                name_text = st.cols["unit_name"][int(b.pos_first)].as_py()
                old_id, new_id = ids[int(a.pos_first)].as_py(), ids[int(b.pos_first)].as_py()
                if found_pairs is not None:
                    found_pairs.append((old_id, new_id))
                st.problem(np.array([b.pos_first]), "unit_id", new_id,
                           f"a unit that changes id: '{name_text}' is id {old_id!r} until {a.last} "
                           f"and id {new_id!r} from {b.first}; map the old id under panel.unit_ids")
    return found


def check_unit_types(st: Stack, level: str, member_types, org_words) -> None:
    """Members and organisations in one table: the rows of the class that is not ``level`` are listed."""
    if "unit_type" not in st.cols:
        return
    codes, values = _encode(_with(st.cols["unit_type"], pc.utf8_trim_whitespace(st.cols["unit_type"].dictionary)))
    for k, v in enumerate(values):
        key = normalise_text(v)
        kind = "member" if key in member_types else ("organisation" if any(w in key for w in org_words) else None)
        if kind is not None and kind != level:
            st.problem(np.flatnonzero(codes == k), "unit_type", v,
                       f"members and organisations mixed: a {kind} row in a {level} panel (panel.level)")
