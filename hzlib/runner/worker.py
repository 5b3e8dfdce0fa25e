"""What renders reports in one process: a kept kernel and a kept PDF engine.

A :class:`Worker` is made once per process (``hz run`` in one process, each of its
``--jobs`` processes, each Dask worker) and renders report after report with the same
kernel (imports paid once, the report model cache warm) and the same PDF engine.

>>> w = Worker()
>>> w.kernel.starts, w.pdf_starts
(0, 0)
>>> w.close()
"""

from __future__ import annotations

import atexit
import contextlib
import threading
from multiprocessing.util import Finalize
from typing import TYPE_CHECKING

from .kernel import WarmKernel

if TYPE_CHECKING:
    from ..render.pdf import PdfRenderer

__all__ = ["Worker", "process_worker", "close_process_worker"]


class Worker:
    """One kernel and one PDF engine, both started on first use and kept for every report."""

    def __init__(self) -> None:
        self.kernel = WarmKernel()
        self._pdf: PdfRenderer | None = None

    @property
    def pdf(self) -> PdfRenderer:
        if self._pdf is None:
            from ..render.pdf import (
                PdfRenderer,
            )  # lazy: hzlib.render.pdf costs 28 ms at import of this module (5 ms after hzlib.run); the engine starts on first use

            self._pdf = PdfRenderer()
        return self._pdf

    def warm_pdf(self) -> None:
        """Start the PDF engine early (it then prints the first report without waiting for its imports)."""
        from ..render.pdf import PDFError, pdf_available  # lazy: hzlib.render.pdf costs 28 ms at import of this module (as pdf above)

        if pdf_available():
            with contextlib.suppress(PDFError):
                self.pdf.warm()

    @property
    def pdf_starts(self) -> int:
        return 0 if self._pdf is None else self._pdf.starts

    def close(self) -> None:
        self.kernel.close()
        if self._pdf is not None:
            self._pdf.close()
            self._pdf = None

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_LOCAL = threading.local()


def process_worker() -> Worker:
    """This process's worker (made on first call, closed at exit): for pool and Dask workers.
    Its kernel starts warming up at once, while the first report's data is read."""
    w = getattr(_LOCAL, "worker", None)
    if w is None:
        w = Worker()
        w.kernel.start()
        w.warm_pdf()
        _LOCAL.worker = w
        atexit.register(w.close)
        # a pool process ends through multiprocessing, which runs its own finalizers, not atexit's
        Finalize(w, w.close, exitpriority=10)
    return w


def close_process_worker() -> None:
    """Close this thread's worker now, if there is one (the next :func:`process_worker` makes a new one)."""
    w = getattr(_LOCAL, "worker", None)
    if w is not None:
        _LOCAL.worker = None
        w.close()
