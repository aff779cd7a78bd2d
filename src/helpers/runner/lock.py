"""One lock per job, so two runs never build or swap the same study at once.

The lock is an advisory ``flock`` on ``reports/.locks/<job>.lock``, held by the runner process for the whole
run. The kernel releases it when the process ends, however it ends, so a killed run never leaves a lock
behind. While it holds a job's lock, a run also removes what an earlier, killed run of that job left:
build folders and half-finished swaps.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: msvcrt locks the lock file's first byte instead
    fcntl = None

from helpers import paths
from helpers.runner.jobs import Job

LOCKS = ".locks"


class JobLock:
    """The held lock of one job; :meth:`release` (or the end of the process) frees it."""

    def __init__(self, descriptor: int):
        self._descriptor = descriptor

    def release(self) -> None:
        if self._descriptor >= 0:
            os.close(self._descriptor)  # closing the only descriptor releases the flock
            self._descriptor = -1


def lock_file(job: Job) -> Path:
    return paths.REPORTS / LOCKS / (job.name.replace("/", "-") + ".lock")


def acquire(job: Job) -> JobLock | str:
    """Take the job's lock without waiting: the lock, or the message saying which run holds it.

    Raises ``OSError`` when the lock file cannot be created (a read-only reports/, for instance).
    """
    path = lock_file(job)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
    try:
        _lock(descriptor)
    except (BlockingIOError, PermissionError):  # PermissionError: msvcrt's "locked by another process"
        holder = _holder(descriptor)
        os.close(descriptor)
        return (f"{job.label} is being built by another run right now (process {holder}); this run left it "
                f"alone. Wait until that run ends, then run again.")
    except BaseException:
        os.close(descriptor)
        raise
    if fcntl is not None:  # the holder's pid, for the message of a second run (msvcrt's lock would hide it)
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, str(os.getpid()).encode("ascii"), 0)
    return JobLock(descriptor)


def _lock(descriptor: int) -> None:
    if fcntl is not None:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    else:
        import msvcrt

        msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)


def _holder(descriptor: int) -> str:
    if fcntl is None:
        return "unknown"
    return os.pread(descriptor, 32, 0).decode("ascii", "replace").strip() or "unknown"


def remove_leftovers(job: Job) -> list[Path]:
    """Remove the build folders and half-swapped old folders that killed runs of ``job`` left behind.

    Call it only while holding the job's lock: then no live run is using them. Returns what was removed.
    """
    slug = re.escape(job.name.replace("/", "-"))
    build = re.compile(rf"\.build-{slug}-\d{{8}}T\d{{6}}-[0-9a-f]{{6}}")
    removed = []
    places = [(paths.REPORTS, build), (paths.DATA_PROCESSED, build),
              (job.report_dir.parent, re.compile(rf"\.old-{re.escape(job.report_dir.name)}-[0-9a-f]{{8}}"))]
    if job.processed_dir is not None:
        places.append((job.processed_dir.parent,
                       re.compile(rf"\.old-{re.escape(job.processed_dir.name)}-[0-9a-f]{{8}}")))
    for folder, pattern in places:
        if not folder.is_dir():
            continue
        for item in folder.iterdir():
            if pattern.fullmatch(item.name):
                paths.remove_generated(item)
                removed.append(item)
    return removed
