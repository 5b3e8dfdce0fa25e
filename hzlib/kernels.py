"""The notebook kernels ``hz run`` (and ``papermill --engine hz``) starts: quiet, private, and
never outliving the run.

- Kernels talk to the runner over local IPC sockets in a private folder (mode 0700,
  removed at exit) instead of TCP ports on localhost that any local user could connect
  to; hence no "Kernel is running over TCP without encryption" warning either.
- A kernel is stopped at once when its notebook is done or the run is interrupted (a
  graceful shutdown request racing a running cell makes the kernel print a traceback).
- :func:`stop_kernels` kills what papermill's clean-up does not reach (Ctrl-C while a
  kernel is starting).
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import itertools
import os
import shutil
import signal
import tempfile
import weakref
from pathlib import Path
from typing import Any

from .atomicfile import process_alive

__all__ = ["kernel_options", "new_kernel_manager", "stop_kernels"]

#: Kernel managers this process created (weakly held; see :func:`stop_kernels`).
_KERNELS: weakref.WeakSet[Any] = weakref.WeakSet()


@functools.cache
def _kernel_socket_dir() -> Path:
    """A private folder (mode 0700) for this process's kernel sockets, removed at exit; the
    folders of killed processes (no exit handlers) are removed when the next one is made."""
    for old in Path(tempfile.gettempdir()).glob("hz-kernels-*-*"):
        pid = old.name.split("-")[2]
        if pid.isdigit() and not process_alive(int(pid)):
            shutil.rmtree(old, ignore_errors=True)
    folder = Path(tempfile.mkdtemp(prefix=f"hz-kernels-{os.getpid()}-"))
    atexit.register(shutil.rmtree, folder, True)
    return folder


@functools.cache
def _tracked_kernel_manager(blocking: bool = False) -> type:
    """jupyter_client's kernel manager (async for nbclient/papermill, ``blocking`` for a kernel
    kept by :class:`hzlib.runner.kernel.WarmKernel`), remembering its instances for
    :func:`stop_kernels`; IPC sockets go to :func:`_kernel_socket_dir`, not the kernel's working folder."""
    # lazy: jupyter_client.manager and traitlets cost 64 ms at import of hzlib.run (85 ms at import of hzlib.nbclean); only starting a kernel needs them
    from jupyter_client.manager import AsyncKernelManager, KernelManager
    from traitlets import default  # lazy: as above

    numbers = itertools.count(1)
    base = KernelManager if blocking else AsyncKernelManager

    class TrackedKernelManager(base):  # type: ignore[valid-type,misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            _KERNELS.add(self)

        @default("ip")
        def _ip_default(self) -> str:
            if self.transport == "ipc":
                return str(_kernel_socket_dir() / f"k{next(numbers)}")
            return str(super()._ip_default())

    return TrackedKernelManager


def stop_kernels() -> None:
    """Kill the kernels this process started and has not shut down: Ctrl-C while a kernel was
    starting leaves it outside papermill's clean-up, and it would outlive ``hz run``."""
    for km in list(_KERNELS):
        if not km.has_kernel:
            continue
        prov = km.provisioner
        pgid = getattr(prov, "pgid", None)
        pid = getattr(prov, "pid", None)
        with contextlib.suppress(OSError):
            if pgid and pgid != os.getpgrp():  # the kernel's own group (never this process's)
                os.killpg(pgid, signal.SIGKILL)
            elif pid:
                os.kill(pid, signal.SIGKILL)


def new_kernel_manager(kernel_name: str = "python3") -> Any:
    """A blocking kernel manager set up as described above (IPC sockets, tracked)."""
    kwargs: dict[str, Any] = {"kernel_name": kernel_name}
    if os.name == "posix":
        kwargs["transport"] = "ipc"
    return _tracked_kernel_manager(blocking=True)(**kwargs)


def kernel_options() -> dict[str, Any]:
    """Keyword arguments for ``papermill.execute_notebook`` (passed on to nbclient) that start
    kernels as described above."""
    options: dict[str, Any] = {"shutdown_kernel": "immediate", "kernel_manager_class": _tracked_kernel_manager()}
    if os.name == "posix":  # IPC transport needs Unix sockets
        from traitlets.config import Config  # lazy: traitlets.config costs 13 ms at import of hzlib.run (8 ms at import of hzlib.nbclean)

        options["config"] = Config({"KernelManager": {"transport": "ipc"}})
    return options
