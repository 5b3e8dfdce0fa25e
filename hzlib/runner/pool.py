"""Spread reports over this process, over processes (``--jobs``) or over a Dask cluster (``--scheduler``).

Every way runs the same function, :func:`render_job`, in a process that keeps one
:class:`~hzlib.runner.worker.Worker` (kernel and PDF engine) for all the reports it
renders; results come back as :class:`hzlib.run.RunResult` and land in the same
``reports/`` layout with the same manifests. A report is written into a staging folder
and moved into place only when complete, so a worker killed mid-report leaves no
half-written report: Dask gives the report to another worker, and the staging folder of
the dead process is removed by the next run.

>>> Progress(3, stream=None).line()
'0/3 完成'
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .keys import Job, record_key

if TYPE_CHECKING:
    from ..run import RunResult

__all__ = ["render_job", "run_jobs", "Progress", "default_jobs"]


def default_jobs() -> int:
    """How many reports to render at once by default: one per core."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def render_job(job: Job, key: str, out_dir: str) -> RunResult:
    """Render one report with this process's worker (made on first use); record its key when done."""
    from ..run import run_plan
    from .worker import process_worker

    out = Path(out_dir)
    r = run_plan(job.plan, job.quarter, out_dir=out, formats=job.formats, data_dir=job.data_dir,
                 allow_partial=job.allow_partial, scenario=job.scenario, worker=process_worker(), key=key)
    if r.ok and r.folder is not None:
        record_key(job, key, out, r.folder)
    return r


def _size(job: Job) -> int:
    """How much a report reads (bytes of its input files): a proxy for how long it takes."""
    from ..inputs import input_files

    try:
        return sum(p.stat().st_size for p in input_files(job.plan, job.data_dir).values() if p.exists())
    except OSError:
        return 0


class Progress:
    """Reports done/total, the one running, failures so far and time left: one line kept up to
    date on a terminal, plain log lines otherwise (CI)."""

    def __init__(self, total: int, stream: IO[str] | str | None = "stderr") -> None:
        self.total = total
        self.done = 0
        self.failed = 0
        self.running: list[str] = []
        self.stream: IO[str] | None = sys.stderr if stream == "stderr" else stream  # type: ignore[assignment]
        self.tty = bool(stream is not None and getattr(stream, "isatty", lambda: False)())
        self.started = time.monotonic()

    def line(self) -> str:
        s = f"{self.done}/{self.total} 完成"
        if self.failed:
            s += f"，失败 {self.failed}"
        if self.running:
            s += f"；正在：{'、'.join(self.running[:3])}"
        if 0 < self.done < self.total:
            left = (time.monotonic() - self.started) / self.done * (self.total - self.done)
            s += f"；约剩 {left:.0f} 秒"
        return s

    def _show(self, text: str) -> None:
        if self.stream is None:
            return
        if self.tty:
            self.stream.write("\r\033[K" + text)
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def start(self, label: str) -> None:
        self.running.append(label)
        self._show(self.line() if self.tty else f"… {label}")

    def finish(self, label: str, ok: bool, printer: Callable[[], None]) -> None:
        with contextlib.suppress(ValueError):
            self.running.remove(label)
        self.done += 1
        self.failed += 0 if ok else 1
        if self.tty and self.stream is not None:
            self.stream.write("\r\033[K")
        printer()
        if self.tty:
            self._show(self.line())

    def close(self) -> None:
        if self.tty and self.stream is not None:
            self.stream.write("\r\033[K")
            self.stream.flush()


def _init_child() -> None:
    """A pool process leaves Ctrl-C to the parent; on SIGTERM it stops its kernel and PDF engine first."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def stop(signum: int, frame: object) -> None:
        from ..kernels import stop_kernels

        stop_kernels()
        os._exit(128 + signum)

    signal.signal(signal.SIGTERM, stop)


@contextlib.contextmanager
def _process_pool(n: int) -> Iterator[Any]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork: the children start from this (light) process at once; they make their kernels and
    # engines themselves, after the fork
    ctx = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    pool = ProcessPoolExecutor(max_workers=n, mp_context=ctx, initializer=_init_child)
    try:
        yield pool
    except BaseException:
        for proc in list(getattr(pool, "_processes", {}).values()):  # stop the children now, not after their report
            with contextlib.suppress(OSError):
                proc.terminate()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def run_jobs(jobs: Sequence[tuple[Job, str]], out_dir: Path, *, n_jobs: int = 1, scheduler: str | None = None,
             progress: Progress | None = None, on_result: Callable[[RunResult], None] = lambda r: None) -> list[RunResult]:
    """Render ``jobs`` (each with its key): here, over ``n_jobs`` processes, or on the Dask ``scheduler``."""
    results: list[RunResult] = []

    def done(job: Job, r: RunResult) -> None:
        results.append(r)
        if progress is not None:
            progress.finish(job.label, r.ok, lambda: on_result(r))
        else:
            on_result(r)

    if not jobs:
        return results
    if scheduler:
        from distributed import Client, as_completed

        with Client(scheduler, timeout="30s") as client:
            futures = {}
            for job, key in jobs:
                f = client.submit(render_job, job, key, str(out_dir), pure=False, key=f"hz-{job.record_name}-{key[:12]}")
                futures[f] = job
                if progress is not None:
                    progress.start(job.label)
            try:
                for f in as_completed(futures):
                    done(futures[f], f.result())
            except BaseException:
                client.cancel(list(futures))
                raise
        return results
    if n_jobs <= 1 or len(jobs) == 1:
        for job, key in jobs:
            if progress is not None:
                progress.start(job.label)
            done(job, render_job(job, key, str(out_dir)))
        return results
    from concurrent.futures import as_completed as completed

    with _process_pool(min(n_jobs, len(jobs))) as pool:
        pending = {}
        for job, key in sorted(jobs, key=lambda jk: -_size(jk[0])):  # largest first: the last report to finish is a small one
            pending[pool.submit(render_job, job, key, str(out_dir))] = job
            if progress is not None:
                progress.start(job.label)
        for fut in completed(pending):
            done(pending[fut], fut.result())
    return results
