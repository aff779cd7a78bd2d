"""The model of one published table: a tree of total → levels → "trong đó" parts.

An article prints a table as a total, the levels of a rating scale (or a list
of kinds of unit), parts nested in a level ("trong đó 5 TSVM tiêu biểu") and
cumulative levels ("604 HTTNV trở lên"). :func:`build_table` turns the rows of
one table into that tree, and :meth:`TableModel.derive` finds the counts the
tree implies. Every count, sum and partial-table statement of the checks
(:mod:`.checks`) comes from here.

Nodes
-----
``total``       the table's total (its count may be unknown).
``level``       a level of the scale, or a category of a list, directly under
                the total; also a level printed as "trong đó" of a cumulative
                level that holds it ("604 HTTNV trở lên, trong đó 23,8 %
                HTXSNV": HTXSNV is a level, its percentage is of the 604).
``cumulative``  "X trở lên": X and every level above it; a derived node.
``part``        a "trong đó" subset of another node (TSVM tiêu biểu of TSVM).
``absent``      a level of the year's scale that the article does not print
                at all (its count unknown, never printed).

Relations (``whole = Σ parts``)
-------------------------------
``levels``      total = Σ levels of the scale (``absent`` ones included): a
                certain partition.
``list``        total = Σ printed categories when they are not rating levels
                (kinds of unit): a partition only if the article lists every
                kind, which the reader cannot know.
``cumulative``  "X trở lên" = Σ levels from X up (``absent`` ones included).
``derived``     the difference of two relations whose parts nest
                (total − "HTTNV trở lên" = HTNV + KHTNV): total = 604 + HTNV +
                KHTNV.

A remainder is derived only from a relation, that is from parts that partition
their whole: never from a cumulative level counted as a level, nor from a
nested part counted beside its parent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache

from helpers.numbers import format_count
from helpers.published.printed import PrintedNumber, parse_printed
from helpers.published.reader import normalise_category
from helpers.published.rounding import ACCEPTED_SCHEMES, reproducing_schemes

COMMON_ORDER = ("fail", "pass", "good", "top")
NODE_KINDS = ("total", "level", "cumulative", "part", "absent")
RELATION_KINDS = ("levels", "list", "cumulative", "derived")


@dataclass(eq=False)
class Node:
    """One category of a table: the rows that print it, its count and where it sits in the tree."""

    key: tuple
    label: str
    kind: str
    code: str | None = None
    common: str | None = None
    parent: "Node | None" = None
    rows: list = field(default_factory=list)
    count: int | None = None
    count_row: dict | None = None
    count_qualified: bool = False
    base: int | None = None
    implied: bool = False
    #: How an implied count was found: (whole, known parts, value) for "662 − (604 + 0) = 58".
    derivation: tuple = ()
    #: The relation an implied count came from.
    source: "Relation | None" = None

    def equation(self, language: str = "vi") -> str:
        """The derivation of an implied count written out: ``662 − (604 + 0) = 58``."""
        whole, parts, value = self.derivation
        terms = " + ".join(count_text(k, language) for k in parts) or "0"
        return f"{count_text(whole, language)} − ({terms}) = {count_text(value, language)}"

    @property
    def known(self) -> bool:
        """Whether the count is known exactly (printed without a qualifier, or implied)."""
        return self.count is not None and not self.count_qualified

    @property
    def order(self) -> int | None:
        return COMMON_ORDER.index(self.common) if self.common in COMMON_ORDER else None

    @property
    def percent_rows(self) -> list[dict]:
        return [r for r in self.rows if r["percent"] is not None]

    def printed_percent(self) -> PrintedNumber | None:
        """The first percentage printed for this node, parsed."""
        row = next(iter(self.percent_rows), None)
        return None if row is None else parse_printed(row["percent_printed"], "percent")


@dataclass(eq=False)
class Relation:
    """``whole = Σ parts``: one way the table's numbers must add up."""

    whole: Node
    parts: tuple
    kind: str
    sources: tuple = ()
    #: True when the parts certainly cover the whole (levels of a known scale, a cumulative level).
    certain: bool = True
    #: Set when a count was derived from this relation (it then holds by construction).
    used: bool = False
    #: Set when every number of it was known and it was checked.
    checked: bool = False

    def terms(self, language: str = "vi") -> str:
        return " + ".join(count_text(p.count, language) for p in self.parts)

    def unknown(self) -> list[Node]:
        return [n for n in (self.whole, *self.parts) if not n.known]


@dataclass
class TableModel:
    """One table as a tree, with the relations its counts obey (see module notes)."""

    rows: list
    total: Node
    total_rows: list
    total_approx: bool
    nodes: list
    absent: list
    relations: list
    scale: object = None
    #: Levels of the scale no printed label stands for (``absent`` unless a duplicated label fills them).
    missing: list = field(default_factory=list)
    #: (row, node already holding the label) for a label printed twice with different counts.
    duplicates: list = field(default_factory=list)
    #: (node, row, earlier row) for a row that prints a node's number again.
    repeats: list = field(default_factory=list)

    @property
    def partition(self) -> Relation | None:
        """The relation total = Σ levels (or Σ listed categories), if the table has levels."""
        return next((r for r in self.relations if r.kind in ("levels", "list")), None)

    @property
    def is_rating_table(self) -> bool:
        return self.scale is not None and any(n.common for n in self.nodes if n.kind == "level")

    def levels(self) -> list[Node]:
        return [n for n in self.nodes if n.kind == "level"]

    def node_by_key(self, key) -> Node | None:
        return next((n for n in self.nodes if n.key[1] == key), None) if key else None

    def percent_base(self, node: Node, row: dict) -> tuple[int | None, str | None]:
        """(base, how) of a row's percentage: its own base, the parent's count, or the total."""
        if row["base"] is not None:
            return row["base"], "printed"
        if node.parent is not None:
            if node.parent.known:
                return node.parent.count, "parent"
            return None, None
        if node.base is not None:
            return node.base, "printed"
        if self.total.known and not self.total_approx:
            return self.total.count, "total"
        return None, None

    # -- implied counts -----------------------------------------------------------------------------------
    def derive(self) -> list[tuple]:
        """Fill in the counts the relations imply; returns what was found, in order.

        Events: ``("implied", node, relation)`` — one unknown part of a relation
        whose other numbers are known; ``("remainder", relation, unknown_parts,
        value)`` — several unknown parts whose sum is known; ``("negative",
        relation, value)`` — the known parts exceed the whole (no count can be
        implied). The total itself is never implied.
        """
        events = []
        changed = True
        while changed:
            changed = False
            for rel in self.relations:
                if rel.used:
                    continue
                unknown = rel.unknown()
                if len(unknown) != 1 or unknown[0] is rel.whole or any(p.count_qualified for p in rel.parts):
                    continue
                node = unknown[0]
                known = [p for p in rel.parts if p is not node]
                value = rel.whole.count - sum(p.count for p in known)
                if value < 0:
                    continue
                node.count, node.implied, node.source = value, True, rel
                node.derivation = (rel.whole.count, tuple(p.count for p in known), value)
                rel.used = changed = True
                events.append(("implied", node, rel))
        for rel in self.relations:
            if rel.used or not rel.whole.known or any(p.count_qualified for p in rel.parts):
                continue
            unknown = [p for p in rel.parts if not p.known]
            value = rel.whole.count - sum(p.count for p in rel.parts if p.known)
            if unknown and value < 0:
                events.append(("negative", rel, value))
            elif len(unknown) > 1 and rel.kind != "derived":
                events.append(("remainder", rel, unknown, value))
        return events


# --- building ----------------------------------------------------------------------------------------------

def count_text(n: int, language: str = "vi") -> str:
    """A count as :func:`helpers.numbers.format_count` writes it (``20.000``); below 1000 without its
    Decimal round trip, since the checker writes several per finding."""
    return str(n) if 0 <= n < 1000 else format_count(n, language)


@lru_cache(maxsize=1)
def _subset_codes() -> frozenset:
    """Codes of levels that are a part of another level (TSVM tiêu biểu), over every scale."""
    try:
        from helpers.scales import load_scales

        return frozenset(lv.code for s in load_scales().values() for lv in s.levels if lv.subset_of)
    except (ValueError, ImportError):  # pragma: no cover - the scales file ships with the package
        return frozenset()


def unit_of(level: str | None) -> str:
    return "member" if (level or "").lower().startswith("đảng viên") else "organisation"


@lru_cache(maxsize=256)
def cached_scale(year, unit: str):
    """The rating scale of ``unit`` in ``year``, or None (remembered: every table of a year asks)."""
    try:
        from helpers.scales import scale_for

        return scale_for(int(year), unit)
    except (ValueError, TypeError, ImportError):
        return None


def scale_of(rows: list[dict]):
    """The rating scale of the table's year and unit, or None."""
    return cached_scale(rows[0]["year"], unit_of(rows[0]["level"]))


def _category_key(row: dict) -> tuple:
    if row["rating_code"]:
        return ("code", row["rating_code"], bool(row["cumulative"]))
    return ("text", normalise_category(row["category"]))


def _total(rows: list[dict]) -> tuple[Node, list, bool]:
    totals = [r for r in rows if r["is_total"] and r["count"] is not None]
    node = Node(key=(None, ("total",)), label=(totals[0]["category"] if totals else "tổng số"), kind="total")
    if not totals:
        return node, totals, False
    first = totals[0]
    node.count, node.count_row, node.rows = first["count"], first, [first]
    approx = parse_printed(first["count_printed"], "count").qualifier is not None
    node.count_qualified = approx
    return node, totals, approx


def build_table(rows: list[dict]) -> TableModel:
    """The tree and relations of one table (rows of :func:`helpers.published.read_published` sharing
    ``source_id`` and ``table_id``; missing values as None)."""
    total, total_rows, approx = _total(rows)
    model = TableModel(rows=rows, total=total, total_rows=total_rows, total_approx=approx, nodes=[], absent=[],
                       relations=[], scale=scale_of(rows))
    _nodes(model, [r for r in rows if not r["is_total"]])
    _link(model)
    _relations(model)
    return model


def _nodes(model: TableModel, rows: list[dict]) -> None:
    total_keys = {normalise_category(r["category"]) for r in model.rows if r["is_total"]}
    by_text = {}
    for r in rows:
        by_text.setdefault(normalise_category(r["category"]), _category_key(r))
    for r in rows:
        parent = normalise_category(r["parent"]) if r["parent"] else None
        parent_key = None if parent is None or parent in total_keys else by_text.get(parent, ("text", parent))
        key = (parent_key, _category_key(r))
        same = [n for n in model.nodes if n.key == key]
        count = r["count"]
        target = None
        if count is not None:
            target = next((n for n in same if n.count == count), None) or \
                next((n for n in same if n.count is None), None)
            if target is None and same:
                model.duplicates.append((r, same[0]))
        elif same:
            target = _node_for_percent(model, same, r)
        if target is None:
            target = Node(key=key, label=r["category"], kind="level", code=r["rating_code"],
                          common=r["rating_common"])
            if r["cumulative"]:
                target.kind = "cumulative"
            model.nodes.append(target)
        elif target.rows:
            earlier = next((x for x in target.rows if x["percent"] is not None), None) \
                if r["percent"] is not None else target.count_row
            if earlier is not None:
                model.repeats.append((target, r, earlier))
        target.rows.append(r)
        if count is not None and target.count is None:
            target.count, target.count_row = count, r
            target.count_qualified = parse_printed(r["count_printed"], "count").qualifier is not None
        if r["base"] is not None and target.base is None:
            target.base = r["base"]


def _node_for_percent(model, same, row):
    """Of several nodes with one label, the one whose count the row's percentage fits."""
    if row["percent"] is None or len(same) == 1:
        return same[0]
    printed = parse_printed(row["percent_printed"], "percent")
    for n in same:
        base = n.base or model.total.count
        if n.count is not None and base and 0 <= n.count <= base and reproducing_schemes(
                Fraction(100 * n.count, base), printed.value, printed.decimals, ACCEPTED_SCHEMES):
            return n
    return same[0]


def _link(model: TableModel) -> None:
    """Parents, and the kind of each node (a level nested in a cumulative level that holds it stays a level)."""
    subsets = _subset_codes()
    for node in model.nodes:
        parent_key = node.key[0]
        if parent_key is None:
            continue
        node.parent = model.node_by_key(parent_key)
        if node.kind == "cumulative" or node.parent is None:
            continue
        holds = (node.parent.kind == "cumulative" and node.order is not None and node.parent.order is not None
                 and node.order >= node.parent.order and node.code not in subsets)
        node.kind = "level" if holds else "part"
    if model.scale is None or not any(n.common for n in model.levels()):
        return
    covered = {n.common for n in model.levels()}
    absent = [Node(key=(None, ("absent", lv.code)), label=lv.label("vi"), kind="absent", code=lv.code,
                   common=lv.common) for lv in model.scale.levels if lv.subset_of is None and lv.common not in covered]
    # A label printed twice with two counts (seed 004, 2016) most likely stands for a level the table lacks:
    # the duplicates then fill the missing levels instead of leaving them as unknown counts.
    model.missing = absent
    if len(model.duplicates) < len(absent):
        model.absent = absent


def _relations(model: TableModel) -> None:
    levels = model.levels()
    rating = model.is_rating_table and all(n.common for n in levels)
    parts = levels + model.absent
    base = []
    if parts and (rating or len(levels) >= 1):
        base.append(Relation(model.total, tuple(parts), "levels" if rating else "list", certain=rating))
    if rating:
        for cum in (n for n in model.nodes if n.kind == "cumulative" and n.order is not None):
            held = tuple(p for p in parts if p.order is not None and p.order >= cum.order)
            if held:
                base.append(Relation(cum, held, "cumulative"))
    derived = []
    for a in base:
        for b in base:
            if a is b or not set(b.parts) < set(a.parts):
                continue
            rest = tuple(p for p in a.parts if p not in b.parts)
            derived.append(Relation(a.whole, (b.whole, *rest), "derived", sources=(a, b),
                                    certain=a.certain and b.certain))
    model.relations = base + derived
