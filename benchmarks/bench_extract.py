"""Benchmark of the article extractor (issue 15): how well it reads, and how fast.

Quality, on the test set of ``tests/fixtures/extract/*.yaml`` (``paragraphs.yaml`` for the tuning split and
batches 1–5, one file per later batch: 122 real rating paragraphs with 379 expected rows and 156 real distractors,
all with their urls, plus 9 synthetic distractors; expected rows written by hand before the extractor saw them)
and on the five seed articles (expected rows: the hand-typed tables of ``data/raw/published/``, their rating tables
less the targets):

* recall = rows found / rows a careful reader transcribes (same level, count and percentage as printed, same unit
  level, same base when one is printed); target ≥ 90 %;
* precision = rows found / rows extracted; target ≥ 95 %;
* distractors (targets, changes, admissions, plain counts, attendance, task ratings, commendations): rows
  extracted, target 0.

Each figure is given for the split the patterns were built on (``tune``), for the seeds, and for the three
held-out batches. Their first measurements, taken before any change made after seeing them, are the honest
estimate of how the extractor reads paragraphs it has never seen:

* ``heldout`` (20 cases, 25 expected rows): recall 88.0 % (22/25), precision 100 % (22/22), 2 distractor rows
  (a range over five years, "từ 83,3% đến 85,6%");
* ``heldout2`` (7 cases, 11 expected rows, gathered after the first was spent): recall 54.5 % (6/11),
  precision 85.7 % (6/7), 4 distractor rows (civil servants' ratings read as party organisations');
* ``heldout3`` (27 cases: 16 real paragraphs with 54 expected rows and 11 real distractors, gathered in round 2
  after the first two were spent, rows typed and committed before the extractor ran on them; first run, verbatim):
  ``heldout3 27 cases: recall  53.7% (29/54)   precision  64.4% (29/45)   distractor rows 8 (of 11 distractors)``.
  This is the honest estimate for paragraphs the extractor has never seen: well below the targets. Most of the
  misses were of a kind the earlier batches did not show: shares printed after "đạt tỷ lệ", with a decimal point
  ("19.2%") or without a % sign ("2,3"); totals printed as "N/M … kiểm điểm, đánh giá" or "dự đánh giá"; a bare
  "chi bộ" that refers back to "chi bộ trực thuộc …" named in an earlier sentence; and rules of the guidelines
  ("phải có 100% …", "không vượt quá 20% …", "trên 1/3 số …") read as results.

After round 2's general rules (written for the genre's phrasing, each with a unit test of its own sentence in
``tests/test_published_extract_text.py``; none names a paragraph), measured on 30 November 2026. These are TUNE
figures now: every split below has been looked at, so none of them is held-out any more; the only honest held-out
figures are the first measurements above.

* ``heldout3`` after the fixes (tuned on it): recall 94.4 % (51/54), precision 96.2 % (51/53), 0 distractor rows.
  Left: two typos of the source ("Chi bộ thành nhiệm vụ", "đủ từ cách") and one level ("tổ chức Đảng yếu kém dưới
  1%" in a sentence about TCCSĐ) — not fixed, because a rule for them would be a rule for these paragraphs.
* all splits together: recall 96.1 % (174/181), precision 98.9 % (174/176), 0 distractor rows (of 40); the earlier
  splits did not lose a row (tune 48/48, seed 42/43, heldout 22/25, heldout2 11/11).

A fourth batch, gathered AFTER those rules were written (5 real paragraphs with 14 expected rows, 6 real
distractors; rows typed and committed before the extractor ran on them), first run, verbatim:
``heldout4 11 cases: recall   7.1% (1/14)   precision  11.1% (1/9)   distractor rows 0 (of 6 distractors)``.
It is small, but it says plainly that the round-2 rules did not generalise to a phrasing none of the earlier batches
had: the label first and its count after it ("trong đó: Hoàn thành xuất sắc nhiệm vụ 08 (có 01 đảng bộ và 07 chi
bộ), chiếm tỷ lệ 15,67%"), totals of a generic noun ("147/147 tổ chức được đánh giá", "2.645/2.993 đồng chí được
xếp loại"), "đã đánh giá 10 chi bộ = 100%", "được xét hoàn thành xuất sắc nhiệm vụ". The distractors held (0 rows).
General rules for those (a label followed by its own number heads the next item; a share is of the count before a
breakdown in parentheses, whose units do not set the level; totals of a generic noun; "đã đánh giá N … = X%";
"được xét") bring it to recall 71.4 % (10/14), precision 71.4 % (10/14), 0 distractor rows — TUNED on it, not
held-out. All numbers of that batch are now read; the four rows left differ only in level: the paragraph prints
"tổ chức đảng cấp huyện" for what its breakdown shows to be tổ chức cơ sở đảng, and the extractor keeps the printed
level. All splits together after both passes: recall 94.4 % (184/195), precision 96.8 % (184/190), 0 distractor
rows (of 46); with batch 5, recall 94.4 % (186/197), precision 96.9 % (186/192), 0 distractor rows (of 47).

A fifth batch after that second pass (all the last searches still found that no batch holds: 1 paragraph, 2 rows,
1 distractor), first run (as the benchmark prints it, in the run after batch 5 was committed):
``heldout5  2 cases: recall 100.0% (2/2)   precision 100.0% (2/2)   distractor rows 0 (of 1 distractors)`` — far too small to be an estimate; it is recorded so that nobody mistakes it for one.

A sixth batch, gathered on 30 November 2026 by a collector who never ran or read the extractor (25 real rating
paragraphs with 82 expected rows, 34 real distractors, all from pages in no earlier batch; file ``heldout6.yaml``),
merged and measured at once, with main as it stood (commit 02aa7f2, which already held two general passes written
without seeing it); first run, verbatim:
``heldout6 59 cases: recall  57.3% (47/82)   precision  77.0% (47/61)   distractor rows 4 (of 34 distractors)``.
Like batches 3 and 4, it says the rules do not yet generalise: misses were levels taken from the wrong noun
(a "đảng bộ" that is a grassroots organisation, a bare "chi bộ" after "chi bộ trực thuộc"), counts printed as
"N/M" or with their base printed apart, a count lost beside its share, averages over a term, "hoàn thành tốt …,
trong đó … xuất sắc" read as the higher level, and members whose label is far from the word "đảng viên". From here on batch 6 is tuning material, not held-out.

Batches 7 and 8 were gathered at the same time as batch 6 by two other collectors, also blind to the extractor,
and kept sealed in their own branches while the extractor was tuned on batch 6 (about 38 general rules, each with a
unit test on a sentence of its own). Before the first run, six cases whose page an earlier batch already held were
dropped (same url, or ≥ 15 shared 8-word sequences; listed at the top of each file). First run, at commit edd36b1,
verbatim:
``heldout7 45 cases: recall  85.7% (42/49)   precision  85.7% (42/49)   distractor rows 9 (of 25 distractors)``
``heldout8 56 cases: recall  73.1% (49/67)   precision  89.1% (49/55)   distractor rows 8 (of 34 distractors)``
Together: recall 78.4 % (91/116), precision 87.5 % (91/104), 17 rows from 7 of the 59 distractor paragraphs —
the honest estimate for paragraphs never seen after the batch-6 pass; better than batch 6's first run (57.3 %,
77.0 %), still below the targets. The distractor rows came from paragraphs of targets or plans whose cue is a
sentence earlier ("phấn đấu", "chỉ tiêu" before a list of shares), from nominations ("đề cử"), and from ratings of
cadres ("cán bộ") read as members; the misses from levels of the pre-2008 and term-average reports, totals printed
as plain counts, and "tốt và xuất sắc" pairs.

What the first two showed was then fixed as general rules (ranges are not values; a ';' right after a number ends its
clause; a change "giảm 1,61%" is not read through another number; ratings with no party unit in a sentence
about civil servants are dropped), so the figures printed for them now are no longer held-out. Rows of compositions
of units ("71 tổ chức cơ sở đảng, trong đó 25 …") are not rating numbers: they are counted apart and not scored.

Round 4, on batches 7 and 8 (now tuning material): general rules for the families of their misses, each with unit
tests on sentences of its own (``tests/test_published_extract_plans.py``, ``…_pairs.py``, ``…_totals_old.py``):
plans announced a sentence or a heading before their shares ("xác định 5 chỉ tiêu chủ yếu. Trong đó, …", "Chỉ tiêu
năm 2024:" over its list, "phấn đấu …. Trong đó có …"), a plan's words ("đặt ra:", "đăng ký N%", "sẽ …", "nhiệm kỳ
tới", "Kế hoạch … nêu rõ:", a plan of admissions "N đảng viên trở lên"), nominations ("đề cử", "đề xuất", "đề nghị …
xếp loại"), voters ("thống nhất"), cadres ("cán bộ", "người đứng đầu"), other people's shares ("95% hội viên"),
zeros of offenders; the two top levels with "hoàn thành" repeated, "hoàn thành tốt đạt N%", quoted labels before
"trở lên", shared predicates inside parentheses, "đủ tư cách" alone, totals with "phân tích"/"tham gia đánh giá",
"đảng bộ xã, phường, thị trấn". TUNED figures, not held-out: batches 7+8 recall 96.6 % (112/116), precision 99.1 %
(112/113), 0 distractor rows (of 59); all splits recall 98.2 % (388/395), precision 99.7 % (388/389), 0 distractor
rows (of 140); no earlier split lost a row.


A ninth batch, gathered by a fourth blind collector while round 4 was written and kept sealed until it was merged
(12 real rating paragraphs with 27 expected rows and 28 real distractors: the search tool's public pages held no
more rating paragraphs that no batch had), first run at commit 1d77eb1, verbatim:
``heldout9 40 cases: recall  85.2% (23/27)   precision 100.0% (23/23)   distractor rows 0 (of 28 distractors)``.
Precision and the distractors meet their targets on text never seen; recall does not (Wilson 95 % interval for
23/27: 67 %–94 %). The four misses: two shares of a term's targets reported as met ("đã thực hiện hoàn thành
các mục tiêu, nhiệm vụ đề ra: 100% đảng viên đủ tư cách …, 15% hoàn thành xuất sắc …"), a yearly share in a term
review ("Hàng năm, tỷ lệ chi bộ trực thuộc đạt trong sạch vững mạnh hơn 80%"), and "100% đảng viên hoàn thành tốt
nhiệm vụ" after a list of military quotas met ("đạt 100% chỉ tiêu"). Over the three held-out runs of this session, each after a round of general rules, the first measurements
went from recall 57.3 % → 78.4 % → 85.2 %, precision 77.0 % → 87.5 % → 100 %, distractor rows 4 → 17 → 0.

Speed (medians of repeats, ratio = median / target, below 1 = within target; wall-clock and CPU time are both
given, with the load average, because the development machine is shared and its wall clock counts the waits):

* a 100-page PDF (the test set's paragraphs laid out by LibreOffice and printed to PDF, as a Word article
  is) read and extracted within 5 s;
* 1,000 paragraphs (the test set's paragraphs repeated) extracted within 1 s after start-up (one warm-up run
  first, so imports and the label pattern are built before the clock).

Run: ``.venv/bin/python benchmarks/bench_extract.py [--repeats 5]``
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from helpers.paths import DATA_RAW, ROOT
from helpers.published.extract import extract_article, extract_text
from helpers.published.extract.scoring import load_cases, score_cases, seed_cases

FIXTURES = ROOT / "tests" / "fixtures" / "extract"
#: The test set: ``paragraphs.yaml`` (batches up to heldout5) and one file per later batch (``heldout6.yaml`` …).
CASE_FILES = sorted(FIXTURES.glob("*.yaml"))
SEEDS = FIXTURES / "seeds"


def all_cases():
    """Every case of every file of the test set."""
    return [case for path in CASE_FILES for case in load_cases(path)]


def quality() -> None:
    cases = all_cases() + seed_cases(SEEDS, DATA_RAW / "published")
    score = score_cases(cases)
    frame = score.cases
    print("quality (recall target ≥ 90 %, precision target ≥ 95 %, distractor rows target 0)")
    later = sorted({split for split in frame["split"] if split.startswith("heldout")} - {"heldout"},
                   key=lambda name: int(name.removeprefix("heldout")))
    for split in ("tune", "seed", "heldout", *later, None):
        part = frame if split is None else frame[frame["split"] == split]
        rating = part[part["kind"] == "rating"]
        name = split or "all"
        print(f"  {name:<8} {len(part):>2} cases: recall {score.recall(split):6.1%} "
              f"({rating.n_found.sum()}/{rating.n_expected.sum()})   precision {score.precision(split):6.1%} "
              f"({rating.n_found.sum()}/{rating.n_extracted.sum()})   distractor rows "
              f"{score.distractor_rows(split)} (of {int((part.kind == 'distractor').sum())} distractors)   "
              f"composition rows (not scored) {int(part.n_composition.sum())}")
    for row in frame.itertuples():
        if row.missed or row.extra:
            print(f"    {row.split}/{row.case}: missed [{row.missed}] extra [{row.extra}]")


def write_long_pdf(folder: Path, paragraphs: list[str], pages: int = 100) -> Path | None:
    """A PDF of at least ``pages`` pages, the way an article reaches us: text laid out by a word processor
    (LibreOffice, headless) and printed to PDF. None when LibreOffice is not installed."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    source = folder / "long.txt"
    source.write_text("\n\n".join(paragraphs[i % len(paragraphs)] for i in range(14 * pages)), encoding="utf-8")
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{folder}/profile", "--convert-to", "pdf",
                    "--outdir", str(folder), str(source)], check=True, capture_output=True, timeout=600)
    return folder / "long.pdf"


def timed(function, repeats: int) -> tuple[float, float]:
    """Medians of wall-clock and process (CPU) time."""
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def report(name: str, medians: tuple[float, float], target: float) -> None:
    wall, cpu = medians
    print(f"{name:<58} wall {wall:7.3f} s (ratio {wall / target:5.2f})   cpu {cpu:7.3f} s (ratio {cpu / target:5.2f})"
          f"   target {target:4.1f} s")


def speed(repeats: int) -> None:
    import os

    from pypdf import PdfReader

    paragraphs = [case.text for case in all_cases()]
    text = "\n".join(paragraphs[i % len(paragraphs)] for i in range(1000))
    extract_text(text[:5000])                                   # start-up: imports, label pattern
    load = os.getloadavg()[0]
    print(f"speed ({repeats} repeats, medians; load average {load:.1f} on {os.cpu_count()} cores: the wall time "
          f"counts the waits of a shared machine, the CPU time does not)")
    rows = len(extract_text(text).rows)
    report(f"extract 1,000 paragraphs ({len(text):,} characters, {rows:,} rows)",
           timed(lambda: extract_text(text), repeats), 1.0)
    with tempfile.TemporaryDirectory() as folder:
        pdf = write_long_pdf(Path(folder), paragraphs)
        if pdf is None:
            print("read + extract a 100-page PDF: not measured (LibreOffice is not installed)")
            return
        pages = len(PdfReader(pdf).pages)
        rows = len(extract_article(pdf).rows)
        report(f"read + extract a {pages}-page PDF ({pdf.stat().st_size // 1024:,} KiB, {rows:,} rows)",
               timed(lambda: extract_article(pdf), max(3, repeats // 2)), 5.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    quality()
    speed(args.repeats)


if __name__ == "__main__":
    main()
