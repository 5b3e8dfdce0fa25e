"""Render bulletins: execute the notebooks with papermill, then HTML, PDF and Excel.

Layout: ``reports/<plan>/<quarter>/`` holds the executed notebooks, ``bulletin.html``,
``bulletin.pdf``, ``bulletin.xlsx``, the other notebooks' HTML and ``manifest.json``;
``reports/index.html`` lists every plan and quarter. Everything is written into a
staging folder and moved into place only when complete: a failed run never leaves
a half-written report or replaces a good one (a notebook that fails is kept under
``reports/<plan>/<quarter>.failed/`` for inspection, and the message names it).

Ctrl-C and SIGTERM stop a run with one line (exit code 130 and 143) after removing its
staging folder; what a killed run (SIGKILL, power cut) left behind is removed by the
next run (:func:`hzlib.atomicfile.remove_leftovers`). A folder that cannot be written
(read-only, full) is a :class:`hzlib.errors.RenderError` naming it, never a traceback.
The notebook kernels are started by :mod:`hzlib.kernels` (local IPC, never outliving the run).

A bug in hzlib while a report is rendered fails that report with one line naming the error and
the file ``reports/<plan>/<quarter>.failed/error.txt``, which holds its traceback.

This module sits above :mod:`hzlib.runner` (warm kernels, workers, report keys, the pool that
spreads reports): it renders one report (:func:`run_plan`) and many (:func:`main_run`, handing
:func:`render_job` to :func:`hzlib.runner.pool.run_jobs`); nothing in :mod:`hzlib.runner` imports it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import json
import pickle
import shutil
import signal
import sys
import threading
import traceback
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .arithmetic import Status
from .atomicfile import atomic_write_text, remove_leftovers, staging_dir, writing
from .errors import HzError, UsageError
from .inputs import data_dir_for
from .kernels import stop_kernels
from .manifest import FileDigest, build_manifest, manifest_text, software
from .paths import project
from .periods import Period
from .plan import list_plan_ids
from .render.excel import write_tables_xlsx
from .report import load_inputs
from .report.monthly import bulletin_kind
from .report.notebook import build_model, model_key
from .report.tables import excel_tables
from .runner.keys import InputDigest, Job, cached_folder, digest_inputs, job_key, record_key
from .runner.result import RunResult
from .safety import check_id, check_quarter

if TYPE_CHECKING:
    from .render.pdf import PdfRenderer
    from .runner.worker import Worker

__all__ = [
    "RunResult",
    "Prepared",
    "Interrupted",
    "prepare_report",
    "run_plan",
    "render_job",
    "main_run",
    "write_index",
    "interrupts_as_exceptions",
    "NOTEBOOKS",
]

#: notebook file -> output HTML name
NOTEBOOKS = {
    "quarterly_report.ipynb": "bulletin.html",
    "01_targets.ipynb": "01_targets.html",
    "02_evaluate.ipynb": "02_evaluate.html",
    "03_projects.ipynb": "03_projects.html",
    "04_scoring.ipynb": "04_scoring.html",
}
#: The notebooks of a monthly bulletin (月通报): the bulletin and the projects' progress. No target is
#: assessed in a month, so the targets, evaluation and scoring notebooks are rendered at quarter ends only.
MONTHLY_NOTEBOOKS = ("quarterly_report.ipynb", "03_projects.ipynb")


def notebooks_for(monthly: bool) -> dict[str, str]:
    """The notebooks (→ HTML names) a bulletin renders: all of :data:`NOTEBOOKS`, or for a month :data:`MONTHLY_NOTEBOOKS`.

    >>> list(notebooks_for(True).values())
    ['bulletin.html', '03_projects.html']
    """
    return {nb: html_name for nb, html_name in NOTEBOOKS.items() if not monthly or nb in MONTHLY_NOTEBOOKS}


def expected_files(formats: tuple[str, ...], monthly: bool) -> tuple[str, ...]:
    """The files a finished report folder has (what an unchanged report is reused by)."""
    return ("manifest.json",) + (tuple(notebooks_for(monthly).values()) if "html" in formats else ()) + (("bulletin.xlsx",) if "xlsx" in formats else ())


STATUS_ZH = {st.value: st.zh for st in Status} | {"failed": "运行失败"}


@dataclass
class Prepared:
    """A report before any kernel starts: its inputs read and checked, its model computed
    (see :func:`prepare_report`); handed to the process that renders it."""

    plan_id: str
    quarter: str
    inputs: Any
    model: Any
    params: dict[str, Any]
    cache_key: str
    #: its input files and notebooks, hashed once (for its key, its model's cache key and its manifest)
    digest: InputDigest
    #: the quarter as asked (``latest`` or the quarter)
    quarter_asked: str


class Interrupted(KeyboardInterrupt):
    """Ctrl-C (SIGINT) or SIGTERM during ``hz run``, raised wherever the program is, so that
    every staging folder is removed on the way out."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum

    def describe(self) -> str:
        if self.signum == signal.SIGINT:
            return "已中断（Ctrl-C）"
        return f"已终止（收到 {signal.Signals(self.signum).name}）"


@contextlib.contextmanager
def interrupts_as_exceptions() -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM raise :class:`Interrupted` (once: a second signal
    while cleaning up is ignored). A signal the process was started ignoring (a shell's
    background job) stays ignored, as Python itself does for SIGINT."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    raised: list[int] = []

    def handler(signum: int, frame: object) -> None:
        if raised:
            return
        raised.append(signum)
        raise Interrupted(signum)

    previous: dict[signal.Signals, Any] = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        if signal.getsignal(sig) is not signal.SIG_IGN:
            previous[sig] = signal.signal(sig, handler)
    try:
        yield
    finally:
        for s, old in previous.items():
            signal.signal(s, old)


def check_parameters(notebook: Path, params: dict[str, Any]) -> None:
    """Every parameter must exist in the notebook's parameters cell with the same type."""
    import papermill as pm  # lazy: papermill (and nbformat) cost 1.4 s at import of this module, which hz run's period parsing imports

    declared = pm.inspect_notebook(str(notebook))
    for name, value in params.items():
        if name not in declared:
            known = "、".join(sorted(declared))
            raise UsageError(f"{notebook.name} 没有参数 {name!r}（可用参数：{known}）")
        inferred = declared[name].get("inferred_type_name", "None")
        if inferred not in ("None", type(value).__name__):
            raise UsageError(f"{notebook.name} 的参数 {name!r} 应为 {inferred}，实际为 {type(value).__name__}")


class _NotebookFailed(Exception):
    """A notebook failed; its error is already in the run's result."""


def _shown(path: Path, out_dir: Path) -> str:
    """``path`` as the messages show it: relative to the folder holding ``out_dir``."""
    try:
        return path.relative_to(out_dir.parent).as_posix()
    except ValueError:
        return path.as_posix()


def run_plan(
    plan_id: str,
    quarter: str,
    *,
    out_dir: Path,
    formats: tuple[str, ...] = ("html", "pdf", "xlsx"),
    data_dir: str | None = None,
    allow_partial: bool = False,
    progress: Any = None,
    pdf: PdfRenderer | None = None,
    worker: Worker | None = None,
    scenario: str | None = None,
    key: str | None = None,
    prepared: Prepared | None = None,
) -> RunResult:
    """Execute and render every notebook for one plan and quarter (``2024Q2``, any form
    :meth:`Period.parse` reads that ends a quarter, or ``latest``), or for a what-if ``scenario``.

    The report model is computed once here and handed to the notebooks (which run one after
    another in ``worker``'s kept kernel), the Excel workbook and the manifest. ``worker``
    defaults to a new one for this report; ``pdf`` overrides its PDF engine; ``key`` (see
    :mod:`hzlib.runner.keys`) is recorded in the manifest; ``prepared``: the inputs already
    checked by :func:`prepare_report` (else they are checked here). No kernel starts for a
    report whose inputs are wrong.
    """
    from .runner.worker import Worker  # lazy: hzlib.runner.worker (the kernel runner) costs 7 ms at import of this module

    if prepared is None:
        try:
            prepared = prepare_report(plan_id, quarter, data_dir=data_dir, allow_partial=allow_partial, scenario=scenario)
        except HzError as e:
            return RunResult(plan_id, quarter, False, None, errors=[e.render()], input_error=e.exit_code == 2)
    own = worker is None
    w = worker or Worker()
    w.kernel.start()  # warms up while the output folder is prepared
    try:
        return _run_plan(
            prepared,
            out_dir=out_dir,
            formats=formats,
            data_dir=data_dir,
            allow_partial=allow_partial,
            progress=progress,
            pdf=pdf,
            worker=w,
            scenario=scenario,
            key=key,
        )
    finally:
        if own:
            w.close()


def prepare_report(
    plan_id: str, quarter: str, *, data_dir: str | None = None, allow_partial: bool = False, scenario: str | None = None, digest: InputDigest | None = None
) -> Prepared:
    """Read and check a report's inputs and compute its model: everything that needs no kernel.
    ``digest``: its input files already hashed (:func:`hzlib.runner.keys.digest_inputs`; else they are hashed here).

    Raises :class:`HzError` (unknown plan, quarter outside the plan year or past the data, bad
    data or scenario) before anything is started or written."""
    check_id(plan_id, "plan")
    q_asked = quarter if quarter == "latest" else period_label(quarter)
    if digest is None:
        digest = digest_inputs(plan_id, data_dir, scenario)  # before the files are read
    inputs = load_inputs(plan_id, data_dir)
    model = build_model(plan_id, q_asked, data_dir or "", allow_partial, scenario or "", inputs=inputs)
    q = check_quarter(model.period.to_quarter().label()) if q_asked == "latest" else q_asked
    if scenario:
        q = check_quarter(str(model.extra.get("base_quarter", q))) if q_asked == "latest" else q
    params: dict[str, Any] = {"plan": plan_id, "quarter": q, "data_dir": str(data_dir or ""), "allow_partial": allow_partial, "scenario": scenario or ""}
    for nb in NOTEBOOKS:
        check_parameters(project().notebook_dir / nb, params)
    cache_key = model_key(plan_id, q, str(data_dir or ""), allow_partial, scenario or "", file_hashes=digest.sha256)
    return Prepared(plan_id, q, inputs, model, params, cache_key, digest, q_asked)


def _start_pdf(renderer: PdfRenderer, stage: Path, result: RunResult) -> Future[Any] | None:
    """Print ``bulletin.html`` in the background (the engine is another process; this thread only waits)."""
    from .render.pdf import missing_engine_message, pdf_available  # lazy: hzlib.render.pdf costs 8 ms at import of this module

    if not pdf_available():
        result.warnings.append(missing_engine_message())
        return None
    ex = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hz-pdf")
    future = ex.submit(renderer.render, stage / "bulletin.html", stage / "bulletin.pdf")
    ex.shutdown(wait=False)  # the job goes on; the report waits for it before it is committed
    return future


def period_label(text: str | Period) -> str:
    """A requested period as its report's folder name: the canonical label (:meth:`Period.canonical`),
    ``2024Q2`` at a quarter end (the quarterly bulletin), ``2024-05`` for another month (the monthly
    bulletin, 月通报).

    >>> period_label("2024年上半年"), period_label("2024年1-5月"), period_label("2024-06")
    ('2024Q2', '2024-05', '2024Q2')
    """
    p = (text if isinstance(text, Period) else Period.parse(text)).canonical()
    return check_quarter(p.label()) if p.is_quarter_end else f"{p.year:04d}-{p.end_month:02d}"


def _report_folder(q: str, scenario_id: str | None) -> str:
    return q if not scenario_id else f"{q}-{check_id(scenario_id, 'scenario')}"


@dataclass
class _Rendering:
    """One report while it is rendered: what its steps (below) share."""

    prepared: Prepared
    stage: Path  # the staging folder: moved into place when every step is done
    out_dir: Path
    failed_dir: Path
    formats: tuple[str, ...]
    worker: Worker
    result: RunResult
    scenario_id: str | None


def _run_plan(
    prepared: Prepared,
    *,
    out_dir: Path,
    formats: tuple[str, ...],
    data_dir: str | None,
    allow_partial: bool,
    progress: Any,
    pdf: PdfRenderer | None,
    worker: Worker,
    scenario: str | None,
    key: str | None,
) -> RunResult:
    """Render a prepared report in steps: :func:`_clear_folder`, then in a staging folder
    :func:`_hand_model` to the kernel, per notebook :func:`_execute` and :func:`_write_html` (the PDF
    printed in the background by :func:`_start_pdf` once ``bulletin.html`` is written),
    :func:`_write_excel`, :func:`_wait_pdf`, :func:`_write_manifest`; the staging folder then
    replaces the report's folder."""
    started = dt.datetime.now(dt.UTC)
    model = prepared.model
    scenario_id = str(model.extra.get("scenario_id")) if scenario else None
    final = out_dir / prepared.plan_id / _report_folder(prepared.quarter, scenario_id)
    result = RunResult(prepared.plan_id, final.name, False, None)
    failed_dir = out_dir / prepared.plan_id / f"{final.name}.failed"
    try:
        _clear_folder(final, failed_dir, out_dir, result)
        with writing(final.parent), staging_dir(final) as stage:
            r = _Rendering(prepared, stage, out_dir, failed_dir, formats, worker, result, scenario_id)
            _hand_model(r)
            printing: Future[Any] | None = None  # the PDF prints while the other notebooks run
            for nb, html_name in notebooks_for(model.monthly is not None).items():
                executed = _execute(r, nb)
                if "html" in formats or "pdf" in formats:
                    _write_html(r, nb, html_name, executed)
                if html_name == "bulletin.html" and "pdf" in formats:
                    printing = _start_pdf(pdf or worker.pdf, stage, result)
                if progress:
                    progress(f"{prepared.plan_id} {prepared.quarter} {nb}")
            if "xlsx" in formats:
                _write_excel(r)
            _wait_pdf(r, printing)
            if "html" not in formats:
                for name in NOTEBOOKS.values():
                    (stage / name).unlink(missing_ok=True)
            _write_manifest(r, data_dir=data_dir, key=key, started=started)
    except _NotebookFailed:
        return result
    except HzError as e:
        result.errors.append(e.render())
        return result
    except Exception as e:  # a bug in hzlib: one line here, the traceback kept for whoever fixes it
        result.errors.append(_internal_error(e, failed_dir, out_dir))
        return result
    result.ok = True
    result.folder = final
    return result


def _internal_error(error: Exception, failed_dir: Path, out_dir: Path) -> str:
    """The one-line message for a bug in hzlib while a report was rendered; its traceback is
    written to ``error.txt`` in the report's ``.failed`` folder, which the message names."""
    message = f"程序错误 / internal error：{type(error).__name__}: {error}"
    where = failed_dir / "error.txt"
    try:
        failed_dir.mkdir(parents=True, exist_ok=True)
        atomic_write_text(where, "".join(traceback.format_exception(error)))
    except (OSError, HzError):  # the folder cannot be written: the message alone
        return message
    return f"{message}（详细信息已保存在 {_shown(where, out_dir)}，报告问题时请附上此文件）"


def _clear_folder(final: Path, failed_dir: Path, out_dir: Path, result: RunResult) -> None:
    """Make the plan's folder; remove what killed runs left there and an earlier run's ``.failed`` folder."""
    with writing(final.parent):
        final.parent.mkdir(parents=True, exist_ok=True)
        result.notes += [f"已删除上次中断的运行留下的 {_shown(p, out_dir)}" for p in remove_leftovers(final.parent)]
        shutil.rmtree(failed_dir, ignore_errors=True)  # from an earlier run: this run decides again


def _hand_model(r: _Rendering) -> None:
    """Put the report model (computed once, in :func:`prepare_report`) in the kernel's cache: the
    notebooks present it instead of computing it again."""
    model_file = r.stage / ".model.pkl"
    model_file.write_bytes(pickle.dumps(r.prepared.model, protocol=pickle.HIGHEST_PROTOCOL))
    r.worker.kernel.preload(model_file, r.prepared.cache_key)
    model_file.unlink()


def _execute(r: _Rendering, nb: str) -> Any:
    """Execute notebook ``nb`` in the worker's kernel and write it to the staging folder; a failing
    notebook is kept in the ``.failed`` folder and named in the result."""
    # lazy: nbformat costs 1.2 s at import of this module (87 ms once the worker's kernel has called skip_slow_format_checker())
    import nbformat

    from .runner.kernel import NotebookError  # lazy: hzlib.runner.kernel costs 5 ms at import of this module

    notebook_dir = project().notebook_dir
    try:
        executed = r.worker.kernel.run(notebook_dir / nb, r.prepared.params, cwd=notebook_dir)
    except NotebookError as e:
        r.failed_dir.mkdir(parents=True, exist_ok=True)
        nbformat.write(e.executed, r.failed_dir / nb)
        r.result.errors.append(f"{e}（出错的 notebook 已保存为 {_shown(r.failed_dir / nb, r.out_dir)}）")
        raise _NotebookFailed from e
    nbformat.write(executed, r.stage / nb)
    return executed


def _write_html(r: _Rendering, nb: str, html_name: str, executed: Any) -> None:
    """The HTML page of an executed notebook."""
    from .render.html import notebook_to_html  # lazy: hzlib.render.html costs 7 ms at import of this module

    model, plan = r.prepared.model, r.prepared.inputs.plan
    kind = ("月通报" if model.monthly is not None else "季度通报") if nb.startswith("quarterly") else nb[:-6]
    title = f"{plan.jurisdiction} {r.prepared.quarter} {kind}" + (f"（情景假设：{model.extra.get('scenario_label')}）" if r.scenario_id else "")
    atomic_write_text(r.stage / html_name, notebook_to_html(executed, title=title, base_dir=project().notebook_dir))


def _write_excel(r: _Rendering) -> None:
    """``bulletin.xlsx``: the report's tables."""
    plan = r.prepared.inputs.plan
    write_tables_xlsx(
        excel_tables(r.prepared.model),
        r.stage / "bulletin.xlsx",
        title=f"{plan.jurisdiction}{r.prepared.quarter}{'月通报' if r.prepared.model.monthly is not None else '季度通报'}",
    )


def _wait_pdf(r: _Rendering, printing: Future[Any] | None) -> None:
    """Wait for the PDF printed in the background (a failed print fails the report)."""
    if printing is None:
        return
    from .render.pdf import PDFError  # lazy: hzlib.render.pdf costs 8 ms at import of this module

    try:
        printing.result()
    except PDFError as e:
        r.result.errors.append(f"PDF：{e}")
        raise _NotebookFailed from e


def _write_manifest(r: _Rendering, *, data_dir: str | None, key: str | None, started: dt.datetime) -> None:
    """``manifest.json`` (see :func:`hzlib.manifest.build_manifest`), from the inputs hashed once for this report."""
    p, digest = r.prepared, r.prepared.digest
    inputs = {role: FileDigest(path.name, digest.sha256[role]) for role, path in digest.files.items()}
    inputs |= {f"notebooks/{nb}": FileDigest(nb, digest.notebooks[nb]) for nb in NOTEBOOKS if nb in digest.notebooks}
    manifest = build_manifest(
        plan_id=p.plan_id,
        plan=p.inputs.plan,
        model=p.model,
        quarter=p.quarter,
        quarter_asked=p.quarter_asked,
        scenario=r.scenario_id,
        parameters=p.params,
        formats=r.formats,
        key=key,
        inputs=inputs,
        data_folder=data_dir_for(p.plan_id, data_dir).name,
        software=software(project().root),
        started=started,
        finished=dt.datetime.now(dt.UTC),
    )
    atomic_write_text(r.stage / "manifest.json", manifest_text(manifest))


def _status_class(status: str) -> str:
    """The CSS class of an overall status in the index: the glossary's (:attr:`Status.css_class`), so
    无数据 and 不适用 are styled as in the bulletin (``bulletin.css`` has no ``status-no_data``); a
    failed run is red; anything else has none.

    >>> _status_class("met"), _status_class("no_data"), _status_class("n/a"), _status_class("failed"), _status_class("?")
    ('status-met', 'status-pending', 'status-pending', 'status-missed', '')
    """
    try:
        return Status(status).css_class
    except ValueError:
        return Status.MISSED.css_class if status == "failed" else ""


def write_index(out_dir: Path) -> Path:
    """``reports/index.html``: every plan and period with its overall status and links, the quarterly
    bulletins (季度通报) and the monthly ones (月通报) in separate tables."""
    from .render.html import bulletin_css  # lazy: hzlib.render.html costs 7 ms at import of this module

    rows: list[str] = []
    monthly_rows: list[str] = []
    for manifest in sorted(out_dir.glob("*/*/manifest.json")):
        m = json.loads(manifest.read_text(encoding="utf-8"))
        rel = manifest.parent.relative_to(out_dir).as_posix()
        links = []
        for name, label in (
            ("bulletin.html", "通报 HTML"),
            ("bulletin.pdf", "PDF"),
            ("bulletin.xlsx", "Excel"),
            ("01_targets.html", "目标分解"),
            ("02_evaluate.html", "目标与实际"),
            ("03_projects.html", "项目进度"),
            ("04_scoring.html", "考核评分"),
        ):
            if (manifest.parent / name).exists():
                links.append(f'<a href="{html.escape(rel)}/{name}">{label}</a>')
        st = m.get("overall_status", "no_data")
        s = m.get("summary", {})
        if bulletin_kind(str(m["quarter"])) == "monthly":  # 月通报: no target assessed, so no status column and no target pages
            links = [a for a in links if not any(f"/{n}" in a for n in ("01_targets.html", "02_evaluate.html", "04_scoring.html"))]
            monthly_rows.append(
                f"<tr><td>{html.escape(m.get('jurisdiction', ''))}</td><td>{html.escape(m.get('title', ''))}</td>"
                f"<td>{html.escape(m['quarter'])}</td><td>{'示意数据' if m.get('illustrative') else ''}</td><td>{' · '.join(links)}</td></tr>"
            )
            continue
        rows.append(
            f"<tr><td>{html.escape(m.get('jurisdiction', ''))}</td><td>{html.escape(m.get('title', ''))}</td>"
            f'<td>{html.escape(m["quarter"])}</td><td class="{_status_class(st)}">{STATUS_ZH.get(st, st)}</td>'
            f"<td>{' / '.join(f'{k.zh} {s.get(k.value, 0)}' for k in (Status.MET, Status.NEAR, Status.MISSED))}</td>"
            f"<td>{'示意数据' if m.get('illustrative') else ''}</td><td>{' · '.join(links)}</td></tr>"
        )
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>重点项目建设季度通报</title>
<style>{bulletin_css()}</style></head>
<body><main class="hz-index"><h1>重点项目建设季度通报</h1>
<p>各计划最新季度的通报。状态为本期全部考核目标中最差的一项。</p>
<table class="dataframe hz-table"><thead><tr><th>地区</th><th>计划</th><th>季度</th><th>总体状态</th><th>目标</th><th>数据</th><th>文件</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>{_monthly_index(monthly_rows)}</main></body></html>
"""
    path = out_dir / "index.html"
    with writing(path):
        remove_leftovers(out_dir)
        atomic_write_text(path, page)
    return path


def _monthly_index(rows: list[str]) -> str:
    """The index's table of monthly bulletins (月通报), when there are any."""
    if not rows:
        return ""
    return (
        "\n<h2>重点项目进展月通报</h2>\n<p>非季度末月份的月通报：重点项目累计完成投资与时序进度、开工竣工、落后项目；目标在季度末考核，见上表。</p>\n"
        '<table class="dataframe hz-table"><thead><tr><th>地区</th><th>计划</th><th>月份</th><th>数据</th><th>文件</th></tr></thead>\n<tbody>\n'
        + "\n".join(rows)
        + "\n</tbody></table>"
    )


def render_job(job: Job, key: str, out_dir: str, prepared: Prepared | None = None) -> RunResult:
    """Render one report of ``hz run`` with this process's worker (made on first use) and record its
    key when done; what :func:`hzlib.runner.pool.run_jobs` calls, here, in a pool process or on a Dask
    worker. ``prepared``: its inputs, already checked (see :func:`prepare_report`; else checked here,
    before the kernel starts: wrong inputs start nothing)."""
    from .runner.worker import process_worker  # lazy: hzlib.runner.worker (the kernel runner) costs 7 ms at import of this module

    out = Path(out_dir)
    if prepared is None:
        try:
            prepared = prepare_report(job.plan, job.quarter, data_dir=job.data_dir, allow_partial=job.allow_partial, scenario=job.scenario)
        except HzError as e:
            return RunResult(job.plan, job.quarter, False, None, errors=[e.render()], input_error=e.exit_code == 2)
    r = run_plan(
        job.plan,
        job.quarter,
        out_dir=out,
        formats=job.formats,
        data_dir=job.data_dir,
        allow_partial=job.allow_partial,
        scenario=job.scenario,
        worker=process_worker(),
        key=key,
        prepared=prepared,
    )
    if r.ok and r.folder is not None:
        record_key(job, key, out, r.folder)
    return r


def main_run(
    plans: list[str],
    quarter: str,
    out_dir: Path,
    formats: tuple[str, ...],
    data_dir: str | None,
    allow_partial: bool = False,
    *,
    jobs: int | None = None,
    scheduler: str | None = None,
    force: bool = False,
    scenarios: tuple[str, ...] = (),
) -> int:
    """Render every plan (and, with ``scenarios``, one what-if report per plan and scenario).

    A report whose inputs, notebooks, code and settings are unchanged since it was rendered is
    not rendered again (``force``: render anyway). The others are spread over ``jobs``
    processes (default: one per core) or over the Dask ``scheduler``. A failing report does
    not stop the others; Ctrl-C or SIGTERM stops all. Prints one block per report and returns
    the exit code (0; 2 when a report's inputs are wrong; 1 when a report failed otherwise;
    128 + signal).

    Every report's inputs are checked here first (:func:`prepare_report`), before any kernel or
    worker starts: a single report whose inputs are wrong raises its :class:`HzError` (one message,
    exit code 2); of several, the wrong ones are listed and the others rendered.
    """
    from .runner.pool import Progress, check_scheduler_address, default_jobs, run_jobs  # lazy: hzlib.runner.pool costs 13 ms at import of this module

    bad = [f for f in formats if f not in ("html", "pdf", "xlsx")]
    if bad:
        raise UsageError(f"未知输出格式 {bad}（可用：html,pdf,xlsx）")
    if scheduler is not None:
        scheduler = check_scheduler_address(scheduler)
    if quarter != "latest":
        asked = Period.parse(quarter).canonical()  # read once; the folder name and the check below use it
        quarter = period_label(asked)
        if scenarios and not asked.is_quarter_end:
            raise UsageError(f"情景假设通报按季度生成，{asked.label_zh()}是月份：请写季度，如 {asked.year}Q{asked.quarter}")
    known = set(list_plan_ids())
    for p in plans:
        check_id(p, "plan")
        if p not in known:
            raise UsageError(f"没有计划 {p!r}（可用：{'、'.join(sorted(known))}）")
    todo = [Job(p, quarter, formats, data_dir, allow_partial) for p in plans]
    if scenarios:
        from .whatif.scenario import list_scenarios  # lazy: hzlib.whatif.scenario costs 34 ms at import of this module; only scenarios need it

        todo = [Job(p, quarter, formats, data_dir, allow_partial, s) for p in plans for s in scenarios if s in list_scenarios(p)]
        if not todo:
            raise UsageError(f"所选计划都没有情景 {'、'.join(scenarios)}（params/scenarios/<计划>/<情景>.yaml）")
    results: list[RunResult] = []
    current = "准备"
    with interrupts_as_exceptions():
        try:
            digests = {job: digest_inputs(job.plan, job.data_dir, job.scenario) for job in todo}  # once per report
            keyed = [(job, job_key(job, digests[job])) for job in todo]
            run: list[tuple[Job, str]] = []
            skipped = 0  # reports reused unchanged
            for job, key in keyed:
                folder = None if force else cached_folder(job, key, out_dir, expected_files(formats, bulletin_kind(job.quarter) == "monthly"))
                if folder is None:
                    run.append((job, key))
                    continue
                r = RunResult(job.plan, folder.name, True, folder, notes=["输入、notebook、程序和设置都未变化，沿用上次生成的通报（--force 重新生成）"])
                results.append(r)
                skipped += 1
                _print_result(r, out_dir)
            run, prepared, refused = _check_inputs(run, digests, single=len(todo) == 1)
            for r in refused:
                results.append(r)
                _print_result(r, out_dir)
            with writing(out_dir):
                out_dir.mkdir(parents=True, exist_ok=True)
            n = min(jobs or default_jobs(), max(1, len(run)))
            current = "、".join(j.label for j, _ in run[:3]) + ("等" if len(run) > 3 else "")
            progress = Progress(len(run)) if run else None
            results += run_jobs(
                run, out_dir, render_job, n_jobs=n, scheduler=scheduler, progress=progress, on_result=lambda r: _print_result(r, out_dir), prepared=prepared
            )
            if progress is not None:
                progress.close()
            current = "索引"
            index = write_index(out_dir)
        except Interrupted as e:
            stop_kernels()
            for folder in [out_dir, *(out_dir / j.plan for j in todo)]:  # this run's staging folders
                with contextlib.suppress(OSError):
                    remove_leftovers(folder, own=True)
            print(f"✗ {e.describe()}：{current} 未完成，临时文件已删除，已有的通报未改动", file=sys.stderr, flush=True)
            return e.exit_code
    failed = [r for r in results if not r.ok]
    tail = f"（其中 {skipped} 个未变化，未重新生成）" if skipped else ""
    print(f"\n共 {len(results)} 个通报：成功 {len(results) - len(failed)} 个{tail}，失败 {len(failed)} 个。索引：{index}")
    return 2 if any(r.input_error for r in failed) else 1 if failed else 0


def _check_inputs(
    run: list[tuple[Job, str]], digests: dict[Job, InputDigest], *, single: bool
) -> tuple[list[tuple[Job, str]], dict[Job, Prepared], list[RunResult]]:
    """Check the inputs of every report to render (no kernel started yet; ``digests``: their input
    files, hashed): the reports to render, their prepared inputs, and the refused ones (each with its message). With ``single`` (the run
    asked for one report) a wrong input raises its error instead: one message, exit code 2."""
    ok: list[tuple[Job, str]] = []
    prepared: dict[Job, Prepared] = {}
    refused: list[RunResult] = []
    for job, key in run:
        try:
            prepared[job] = prepare_report(
                job.plan, job.quarter, data_dir=job.data_dir, allow_partial=job.allow_partial, scenario=job.scenario, digest=digests.get(job)
            )
        except HzError as e:
            if single:
                raise
            refused.append(RunResult(job.plan, job.quarter, False, None, errors=[e.render()], input_error=e.exit_code == 2))
            continue
        ok.append((job, key))
    return ok, prepared, refused


def _print_result(r: RunResult, out_dir: Path) -> None:
    mark = "✓" if r.ok else "✗"
    where = f" → {_shown(r.folder, out_dir)}" if r.ok and r.folder else ""
    print(f"{mark} {r.plan} {r.quarter}{where}", flush=True)
    for n in r.notes:
        print(f"  - 提示：{n}")
    for w in r.warnings:
        print(f"  - 警告：{w}")
    for e in r.errors:
        print("  - " + e.replace("\n", "\n    "))
