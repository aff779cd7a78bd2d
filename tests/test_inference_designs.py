"""Study-file design declaration (selection, claims) and which comparison is valid under which design."""

from __future__ import annotations

import yaml

from helpers.inference.designs import (DEFAULT_CLAIM_ID, Selection, analysis_comparison, bias, check_design,
                                       read_claims, read_selection)
from helpers.study import load_study


def _raw(selection=None, claims=None, years=(2014, 2021)):
    pilots = {"file": "x.csv"}
    if selection is not None:
        pilots["selection"] = selection
    raw = {"panel": {"years": list(years), "pilots": pilots}}
    if claims is not None:
        raw["claims"] = claims
    return raw


def test_selection_year_outside_the_panel_names_file_field_and_years():
    problems = check_design(_raw({"on": "rating", "years": [2012, 2015]}), "studies/p.yaml")
    assert len(problems) == 1
    text = str(problems[0])
    assert text.startswith("studies/p.yaml, field 'panel.pilots.selection.years'")
    assert "2012" in text and "outside the panel's years 2014–2021" in text


def test_yaml_on_key_is_read_as_on_not_true():
    # YAML 1.1 reads a bare `on:` key as the boolean True; the study file must still mean "on: rating"
    raw = yaml.safe_load("panel:\n  years: [2014, 2021]\n  pilots:\n    file: x.csv\n"
                         "    selection: {on: rating, years: [2015], rule: weakest}\n")
    assert True in raw["panel"]["pilots"]["selection"]
    assert check_design(raw, "s.yaml") == []
    assert read_selection(raw["panel"]) == Selection("rating", (2015,), "weakest")


def test_every_selection_and_claim_problem_at_once():
    raw = _raw({"on": "score", "years": [], "colour": 1},
               [{"id": "A b", "from": 2019, "to": 2016, "extra": 1}, {"id": "x", "to": 2030}, {"id": "x"}])
    fields = [p.column for p in check_design(raw, "s.yaml")]
    for expected in ["panel.pilots.selection.colour", "panel.pilots.selection.on", "panel.pilots.selection.years",
                     "claims[1].extra", "claims[1].id", "claims[1].to", "claims[2].to", "claims[3].id"]:
        assert expected in fields, (expected, fields)
    assert [p.column for p in check_design(_raw("sometimes"), "s.yaml")] == ["panel.pilots.selection"]


def test_defaults_unknown_selection_and_one_claim():
    assert read_selection({"pilots": {"file": "x"}}) == Selection("unknown")
    assert read_selection(None) == Selection("unknown")
    claims = read_claims({"panel": {"years": [2014, 2019]}})
    assert len(claims) == 1 and claims[0].id == DEFAULT_CLAIM_ID and claims[0].from_year is None
    # published totals about pilots: the same claim (answered "cannot tell"); a whole area only: its own question
    assert read_claims({"analyses": [{"design": "totals"}]})[0].id == DEFAULT_CLAIM_ID
    assert read_claims({"analyses": [{"design": "compare-years"}]})[0].kind == "ratings-changed"
    assert read_claims({}) == ()                         # checks numbers only: no claim


def test_which_comparison_is_biased_under_which_design():
    random, unknown = Selection("random"), Selection("unknown")
    on_2015 = Selection("rating", (2015,))
    # valid everywhere (when the choice used only earlier ratings): the same rating history
    assert all(bias("history", s) is None for s in (random, unknown, on_2015))
    # the naive before/after and the province comparison are never a verdict
    assert all(bias("before_after", s) is not None for s in (random, unknown, on_2015))
    # DiD / end-year comparison: valid only under random selection
    assert bias("change", random) is None and bias("change", on_2015) is not None
    assert bias("end_vs_rest", random) is None and "before the programme" in bias("end_vs_rest", unknown).en
    # matching on one year: valid when that is the selection year, biased on another year (issue 12's audit)
    assert bias("last_year", on_2015, 2015) is None
    assert "2015" in bias("last_year", on_2015, 2014).en and bias("last_year", unknown, 2015) is not None


def test_analyses_map_to_comparisons():
    assert analysis_comparison({"design": "paired"}) == ("before_after", None)
    assert analysis_comparison({"design": "did", "years": [2015, 2019]}) == ("change", None)
    assert analysis_comparison({"design": "baseline", "years": [2015, 2019]}) == ("last_year", 2015)
    assert analysis_comparison({"design": "baseline"}) is None            # a statement, no test
    assert analysis_comparison({"design": "compare-years"}) is None       # no pilots involved


def test_bundled_studies_declare_a_valid_design():
    for name in ("example-panel", "binh-thuan-56", "binh-thuan-7", "trang-dinh"):
        study = load_study(name)
        assert check_design(study.raw, name) == []
    example = load_study("example-panel")
    # scripts/make_example_panel.py draws the pilots by lot among the units rated HTNV or worse in 2015
    assert read_selection(example.panel) == Selection("rating", (2015,), example.panel["pilots"]["selection"]["rule"])
