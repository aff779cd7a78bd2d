"""The runner under faults and bad input (issue 16): real runs of the real runner in a scratch project, real
kernels where the case needs one, real signals for the kill cases. Each test checks the message, the exit code
and that nothing outside the expected files changed."""

from __future__ import annotations

import fcntl
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest

from conftest import TINY_PUBLISHED

TINY_STUDY = """
title: {vi: "Thử nghiệm nhỏ", en: "Tiny test"}
notebooks: [02-check-published]
published: [published/tiny.csv]
"""

pytestmark = pytest.mark.slow


def _tiny(project, *names):
    project.write("data/raw/published/tiny.csv", TINY_PUBLISHED)
    for name in names or ("tiny",):
        project.study(name, TINY_STUDY)


def _everything(project) -> dict[str, bytes]:
    """Every file of the scratch project except the lock files (which a run creates and keeps) and the notebooks
    (which some tests replace on purpose; the runner only reads them)."""
    return {k: v for k, v in project.tree(".").items() if not k.startswith(("reports/.locks/", "notebooks/"))}


def _replace_notebook(project, code: str) -> None:
    """Replace notebook 02 by one whose second cell runs ``code`` (the first is the parameters cell)."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell('study = ""\nlanguage = ""\noutput_dir = ""'),
                      nbformat.v4.new_code_cell(code)]
    notebook.cells[0].metadata["tags"] = ["parameters"]
    nbformat.write(notebook, project.root / "notebooks" / "02-check-published.ipynb")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (dead, not yet reaped) counts as dead
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


# ---------------------------------------------------------------- 1. study names

def test_a_study_file_named_dot_dot_is_refused_and_moves_nothing(project):
    _tiny(project)
    assert project.run("run", "tiny").returncode == 0
    project.write("studies/..yaml", "title: {vi: d, en: d}\nnotebooks: [02-check-published]\n"
                                    "published: [published/tiny.csv]\n")
    before = _everything(project)

    named = project.run("run", ".")
    assert named.returncode == 2
    assert "studies/..yaml, field 'name': value '.' — a study name has lower-case letters" in named.stderr
    assert "Traceback" not in named.stdout + named.stderr
    assert _everything(project) == before

    # Without names, the bad file fails only its own study; tiny is still reported (up to date).
    everything = project.run("run")
    assert everything.returncode == 2
    assert "Study '.' was not run" in everything.stdout
    assert "Up to date (no kernel started): tiny" in everything.stdout
    assert _everything(project) == before


def test_the_runner_refuses_to_remove_or_rename_outside_the_generated_folders(project, monkeypatch):
    from helpers import paths

    monkeypatch.setattr(paths, "REPORTS", project.root / "reports")
    monkeypatch.setattr(paths, "DATA_PROCESSED", project.root / "data" / "processed")
    for outside in (project.root / "reports", project.root / "data" / "processed", project.root,
                    project.root / "data" / "raw" / "x", project.root / "reports" / ".." / "studies"):
        with pytest.raises(paths.OutsideGeneratedFolders):
            paths.check_generated(outside)
    assert paths.check_generated(project.root / "reports" / "tiny") == project.root / "reports" / "tiny"
    for name in ("tiny", "binh-thuan-7", "2024"):
        assert paths.is_study_name(name)
    for name in (".", "..", "", "Tiny", "a/b", "a_b", "-x", ".hidden", "tỉnh"):
        assert not paths.is_study_name(name), name


# ---------------------------------------------------------------- 2. stamps include the outputs

def test_missing_or_altered_outputs_are_rebuilt_not_reported_up_to_date(project):
    _tiny(project)
    assert project.run("run").returncode == 0
    findings = project.root / "reports" / "tiny" / "published" / "findings.csv"
    manifest = json.loads((project.root / "reports" / "tiny" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["outputs"]["reports/tiny/published/findings.csv"]["size"] == findings.stat().st_size
    good = findings.read_bytes()

    findings.unlink()
    missing = project.run("run")
    assert missing.returncode == 0, missing.stderr
    assert "tiny is rebuilt: reports/tiny/published/findings.csv is missing" in missing.stdout
    assert "1 notebook(s) executed" in missing.stdout and findings.read_bytes() == good

    findings.write_bytes(good.replace(b"HTNV", b"HTXX"))  # same size, other bytes
    altered = project.run("run")
    assert "tiny is rebuilt: reports/tiny/published/findings.csv was changed" in altered.stdout
    assert findings.read_bytes() == good

    stray = project.write("reports/tiny/stray.csv", "x\n")
    extra = project.run("run")
    assert "tiny is rebuilt: reports/tiny/stray.csv is not one of its outputs" in extra.stdout
    assert not stray.exists()
    assert "Up to date (no kernel started): tiny" in project.run("run").stdout


# ---------------------------------------------------------------- 4. process lifecycle

def _start_slow_run(project, tmp_path, study="tiny"):
    """A run whose notebook records the worker's and the kernel's pids, then sleeps; returns (process, pids)."""
    marker = tmp_path / "pids.json"
    _replace_notebook(project, "import json, os, time\n"
                               f"open({str(marker)!r}, 'w').write(json.dumps([os.getppid(), os.getpid()]))\n"
                               "time.sleep(120)")
    env = {**os.environ, "HELPERS_ROOT": str(project.root)}
    process = subprocess.Popen([sys.executable, "-m", "helpers", "run", study, "--force"], env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 120
    while not marker.exists() or not marker.read_text():
        assert time.monotonic() < deadline and process.poll() is None, process.communicate()
        time.sleep(0.2)
    worker, kernel = json.loads(marker.read_text())
    return process, worker, kernel


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL, signal.SIGINT])
def test_workers_kernels_and_build_folders_die_with_the_runner(project, tmp_path, sig):
    _tiny(project)
    assert project.run("run").returncode == 0
    before = _everything(project)
    process, worker, kernel = _start_slow_run(project, tmp_path)
    assert _alive(worker) and _alive(kernel)
    assert list((project.root / "reports").glob(".build-tiny-*")), "the build folder exists while it runs"
    if sig == signal.SIGINT:
        os.killpg(process.pid, sig)  # Ctrl-C reaches the terminal's whole foreground process group
    else:
        os.kill(process.pid, sig)
    out, err = process.communicate(timeout=60)
    deadline = time.monotonic() + 30
    while (_alive(worker) or _alive(kernel)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(worker), "the worker outlived the runner"
    assert not _alive(kernel), "the kernel outlived the runner"
    assert process.returncode == (-signal.SIGKILL if sig == signal.SIGKILL else 128 + sig), out + err
    if sig != signal.SIGKILL:
        assert f"Run stopped by {sig.name}: tiny stopped before finishing; their previous outputs are unchanged" in err
        assert "Traceback" not in out + err
    assert not list(Path(tempfile.gettempdir()).glob(f"helpers-kernel-{worker}-*"))
    assert _everything(project) == before, "nothing swapped in, no build folder left"
    with open(project.root / "reports" / ".locks" / "tiny.lock", "rb") as handle:  # the lock is free again
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)


def test_a_second_run_of_a_study_being_built_exits_with_a_clear_message(project):
    _tiny(project, "tiny", "other")
    assert project.run("run").returncode == 0
    before = _everything(project)
    (project.root / "reports" / ".locks").mkdir(exist_ok=True)
    with open(project.root / "reports" / ".locks" / "tiny.lock", "w") as handle:  # as a running run holds it
        handle.write("4242")
        handle.flush()
        fcntl.flock(handle, fcntl.LOCK_EX)
        result = project.run("run", "--force")
    assert result.returncode == 1
    assert ("Study 'tiny' is being built by another run right now (process 4242); this run left it alone. "
            "Wait until that run ends, then run again.") in result.stdout
    assert "built other" in result.stdout
    after = _everything(project)
    assert {k: v for k, v in after.items() if not k.startswith("reports/other/")} == {
        k: v for k, v in before.items() if not k.startswith("reports/other/")}


def test_leftovers_of_a_killed_run_are_removed_by_the_next_run_of_that_study_only(project):
    _tiny(project, "tiny", "tiny-en")
    assert project.run("run").returncode == 0
    leftovers = [project.write("reports/.build-tiny-20260101T000000-abcdef/x.ipynb", "{}"),
                 project.write("data/processed/.build-tiny-20260101T000000-abcdef/panel.csv", "x"),
                 project.write("reports/.old-tiny-1234abcd/report.html", "x")]
    others = [project.write("reports/.build-tiny-en-20260101T000000-abcdef/x.ipynb", "{}"),
              project.write("reports/notes.txt", "mine")]
    result = project.run("run", "tiny")
    assert result.returncode == 0 and "Up to date (no kernel started): tiny" in result.stdout
    assert not any(p.parent.exists() for p in leftovers)
    assert all(p.exists() for p in others)


# ---------------------------------------------------------------- 6. inputs only from data/raw

@pytest.mark.parametrize(("field", "written", "rule"), [
    ("published", "ABSOLUTE", "every input must be a file inside data/raw/"),
    ("published", "../../outside.csv", "every input must be a file inside data/raw/"),
    ("published", "published/link.csv", "every input must be a file inside data/raw/"),
    ("published", "published/tiny.pdf", "unsupported file type; use .csv or .tsv or .txt or .xlsx or .xlsm"),
    ("panel.files", "../../outside.csv", "every input must be a file inside data/raw/"),
])
def test_inputs_outside_data_raw_or_of_the_wrong_type_are_refused_up_front(project, field, written, rule):
    _tiny(project)
    outside = project.write("outside.csv", TINY_PUBLISHED)
    (project.root / "data" / "raw" / "published" / "link.csv").symlink_to(outside)
    project.write("data/raw/published/tiny.pdf", "%PDF")
    written = str(outside) if written == "ABSOLUTE" else written
    if field == "published":
        body = f"title: {{vi: a, en: b}}\nnotebooks: [02-check-published]\npublished: ['{written}']\n"
    else:
        body = f"title: {{vi: a, en: b}}\nnotebooks: [01-clean]\npanel: {{level: organisation, files: ['{written}']}}\n"
    project.study("bad", body)
    before = _everything(project)
    result = project.run("run", "bad")
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"studies/bad.yaml, field '{field}': value '{written}' — {rule}" in result.stderr
    assert "Running" not in result.stdout, "no kernel may start"
    assert _everything(project) == before


# ---------------------------------------------------------------- 8. every failure is one paragraph

def test_a_manifest_holding_a_list_means_rebuild_not_a_traceback(project):
    _tiny(project)
    assert project.run("run").returncode == 0
    for force in ((), ("--force",)):
        (project.root / "reports" / "tiny" / "manifest.json").write_text("[]", encoding="utf-8")
        result = project.run("run", *force)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "built tiny" in result.stdout and "Traceback" not in result.stderr


def _read_only_reports(project):
    """Make reports/ read-only for this process: a read-only mount when running as root (root ignores file
    modes), the file mode otherwise. Returns the function that undoes it."""
    reports = project.root / "reports"
    if os.geteuid() != 0:
        reports.chmod(0o555)
        return lambda: reports.chmod(0o755)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(reports)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot make reports/ read-only as root here: {mounted.stderr.strip()}")
    return lambda: subprocess.run(["umount", str(reports)], check=True)


def test_a_read_only_reports_folder_is_one_paragraph_and_exit_1(project):
    _tiny(project)
    before = _everything(project)
    undo = _read_only_reports(project)
    try:
        result = project.run("run")
    finally:
        undo()
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Study 'tiny' failed while preparing its build: " in result.stdout
    assert "Read-only file system" in result.stdout or "Permission denied" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout.rstrip().endswith("FAILED: tiny.")
    assert _everything(project) == before


def test_a_full_disk_while_writing_the_report_keeps_the_previous_outputs(project):
    _tiny(project)
    assert project.run("run").returncode == 0
    before = _everything(project)
    report = project.root / "reports" / "tiny" / "report.html"
    notebook = project.root / "reports" / "tiny" / "02-check-published.ipynb"
    # A file-size limit between the executed notebook and report.html: every notebook output fits, the
    # report does not, and the write fails with EFBIG (as a full disk fails with ENOSPC).
    limit = (max(p.stat().st_size for p in (project.root / "reports" / "tiny").rglob("*")
                 if p.is_file() and p != report) + report.stat().st_size) // 2
    assert notebook.stat().st_size < limit < report.stat().st_size

    def limited():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    # The kernel's IPython history gets a fresh (small) database, so only the report meets the limit.
    env = {**os.environ, "HELPERS_ROOT": str(project.root), "IPYTHONDIR": str(project.root.parent / "ipython")}
    result = subprocess.run([sys.executable, "-m", "helpers", "run", "--force"], env=env, capture_output=True,
                            text=True, preexec_fn=limited, timeout=600)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Study 'tiny' failed while writing the report: OSError: [Errno 27] File too large" in result.stdout
    assert "Nothing was half-written: the previous outputs of 'tiny' are unchanged." in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert _everything(project) == before


def test_a_crashed_worker_fails_its_study_and_the_run_still_reports_and_checks_data_raw(project):
    _tiny(project, "tiny", "tiny-en")
    project.write("data/raw/notes.txt", "kept as received")
    _replace_notebook(project, "import os, signal\n"
                               "from helpers import paths\n"
                               "(paths.DATA_RAW / 'notes.txt').write_text('oops')\n"
                               "os.kill(os.getppid(), signal.SIGKILL)")
    result = project.run("run", "--jobs", "1")
    assert result.returncode == 3, result.stdout + result.stderr  # data/raw/ was still checked
    for name in ("tiny", "tiny-en"):  # the pool is broken for both: both are reported
        assert f"Study '{name}' failed while running in its worker process: BrokenProcessPool" in result.stdout
    assert "ERROR: files under data/raw/ changed or vanished during the run: notes.txt." in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout.rstrip().splitlines()[-1].startswith("Done in ")
    assert not list((project.root / "reports").glob(".build-*")), "the dead worker's build folder is removed"


# ---------------------------------------------------------------- 9. data/raw guard and messages

def test_an_input_changed_mid_run_is_not_swapped_in_and_a_new_raw_file_is_no_error(project):
    _tiny(project)
    assert project.run("run").returncode == 0
    before = _everything(project)
    raw = project.root / "data" / "raw" / "published"
    _replace_notebook(project, "from helpers import paths\n"
                               "(paths.DATA_RAW / 'published' / 'tiny.csv').write_text('half a copy')\n"
                               "(paths.DATA_RAW / 'published' / 'new.csv').write_text('a new file')")
    result = project.run("run", "--force")
    assert result.returncode == 1, result.stdout + result.stderr
    assert ("Study 'tiny' was not updated: data/raw/published/tiny.csv changed while the run was reading it, "
            "so the new outputs were not swapped in") in result.stdout
    assert "ERROR" not in result.stderr, "a new file in data/raw/ is not an error"
    after = _everything(project)
    assert {k: v for k, v in after.items() if not k.startswith("data/raw/") and not k.startswith("notebooks/")} == {
        k: v for k, v in before.items() if not k.startswith("data/raw/") and not k.startswith("notebooks/")}
    assert (raw / "new.csv").exists()


def test_a_stale_failed_folder_goes_once_the_study_is_up_to_date_again(project):
    _tiny(project)
    assert project.run("run").returncode == 0
    good = (project.root / "data" / "raw" / "published" / "tiny.csv").read_text(encoding="utf-8")
    project.write("data/raw/published/tiny.csv", good.replace("category", "label"))
    assert project.run("run").returncode == 1
    assert (project.root / "reports" / "tiny" / "failed").exists()
    project.write("data/raw/published/tiny.csv", good)
    result = project.run("run")
    assert result.returncode == 0 and "Up to date (no kernel started): tiny" in result.stdout
    assert not (project.root / "reports" / "tiny" / "failed").exists()


def test_long_values_are_cut_to_200_characters_in_messages(project):
    project.study("long", "title: {vi: a, en: b}\nlanguage: " + "x" * 100_000 + "\n")
    result = project.run("run", "long")
    assert result.returncode == 2
    assert "x" * 200 + "… (99,800 more characters)" in result.stderr
    assert len(result.stderr) < 2_000


def test_one_bad_study_file_fails_only_its_study_unless_it_is_named(project):
    _tiny(project)
    assert project.run("run").returncode == 0
    project.study("bad", TINY_STUDY + "export: {colour: red}\n")  # loads, but its export section is refused
    before = _everything(project)
    everything = project.run("run")
    assert everything.returncode == 2, everything.stdout + everything.stderr
    assert "Study 'bad' was not run: study file bad.yaml has problems" in everything.stdout
    assert "field 'export.colour': value 'red' — unknown field; known fields: font" in everything.stdout
    assert "Up to date (no kernel started): tiny" in everything.stdout
    named = project.run("run", "bad", "tiny")
    assert named.returncode == 2 and "cannot run: study files have problems" in named.stderr
    assert "Up to date" not in named.stdout, "a named bad study stops the whole run"
    assert _everything(project) == before
