"""The life of a worker process: it dies with the runner, and a stop leaves nothing behind.

A worker kills its kernel and removes its build folders and kernel socket folder when it is stopped (by the
runner, or by Linux when the runner dies), and never separates the two renames of a swap. A later run removes
the socket folders of workers that no longer run.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from pathlib import Path

from helpers import paths

#: Prefix of the folder holding a build's kernel sockets in the temporary folder; the worker's pid follows,
#: so a later run can tell the folders of dead workers.
SOCKETS_PREFIX = "helpers-kernel-"
#: Seconds the runner waits for a worker it stopped to clean up, before it kills it.
STOP_GRACE = 10


#: What the job being built now must leave behind it when stopped: build folders, socket folder.
building: list[Path] = []
_manager = None  # the KernelManager of the notebook running now


def watch_kernel(manager) -> None:
    """Record the KernelManager of the notebook running now (None when none), for a stop to kill its kernel."""
    global _manager
    _manager = manager


def _kill_kernel() -> None:
    """Kill the running kernel's process group at once (jupyter_client starts it in a session of its own)."""
    process = getattr(getattr(_manager, "provisioner", None), "process", None)
    if process is not None and process.poll() is None:
        try:
            if hasattr(os, "killpg"):
                os.killpg(process.pid, signal.SIGKILL)
            else:  # Windows
                process.kill()
        except (ProcessLookupError, PermissionError):
            pass


def _on_sigterm(signum, frame):
    """Stop now: kill the kernel, remove the build folders and sockets of the current job, end the process.

    This is done here, in the handler, and not by raising an exception: an exception raised inside the
    kernel client's event loop does not reliably unwind (it can wait on the dead kernel). SIGTERM is blocked
    during the renames of a swap, so a stop never falls between them; after the swap the build folder no
    longer exists under its build name.
    """
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _kill_kernel()
    for path in building:
        if path.name.startswith(SOCKETS_PREFIX):
            shutil.rmtree(path, ignore_errors=True)
        else:
            try:
                paths.remove_generated(path)
            except (OSError, paths.OutsideGeneratedFolders):
                pass
    os._exit(128 + signal.SIGTERM)


def start_worker(runner_pid: int) -> None:
    """Initializer of each worker process: die with the runner, leave Ctrl-C to the runner.

    Linux's ``PR_SET_PDEATHSIG`` sends SIGTERM to the worker when the runner ends for any reason, SIGKILL
    included; the runner itself sends SIGTERM to its workers when it is stopped. On SIGTERM a worker kills its
    kernel, removes its build folders and socket folder, and ends (:func:`_on_sigterm`). A kernel whose
    worker died otherwise ends by itself (ipykernel polls its parent).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
    except (OSError, AttributeError, TypeError):  # not Linux: the runner still stops its workers itself
        pass
    if os.getppid() != runner_pid:  # the runner died before the signal was armed
        os._exit(128 + signal.SIGTERM)


def blocked_stop():
    """A context in which SIGTERM waits: the two renames of a swap are never separated by a stop."""
    import contextlib

    if not hasattr(signal, "pthread_sigmask"):  # Windows: no signal masks (and no stop signal to mask)
        return contextlib.nullcontext()

    @contextlib.contextmanager
    def blocked():
        old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
        try:
            yield
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)

    return blocked()


def remove_dead_sockets() -> None:
    """Remove the kernel socket folders left in the temporary folder by workers that no longer run."""
    if os.name == "nt":  # os.kill(pid, 0) would send Ctrl-C there, not test the process
        return
    for folder in Path(tempfile.gettempdir()).glob(f"{SOCKETS_PREFIX}*-*"):
        pid = folder.name[len(SOCKETS_PREFIX):].split("-", 1)[0]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except PermissionError:  # another user's live process
            pass
