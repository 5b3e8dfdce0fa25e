"""Execute many notebooks in one kept kernel: papermill's parameters, nbclient's execution.

Starting a kernel and importing pandas and matplotlib costs about 1.5 s per notebook
when each notebook gets its own kernel (plain papermill). A :class:`WarmKernel` starts
one kernel, imports what the report notebooks need once, and then runs notebook after
notebook in it; between notebooks the user namespace is cleared (``%reset -f``), so a
notebook sees only its own variables, while imported modules (and the report model
cache of :mod:`hzlib.report.notebook`) stay warm. The executed notebook is the same as
papermill's: parameters injected by :func:`papermill.parameterize.parameterize_notebook`
in an ``injected-parameters`` cell, whose id is derived from the parameters
(:func:`parameters_cell_id`; papermill's is random) and whose ``input_path`` is the notebook's
path inside the project: the same inputs give the same bytes.

>>> WarmKernel.__doc__.splitlines()[0]
'One kernel kept for many notebooks (start it with ``with WarmKernel() as k:``).'
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

from .. import kernels
from ..atomicfile import write_failure
from ..errors import RenderError
from ..lifeline import preexec_die_with_parent
from ..paths import project

__all__ = ["WarmKernel", "NotebookError", "WARM_UP", "parameters_cell_id", "pin_parameters_cell", "skip_slow_format_checker"]

#: The tag papermill gives the cell holding the injected parameters.
INJECTED_TAG = "injected-parameters"
#: The tag papermill gives the error marker cells of an earlier failed run (removed before a run).
ERROR_MARKER_TAG = "papermill-error-cell-tag"


def skip_slow_format_checker() -> None:
    """nbformat imports jsonschema, whose URI/IRI format checkers import rfc3987_syntax (installed
    with JupyterLab), which builds a parser grammar at import: 1.5–2 s per process for checks
    nbformat never makes. Called by a process that renders reports (:class:`WarmKernel`), never
    at import: other processes keep their modules as they are."""
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def parameters_cell_id(parameters: dict[str, Any]) -> str:
    """The id of the injected-parameters cell for ``parameters``: a short hash of them, so that the
    same parameters give the same cell id (in the executed notebook, its HTML anchor and the PDF's
    named destination).

    >>> parameters_cell_id({"plan": "ankang-2019", "quarter": "2019Q2"}) == parameters_cell_id({"quarter": "2019Q2", "plan": "ankang-2019"})
    True
    >>> parameters_cell_id({"plan": "a"}) != parameters_cell_id({"plan": "b"}), len(parameters_cell_id({}))
    (True, 16)
    """
    text = json.dumps(parameters, sort_keys=True, ensure_ascii=False, default=str)
    return "params-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:9]


def pin_parameters_cell(nb: Any) -> Any:
    """Give ``nb``'s injected-parameters cell the id :func:`parameters_cell_id` of its parameters
    (``metadata.papermill.parameters``); ``nb`` is returned."""
    params = dict(nb.get("metadata", {}).get("papermill", {}).get("parameters") or {})
    for cell in nb.get("cells", []):
        if INJECTED_TAG in cell.get("metadata", {}).get("tags", []) and "id" in cell:
            cell["id"] = parameters_cell_id(params)
    return nb


def _load_for_papermill(path: Path) -> Any:
    """The notebook at ``path`` as papermill loads it before injecting parameters (nbformat 4, a
    ``papermill`` metadata block, ``tags`` and ``papermill`` metadata on every cell), without the
    error marker cells of an earlier failed run. Written with nbformat's public API, as papermill's
    command does it."""
    # lazy: nbformat costs 87 ms at import of this module (1.2 s before skip_slow_format_checker() has run, which a rendering process calls first)
    import nbformat
    from papermill import __version__ as papermill_version  # lazy: papermill costs 280 ms at import of this module; only rendering needs it

    nb = nbformat.v4.upgrade(nbformat.read(path, as_version=4))
    if "papermill" not in nb.metadata:
        nb.metadata["papermill"] = {"default_parameters": {}, "parameters": {}, "environment_variables": {}, "version": papermill_version}
    for cell in nb.cells:
        if "tags" not in cell.metadata:
            cell.metadata["tags"] = []
        if "papermill" not in cell.metadata:
            cell.metadata["papermill"] = {}
    nb.cells = [c for c in nb.cells if ERROR_MARKER_TAG not in c.metadata.get("tags", [])]
    return nb


#: Code run once in a new kernel: the imports every report notebook makes.
WARM_UP = "import hzlib.report, hzlib.report.views, hzlib.report.figures, hzlib.report.notebook, hzlib.charts_style\n"


def _why(error: BaseException) -> str:
    """Why a kernel did not start, in Chinese where the system gave a reason.

    >>> import errno
    >>> _why(OSError(errno.ENOSPC, "No space left on device"))
    '磁盘空间已满（No space left on device）'
    """
    if isinstance(error, RenderError):
        return str(error)
    if isinstance(error, OSError) and error.errno is not None:
        return str(write_failure(error)).split("：", 1)[1]
    return f"{type(error).__name__}: {error}"


class NotebookError(RenderError):
    """A cell of a notebook raised: which notebook, which cell, the error in one line."""

    def __init__(self, notebook: str, cell: int, ename: str, evalue: str, executed: Any) -> None:
        self.notebook, self.cell, self.ename, self.evalue, self.executed = notebook, cell, ename, evalue, executed
        super().__init__(f"{notebook}：第 {cell + 1} 个单元格出错：{ename}: {evalue}")


class WarmKernel:
    """One kernel kept for many notebooks (start it with ``with WarmKernel() as k:``).

    ``timeout``: seconds a cell may take. The kernel starts on the first :meth:`run`.
    ``starts`` counts kernel starts (a dead kernel is restarted for the next notebook).
    """

    def __init__(self, kernel_name: str = "python3", timeout: float = 600) -> None:
        self.kernel_name = kernel_name
        self.timeout = timeout
        self.starts = 0
        self._km: Any = None
        self._kc: Any = None
        self._warming: threading.Thread | None = None
        self._warm_error: BaseException | None = None
        self._stopping = threading.Event()  # close() during the warm-up: the warm-up stops waiting
        skip_slow_format_checker()  # this process renders reports

    def __enter__(self) -> WarmKernel:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        """Start the kernel and import what the notebooks need, in the background: the caller
        goes on (reading data, building the report model) while the kernel warms up."""
        if self._warming is not None or self.alive():
            return

        def warm() -> None:
            if self._warm_error is not None:  # the kernel did not start (below): nothing to wait for
                return
            try:
                self._kc = self._km.client()
                self._kc.start_channels()
                self._kc.wait_for_ready(timeout=60)
                self._warm_up()
            except BaseException as e:  # handed to the thread that waits for the kernel
                self._warm_error = e

        self._warm_error = None
        self._stopping.clear()
        try:
            self._km = kernels.new_kernel_manager(self.kernel_name)
            self._km.start_kernel(extra_arguments=["--HistoryManager.enabled=False"], **_die_with_this_thread())
            self.starts += 1
        except Exception as e:  # raised by the first use (inside the report's own error handling), like a failed warm-up
            self._warm_error = e
        self._warming = threading.Thread(target=warm, name="hz-kernel-warm-up", daemon=True)
        self._warming.start()

    def _ready(self) -> None:
        """Wait for :meth:`start` (starting the kernel first when needed, or again when it died)."""
        if self._warming is None and not self.alive():
            self.close()
            self.start()
        if self._warming is not None:
            self._warming.join()
            self._warming = None
            if self._warm_error is not None:
                e, self._warm_error = self._warm_error, None
                self.close()
                raise RenderError(f"内核启动失败：{_why(e)}") from None

    def _client(self, nb: Any) -> Any:
        from nbclient import NotebookClient  # lazy: nbclient costs 130 ms at import of this module; only rendering needs it

        client = NotebookClient(nb, km=self._km, timeout=self.timeout, kernel_name=self.kernel_name, allow_errors=False, record_timing=False)
        client.kc = self._kc  # the kept client: no new channels per notebook
        # nbclient registers a clean-up at interpreter exit for the time a notebook runs; at exit it
        # would ask the kernel to shut down while a cell runs (the kernel then prints a ZMQError
        # traceback) and pull the client from under the running cell. This kernel is ours to stop (close()).
        client._cleanup_kernel = _not_at_exit  # type: ignore[method-assign]
        return client

    def _warm_up(self) -> None:
        """Run :data:`WARM_UP` in the new kernel, waiting in short steps: a kernel killed meanwhile
        (:meth:`close`) ends the wait at once. (nbclient would wait on the kernel's output without a
        time limit, with the blocking client this kernel has.) Its messages on the other channels are
        left to be skipped by the next notebook's execution, which reads only its own."""
        msg_id = self._kc.execute(WARM_UP, silent=True, store_history=False, allow_stdin=False)
        deadline = time.monotonic() + self.timeout
        while True:
            if self._stopping.is_set():
                raise RenderError("内核已停止")
            try:
                reply = self._kc.get_shell_msg(timeout=0.2)
            except queue.Empty:
                if not self._km.is_alive():
                    raise RenderError("内核在准备时退出") from None
                if time.monotonic() > deadline:
                    raise RenderError(f"内核在 {self.timeout:g} 秒内未完成准备") from None
                continue
            if reply.get("parent_header", {}).get("msg_id") == msg_id:
                break
        content = reply.get("content", {})
        if content.get("status") != "ok":
            raise RenderError(f"内核执行准备代码失败：{content.get('ename', '')}: {content.get('evalue', '')}")

    def _execute_quietly(self, code: str) -> None:
        """Run ``code`` in the kernel (through nbclient, like the notebooks: one channel discipline)."""
        # lazy: nbformat costs 87 ms at import of this module (1.2 s before skip_slow_format_checker() has run, which a rendering process calls first)
        import nbformat
        from nbclient.exceptions import CellExecutionError  # lazy: nbclient costs 130 ms at import of this module

        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
        try:
            self._client(nb).execute()
        except CellExecutionError as e:
            raise RenderError(f"内核执行准备代码失败：{getattr(e, 'ename', '')}: {getattr(e, 'evalue', e)}") from None

    def preload(self, model_file: str | Path, key: str) -> None:
        """Put a pickled report model in the kernel's model cache (see :func:`hzlib.report.notebook.preload`).

        The path is made absolute here: the kernel's working folder is the notebooks' (see :meth:`run`),
        not the caller's."""
        model_file = Path(model_file).absolute()
        self._ready()
        self._execute_quietly(f"import hzlib.report.notebook as _hz_nb; _hz_nb.preload({str(model_file)!r}, {key!r}); del _hz_nb")

    def alive(self) -> bool:
        return self._km is not None and self._km.is_alive()

    def run(self, notebook: str | Path, parameters: dict[str, Any], *, cwd: str | Path | None = None) -> Any:
        """Execute ``notebook`` with ``parameters``; return the executed notebook (NotebookNode).

        Raises :class:`NotebookError` naming the failing cell; the partly executed
        notebook is in ``error.executed`` (for the ``.failed/`` folder).
        """
        # lazy: nbformat costs 87 ms at import of this module (1.2 s before skip_slow_format_checker() has run, which a rendering process calls first)
        import nbformat
        from nbclient.exceptions import CellExecutionError  # lazy: nbclient costs 130 ms at import of this module
        from papermill.parameterize import parameterize_notebook  # lazy: papermill costs 280 ms at import of this module

        self._ready()
        path = Path(notebook)
        nb = pin_parameters_cell(parameterize_notebook(_load_for_papermill(path), parameters, kernel_name=self.kernel_name))
        nb.metadata.papermill["input_path"] = _shown_path(path)  # not a machine path: the same bytes on every machine
        nb.metadata.papermill["output_path"] = path.name
        # a fresh namespace (imports stay warm) and the working folder, in a first cell removed afterwards
        prep = "get_ipython().run_line_magic('reset', '-f')\n" + (f"import os; os.chdir({str(cwd)!r})\n" if cwd is not None else "")
        nb.cells.insert(0, nbformat.v4.new_code_cell(prep, metadata={"tags": ["hz-housekeeping"]}))
        try:
            self._client(nb).execute()
        except CellExecutionError as e:
            cell = next((i for i, c in enumerate(nb.cells) if any(o.get("output_type") == "error" for o in c.get("outputs", []))), 1)
            del nb.cells[0]
            raise NotebookError(path.name, max(cell - 1, 0), getattr(e, "ename", "Error"), getattr(e, "evalue", str(e)), nb) from None
        del nb.cells[0]
        return nb

    def close(self) -> None:
        """Stop the kernel. A kernel still warming up is killed first (then the warm-up ends at
        once, with an error nobody waits for): shutting down a kernel while a cell runs makes it
        print a ZMQError traceback."""
        if self._warming is not None:
            if self._warming.is_alive():
                self._stopping.set()
                self._kill()
            self._warming.join(timeout=60)
            self._warming = None
        if self._kc is not None:
            try:
                self._kc.stop_channels()
            except Exception:
                pass
        if self._km is not None:
            self._kill()  # no interrupt, no shutdown request: nothing the kernel could answer with a traceback
            try:
                self._km.shutdown_kernel(now=True)  # the kernel is gone: this only cleans up
            except Exception:
                pass
        self._km = self._kc = None

    def _kill(self) -> None:
        """SIGKILL the kernel process (and its process group), if it runs."""
        prov = getattr(self._km, "provisioner", None) if self._km is not None else None
        pid = getattr(prov, "pid", None)
        pgid = getattr(prov, "pgid", None)
        try:
            if pgid and pgid != os.getpgrp():  # the kernel's own group (never this process's)
                os.killpg(pgid, signal.SIGKILL)
            elif pid:
                os.kill(pid, signal.SIGKILL)
        except OSError:
            return
        process = getattr(prov, "process", None)
        if process is not None:
            try:
                process.wait(timeout=10)
            except Exception:
                pass


def _shown_path(path: Path) -> str:
    """``path`` relative to the project (``notebooks/01_targets.ipynb``), else its name."""
    try:
        return path.absolute().relative_to(project().root.absolute()).as_posix()
    except ValueError:
        return path.name


def _not_at_exit() -> None:
    """Stands in for nbclient's clean-up at exit (see :meth:`WarmKernel._client`)."""


def _die_with_this_thread() -> dict[str, Any]:
    """Popen arguments that end the kernel with this process (:mod:`hzlib.lifeline`): only from the main
    thread, which lives as long as the process (a Dask task thread may end first; there the kernel's
    own parent poller ends it)."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    fn = preexec_die_with_parent()
    return {} if fn is None else {"preexec_fn": fn}
