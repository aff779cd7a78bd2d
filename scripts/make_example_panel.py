"""Write the bundled SYNTHETIC example panel to data/raw/example-panel/ (fixed seed; describes no real place).

About 500 grassroots party organisations rated every year 2014–2021, across the 2018 scale change:

- a latent quality per unit plus yearly noise, mapped through each year's scale with fixed cut points
  (TSVM about half of the units before 2018, HTXSNV rare from 2018);
- 40 pilots (programme "củng cố", 2016–2019) drawn by lot among the units rated HTNV or worse in 2015, so
  regression to the mean is present and every pilot has comparable non-pilots, plus a true effect (+1.0 latent
  SD while in the programme, 2017–2019; the README states what it does to the 2019 ratings);
- labels typed in many ways (abbreviations, upper case, no diacritics, a misplaced tone mark, decomposed
  Unicode, stray spaces and quotes, a few typos that the study file maps), ids with stray spaces, one unit
  whose id changes in 2018, scores with a decimal comma, a few years written "2019.0";
- 2014–2017: one XLSX with a sheet per year under a title block, the 2016 sheet typed in TCVN3 (ABC font);
  2018–2021: one long CSV (semicolon-separated, UTF-8); pilots in pilots.csv.

Run: ``.venv/bin/python scripts/make_example_panel.py`` (writes the files; the study is example-panel.yaml).
"""

from __future__ import annotations

import csv
import sys
import unicodedata
from pathlib import Path

import numpy as np
import openpyxl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from helpers.cleaning.legacy import unicode_to_tcvn3  # noqa: E402

SEED = 20250601
OUT = ROOT / "data" / "raw" / "example-panel"
YEARS = list(range(2014, 2022))
N_UNITS, N_PILOTS = 500, 40
PILOT_START, PILOT_END, PILOT_EFFECT = 2016, 2019, 1.0
SELECTION_YEAR = 2015                     # pilots drawn by lot among the units rated HTNV or worse this year
NOISE_SD = 0.6
CHANGED_ID = ("VD-0137", "VD-0937")        # old id until 2017, new id from 2018

# Cut points on the latent scale (quality ~ N(0,1) + noise ~ N(0, 0.6²), total SD ≈ 1.17):
# before 2018 TSVM ≈ 50 % (of which "tiêu biểu" ≈ 4 %), HTTNV ≈ 33 %, HTNV ≈ 12 %, yếu kém ≈ 5 %;
# from 2018 HTXSNV ≈ 9 %, HTTNV ≈ 72 %, HTNV ≈ 15 %, KHTNV ≈ 4 %.
CUTS_2008 = [(-1.92, "YK"), (-1.10, "HTNV"), (0.0, "HTTNV"), (2.05, "TSVM"), (np.inf, "TSVM_TB")]
CUTS_2018 = [(-2.05, "KHTNV"), (-1.02, "HTNV"), (1.57, "HTTNV"), (np.inf, "HTXSNV")]
LABEL = {"YK": "Yếu kém", "HTNV": "Hoàn thành nhiệm vụ", "HTTNV": "Hoàn thành tốt nhiệm vụ",
         "TSVM": "Trong sạch vững mạnh", "TSVM_TB": "Trong sạch vững mạnh tiêu biểu",
         "HTXSNV": "Hoàn thành xuất sắc nhiệm vụ", "KHTNV": "Không hoàn thành nhiệm vụ"}
ABBR = {"HTNV": "HTNV", "HTTNV": "HTTNV", "TSVM": "TSVM", "TSVM_TB": "TSVM tiêu biểu", "HTXSNV": "HTXSNV",
        "KHTNV": "KHTNV", "YK": "yếu kém"}
#: Variants listed in src/helpers/data/scales.yaml.
VARIANT = {"TSVM_TB": "TSVM-TB", "HTXSNV": "Hoàn thành xuất sắc", "KHTNV": "không hoàn thành", "YK": "yếu",
           "TSVM": "đạt trong sạch vững mạnh"}
#: Typos a study must map by hand (studies/example-panel.yaml, panel.labels).
TYPOS = {"HTTNV": "Hoàn thàn tốt nhiệm vụ", "TSVM": "Trong sach vưng mạnh", "HTNV": "Hoàn thanh nhiêm vụ",
         "HTXSNV": "Hoàn thành xuất xắc nhiệm vụ"}

PLACES = ["Hoà Bình", "Tân Lập", "Quang Trung", "Thuỷ Xuân", "Đồng Tâm", "Phú Mỹ", "An Khánh", "Hưng Đạo",
          "Lê Lợi", "Trần Phú", "Nghĩa Hưng", "Đức Thắng", "Minh Khai", "Tiến Thành", "Hoà Thắng", "Phước Lộc",
          "Long Hải", "Bình Minh", "Xuân Hoà", "Vĩnh Thuỷ", "Tân Tiến", "Hồng Phong", "Đại Đồng", "Kim Sơn",
          "Thanh Tuyền", "Hợp Thành", "Quảng Ninh", "Yên Lạc", "Sơn Thuỷ", "Ngọc Lâm"]
KINDS = [("Đảng bộ xã", "Đảng bộ cơ sở"), ("Đảng bộ thị trấn", "Đảng bộ cơ sở"),
         ("Chi bộ trường THCS", "Chi bộ cơ sở"), ("Chi bộ Trạm Y tế", "Chi bộ cơ sở"),
         ("Đảng bộ Công an xã", "Đảng bộ cơ sở")]
DISTRICTS = ["Đảng bộ huyện Bắc Hoà", "Đảng bộ huyện Nam Thuỷ", "Đảng bộ huyện Đông Sơn",
             "Đảng bộ huyện Tây Lương", "Đảng bộ thị xã Phú Hoà"]


def rating_code(z: float, year: int) -> str:
    for cut, code in (CUTS_2008 if year < 2018 else CUTS_2018):
        if z < cut:
            return code
    raise AssertionError("unreachable")


def typed(code: str, rng: np.random.Generator) -> str:
    """The label as a person might type it (≈ 30 % of cells differ from the canonical label)."""
    label = LABEL[code]
    u = rng.random()
    if u < 0.70:
        return label
    if u < 0.78:
        return ABBR[code]
    if u < 0.82:
        return label.upper()
    if u < 0.86:
        stripped = unicodedata.normalize("NFD", label.replace("đ", "d").replace("Đ", "D"))
        return "".join(ch for ch in stripped if not unicodedata.combining(ch)).lower()
    if u < 0.89:
        return label.replace("Hoàn", "Hòan")                  # tone mark on the wrong vowel
    if u < 0.92:
        return unicodedata.normalize("NFD", label)           # decomposed Unicode (e.g. typed on a Mac)
    if u < 0.96:
        return rng.choice(["  ", "\"", "'", " “"]) + label + rng.choice([" ", "\"", "  ", "”"])
    if u < 0.975 and code in VARIANT:
        return VARIANT[code]                                 # a known variant (scales.yaml)
    return TYPOS.get(code, label)


def main() -> None:
    rng = np.random.default_rng(SEED)
    OUT.mkdir(parents=True, exist_ok=True)
    names: set[tuple[str, str]] = set()
    units = []
    while len(units) < N_UNITS:
        kind, kind_type = KINDS[rng.integers(len(KINDS))]
        name = f"{kind} {PLACES[rng.integers(len(PLACES))]}"
        parent = DISTRICTS[rng.integers(len(DISTRICTS))]
        if (name, parent) in names:
            continue
        names.add((name, parent))
        units.append({"id": f"VD-{len(units) + 1:04d}", "name": name, "parent": parent, "type": kind_type})
    quality = rng.normal(0.0, 1.0, N_UNITS)
    noise = rng.normal(0.0, NOISE_SD, (N_UNITS, len(YEARS)))
    z = quality[:, None] + noise
    codes = [[rating_code(z[i, j], y) for j, y in enumerate(YEARS)] for i in range(N_UNITS)]
    # pilots: drawn by lot among the units rated HTNV or worse in 2015 (so they started weak and regress to the
    # mean, and every pilot has non-pilots with the same 2015 rating to be compared with)
    j_sel = YEARS.index(SELECTION_YEAR)
    lot = [rng.random() for _ in range(N_UNITS)]
    changed_index = int(CHANGED_ID[0][3:]) - 1
    weak = [i for i in range(N_UNITS) if codes[i][j_sel] in ("YK", "HTNV") and i != changed_index]
    pilots = sorted(weak, key=lambda i: lot[i])[:N_PILOTS]
    untreated = [list(c) for c in codes]
    for i in pilots:
        for j, y in enumerate(YEARS):
            if PILOT_START < y <= PILOT_END:
                z[i, j] += PILOT_EFFECT
                codes[i][j] = rating_code(z[i, j], y)
    j_end = YEARS.index(PILOT_END)
    good = {"HTTNV", "TSVM", "TSVM_TB", "HTXSNV"}
    share_with = sum(codes[i][j_end] in good for i in pilots) / len(pilots)
    share_without = sum(untreated[i][j_end] in good for i in pilots) / len(pilots)

    def uid(i: int, year: int) -> str:
        base = units[i]["id"]
        if i == changed_index and year >= 2018:
            return CHANGED_ID[1]
        return base if rng.random() > 0.01 else f" {base} "

    # 2014–2017: one workbook, a sheet per year under a title block; 2016 typed with a TCVN3 font
    book = openpyxl.Workbook()
    book.remove(book.active)
    header = ["STT", "Mã đơn vị", "Tên tổ chức cơ sở đảng", "Đảng bộ cấp trên", "Loại hình", "Xếp loại"]
    for j, year in enumerate(YEARS[:4]):
        ws = book.create_sheet(f"SYNTHETIC {year}")
        legacy = year == 2016
        enc = unicode_to_tcvn3 if legacy else (lambda s: s)
        ws.append([enc(f"DỮ LIỆU GIẢ LẬP (SYNTHETIC) — KẾT QUẢ XẾP LOẠI TỔ CHỨC CƠ SỞ ĐẢNG NĂM {year}")])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=6)
        ws.append([enc("Tỉnh Ví Dụ: số liệu tạo bằng máy (scripts/make_example_panel.py), không mô tả nơi có thật")])
        ws.append([])
        ws.append([enc(h) for h in header])
        for k, i in enumerate(rng.permutation(N_UNITS)):
            u = units[i]
            ws.append([k + 1, uid(i, year), enc(u["name"]), enc(u["parent"]), enc(u["type"]),
                       enc(typed(codes[i][j], rng))])
    book.save(OUT / "SYNTHETIC-ratings-2014-2017.xlsx")

    # 2018–2021: one long CSV, semicolon-separated, with a self-assessed score (decimal comma in places)
    with open(OUT / "SYNTHETIC-ratings-2018-2021.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["Mã đơn vị", "Tên tổ chức cơ sở đảng", "Đảng bộ cấp trên", "Loại hình", "Năm", "Xếp loại",
                    "Điểm tự chấm"])
        for j, year in enumerate(YEARS[4:], start=4):
            for i in range(N_UNITS):
                u = units[i]
                score = float(np.clip(np.round(75 + 8 * z[i, j] + rng.normal(0, 3), 1), 0, 100))
                score_text = f"{score:.1f}".replace(".", ",") if rng.random() < 0.3 else f"{score:g}"
                year_text = f"{year}.0" if rng.random() < 0.005 else str(year)
                w.writerow([uid(i, year), u["name"], u["parent"], u["type"], year_text, typed(codes[i][j], rng),
                            score_text])

    with open(OUT / "pilots.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Mã đơn vị", "Chương trình", "Năm bắt đầu", "Năm kết thúc"])
        for i in sorted(pilots):
            w.writerow([units[i]["id"], "củng cố", PILOT_START, PILOT_END])

    (OUT / "README.md").write_text(f"""# SYNTHETIC example panel — dữ liệu giả lập

Made by `scripts/make_example_panel.py` (seed {SEED}). **These data are synthetic: they describe no real
province, organisation or person.** They exist so that every cleaning rule of `helpers.cleaning.panel` runs in
`make reproduce`, and so the pilot-testing notebook has unit-level data to work on.

- `SYNTHETIC-ratings-2014-2017.xlsx`: one sheet per year under a two-line title block; the 2016 sheet is typed
  in TCVN3 (ABC fonts, e.g. .VnTime) and shows as mojibake in a Unicode font.
- `SYNTHETIC-ratings-2018-2021.csv`: one long table (UTF-8, `;`-separated) with a self-assessed score.
- `pilots.csv`: {N_PILOTS} pilot units of the programme "củng cố" ({PILOT_START}–{PILOT_END}), drawn by lot among
  the {len(weak)} units rated HTNV or worse in {SELECTION_YEAR} (declared in `studies/example-panel.yaml` as
  `selection: {{on: rating, years: [{SELECTION_YEAR}]}}`). Picked weak, they improve on average even without help
  (regression to the mean); the other {len(weak) - N_PILOTS} weak units of {SELECTION_YEAR} are the comparison.

## The true effect (what the report's verdict must recover)

The programme adds **+{PILOT_EFFECT} latent SD** to each pilot's quality in {PILOT_START + 1}–{PILOT_END}
(nothing before, nothing after). In {PILOT_END}, {round(100 * share_with)} % of the pilots were rated HTTNV or
better; with the same yearly noise and no programme, {round(100 * share_without)} % would have been. So the
verdict of `studies/example-panel.yaml` must be "effect", pilots better than comparable units, with an odds ratio
of reaching HTTNV or better well above 1. The naive before/after on pilots overstates it (regression to the
mean), and pilots vs all other units in {PILOT_END} gets its sign wrong (the pilots started far below).
- Unit {CHANGED_ID[0]} changes its id to {CHANGED_ID[1]} in 2018 (mapped in `studies/example-panel.yaml`).
- Labels are typed in many ways (abbreviations, upper case, no diacritics, a misplaced tone mark, decomposed
  Unicode, stray quotes and spaces) and with a few typos that the study file maps under `panel.labels`.
""", encoding="utf-8")
    print(f"wrote {OUT}: {N_UNITS} units x {len(YEARS)} years, {N_PILOTS} pilots; HTTNV or better in {PILOT_END}: "
          f"{share_with:.0%} of pilots (without the programme: {share_without:.0%})")


if __name__ == "__main__":
    main()
