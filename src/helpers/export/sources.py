"""The sources a study cites: the ``sources:`` field of a study file, checked, and its citations.

Notes under tables and the methods paragraph cite the articles a study's numbers come from,
never the files they were typed into. Each source is a mapping::

    sources:
      - id: "004"                     # the source_id of its rows in the published CSV (optional)
        author: "Vi Thị Tuyết"
        title: "Đảng bộ huyện Tràng Định hướng đến thực chất trong công tác đánh giá xếp loại ..."
        site: "Trang thông tin điện tử Trường Chính trị Hoàng Văn Thụ tỉnh Lạng Sơn"   # or journal:
        year: 2019
        date: "06/09/2019"            # as printed (optional)
        url: "https://..."            # optional

or, when the details are unknown, a free citation: ``- {id: "000", citation: "..."}``.
A source needs a ``title`` or a ``citation``; nothing is invented where the article does
not say it (an unsigned article has no ``author``).
"""

from __future__ import annotations

from helpers.errors import Problem
from helpers.study.model import Source, problems_of
from helpers.numbers import check_language

#: Fields of one source and their types.
#: The fields of a source, as the study-file model declares them (:class:`helpers.study.model.Source`).
SOURCE_FIELDS = tuple(Source.model_fields)


def check_sources(sources, file: str = "study file") -> list[Problem]:
    """Every problem of a study's ``sources:`` field, as a list.

    Shape, fields and types come from the study-file model (:class:`helpers.study.model.Source`);
    checked here: a source with neither title nor citation, a year out of range, a URL not
    starting with http.
    """
    if sources is None:
        return []
    problems = problems_of(list[Source], sources, file, "sources")
    for number, source in enumerate(sources if isinstance(sources, list) else [], start=1):
        where = f"sources[{number}]"
        if not isinstance(source, dict):
            continue
        if not (source.get("title") or source.get("citation")):
            problems.append(Problem(file=file, column=where, kind="field", value=source,
                                    rule="needs a 'title' (with author, journal or site, year) or a free 'citation'"))
        year = source.get("year")
        if isinstance(year, int) and not isinstance(year, bool) and not 1930 <= year <= 2100:
            problems.append(Problem(file=file, column=f"{where}.year", kind="field", value=year,
                                    rule="must be a year between 1930 and 2100"))
        url = source.get("url")
        if isinstance(url, str) and not url.startswith(("http://", "https://")):
            problems.append(Problem(file=file, column=f"{where}.url", kind="field", value=url,
                                    rule="must start with http:// or https://"))
    return problems


def short_citation(source: dict, language: str = "vi", parenthetical: bool = False) -> str:
    """The citation in running text: ``Vi Thị Tuyết (2019)``, or ``Vi Thị Tuyết, 2019`` inside parentheses
    (``parenthetical``); an unsigned article by its site or title."""
    check_language(language)
    who = source.get("author") or source.get("site") or source.get("journal")
    if not who:
        title = source.get("title") or source.get("citation") or ""
        words = title.split()
        who = f"“{' '.join(words[:6])}{' …' if len(words) > 6 else ''}”"
    year = source.get("year")
    if not year:
        return who
    return f"{who}, {year}" if parenthetical else f"{who} ({year})"


def full_citation(source: dict, language: str = "vi") -> str:
    """The reference-list entry: ``Author (year). Title. Journal or site, date. URL`` (what is known)."""
    check_language(language)
    if source.get("citation") and not source.get("title"):
        text = source["citation"]
        return text + (f" {source['url']}" if source.get("url") else "")
    parts = []
    year = f" ({source['year']})" if source.get("year") else ""
    if source.get("author"):
        parts += [source["author"] + year, source["title"]]
    else:  # an unsigned article is cited by its title: "Title (2011). Journal."
        parts.append(source["title"] + year)
    venue = source.get("journal") or source.get("site")
    if venue:
        parts.append(venue + (f", {source['date']}" if source.get("date") else ""))
    text = ". ".join(p.rstrip(".") for p in parts) + "."
    return text + (f" {source['url']}" if source.get("url") else "")


def source_citations(study, language: str) -> dict[str, str]:
    """source_id → short citation, for every source of the study that names its ``id``."""
    sources = (getattr(study, "raw", {}) or {}).get("sources") or []
    return {str(s["id"]): short_citation(s, language) for s in sources if isinstance(s, dict) and "id" in s}


def study_citations(study, language: str, source_ids=None,
                    parenthetical: bool = False) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(short citations, full citations) of a study's sources, restricted to ``source_ids`` when given
    (the ``source_id`` values of the rows actually used; a source without ``id`` is always kept)."""
    sources = (getattr(study, "raw", {}) or {}).get("sources") or []
    wanted = None if source_ids is None else {str(s) for s in source_ids}
    chosen = [s for s in sources if isinstance(s, dict)
              and (wanted is None or "id" not in s or str(s["id"]) in wanted)]
    return (tuple(short_citation(s, language, parenthetical) for s in chosen),
            tuple(full_citation(s, language) for s in chosen))
