"""Child processes that end with their parent: ``hz run`` killed with ``kill -9`` leaves nothing running.

A SIGKILL cannot be handled, so the parent cannot stop its children on the way out; each child
watches its parent instead:

- On Linux, :func:`die_with_parent` asks the kernel (``prctl(PR_SET_PDEATHSIG)``) to send the
  child a signal when the thread that started it ends. Pool workers get SIGTERM (their handler
  stops their notebook kernel and PDF engine, then exits); kernels and Chromium get SIGKILL.
- Elsewhere, or when the starting thread may end before the process (a helper started from a
  short-lived thread), :func:`watch_parent` polls the parent's id: when the process has been
  handed to another parent, the parent is gone, and the child ends.

Notebook kernels also have their own poller (ipykernel's ``JPY_PARENT_PID``), and the WeasyPrint
helper ends when its input closes; both are backed up here.

>>> die_with_parent(0) in (True, False)
True
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import os
import signal
import sys
import threading
import time
from collections.abc import Callable

__all__ = ["die_with_parent", "watch_parent", "preexec_die_with_parent", "CHECK_INTERVAL"]

#: Seconds between two looks at the parent's id (:func:`watch_parent`).
CHECK_INTERVAL = 0.5

_PR_SET_PDEATHSIG = 1


@functools.cache
def _prctl() -> Callable[..., int] | None:
    """libc's ``prctl`` (Linux only), or None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        fn: Callable[..., int] = libc.prctl
    except (OSError, AttributeError):
        return None
    return fn


def die_with_parent(sig: int = signal.SIGTERM) -> bool:
    """Have this process receive ``sig`` when its parent (the thread that started it) ends.

    Returns False where this is not available (not Linux); use :func:`watch_parent` then.
    ``sig=0`` clears the setting."""
    prctl = _prctl()
    if prctl is None:
        return False
    return prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0


def preexec_die_with_parent(sig: int = signal.SIGKILL) -> Callable[[], None] | None:
    """A ``preexec_fn`` for :class:`subprocess.Popen`: the child gets ``sig`` when the starting thread
    ends. Use it only from a thread that lives as long as the child (the main thread, or one that
    waits for the child); None where prctl is not available."""
    prctl = _prctl()
    if prctl is None:
        return None
    number = int(sig)

    def preexec() -> None:
        prctl(_PR_SET_PDEATHSIG, number, 0, 0, 0)

    return preexec


def watch_parent(on_death: Callable[[], None] | None = None, *, parent: int | None = None) -> threading.Thread:
    """Start a daemon thread that calls ``on_death`` (default: exit at once with code 1) when this
    process's parent ``parent`` (default: the current one) has ended. Also right away when the
    parent already ended before this was called (a race with a prctl set too late)."""
    ppid = os.getppid() if parent is None else parent

    def end() -> None:
        os._exit(1)

    action = on_death or end

    def watch() -> None:
        while os.getppid() == ppid:
            time.sleep(CHECK_INTERVAL)
        with contextlib.suppress(BaseException):
            action()
        os._exit(1)

    t = threading.Thread(target=watch, name="hz-parent-watch", daemon=True)
    t.start()
    return t
