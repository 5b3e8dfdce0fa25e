"""Render bulletins: execute the notebooks with papermill, then HTML, PDF and Excel.

Layout: ``reports/<plan>/<quarter>/`` holds the executed notebooks, ``bulletin.html``,
``bulletin.pdf``, ``bulletin.xlsx``, the other notebooks' HTML and ``manifest.json``;
``reports/index.html`` lists every plan and quarter. Everything is written into a
staging folder and moved into place only when complete: a failed run never leaves
a half-written report or replaces a good one (a notebook that fails is kept under
``reports/<plan>/<quarter>.failed/`` for inspection, and the message names it).

Ctrl-C and SIGTERM stop a run with one line (exit code 130 and 143) after removing its
staging folder; what a killed run (SIGKILL, power cut) left behind is removed by the
next run (:func:`hzlib.render.atomic.remove_leftovers`). A folder that cannot be written
(read-only, full) is a :class:`hzlib.errors.RenderError` naming it, never a traceback.
The notebook kernels are started by :mod:`hzlib.kernels` (local IPC, never outliving the run).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import json
import pickle
import platform
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .arithmetic import Status
from .errors import HzError, UsageError
from .paths import project
from .periods import Period
from .render.atomic import remove_leftovers, writing
from .safety import check_id, check_quarter

if TYPE_CHECKING:
    from .render.pdf import PdfRenderer
    from .runner.keys import Job
    from .runner.worker import Worker

__all__ = ["RunResult", "Prepared", "Interrupted", "prepare_report", "run_plan", "main_run", "write_index", "interrupts_as_exceptions", "NOTEBOOKS"]

#: notebook file -> output HTML name
NOTEBOOKS = {
    "quarterly_report.ipynb": "bulletin.html",
    "01_targets.ipynb": "01_targets.html",
    "02_evaluate.ipynb": "02_evaluate.html",
    "03_projects.ipynb": "03_projects.html",
    "04_scoring.ipynb": "04_scoring.html",
}
STATUS_ZH = {st.value: st.zh for st in Status} | {"failed": "运行失败"}


@dataclass
class RunResult:
    plan: str
    quarter: str
    ok: bool
    folder: Path | None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: failed because of its inputs (plan, data, quarter, scenario): ``hz run`` then exits with 2
    input_error: bool = False


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


def _git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "-C", str(project().root), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for pkg in ("hzlib", "pandas", "numpy", "matplotlib", "papermill", "nbconvert", "pydantic", "openpyxl"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            pass
    return out


def check_parameters(notebook: Path, params: dict[str, Any]) -> None:
    """Every parameter must exist in the notebook's parameters cell with the same type."""
    import papermill as pm

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
    from .runner.worker import Worker

    if prepared is None:
        try:
            prepared = prepare_report(plan_id, quarter, data_dir=data_dir, allow_partial=allow_partial, scenario=scenario)
        except HzError as e:
            return RunResult(plan_id, quarter, False, None, errors=[e.render()], input_error=e.exit_code == 2)
    own = worker is None
    w = worker or Worker()
    w.kernel.start()  # warms up while the output folder is prepared
    try:
        return _run_plan(prepared, out_dir=out_dir, formats=formats, data_dir=data_dir, allow_partial=allow_partial,
                         progress=progress, pdf=pdf, worker=w, scenario=scenario, key=key)
    finally:
        if own:
            w.close()


def prepare_report(plan_id: str, quarter: str, *, data_dir: str | None = None, allow_partial: bool = False,
                   scenario: str | None = None) -> Prepared:
    """Read and check a report's inputs and compute its model: everything that needs no kernel.

    Raises :class:`HzError` (unknown plan, quarter outside the plan year or past the data, bad
    data or scenario) before anything is started or written."""
    from .report import load_inputs
    from .report.notebook import build_model, model_key

    check_id(plan_id, "plan")
    q_asked = quarter if quarter == "latest" else Period.parse(quarter).to_quarter().label()
    inputs = load_inputs(plan_id, data_dir)
    model = build_model(plan_id, q_asked, data_dir or "", allow_partial, scenario or "", inputs=inputs)
    q = check_quarter(model.period.to_quarter().label() if q_asked == "latest" else q_asked)
    if scenario:
        q = check_quarter(str(model.extra.get("base_quarter", q))) if q_asked == "latest" else q
    params: dict[str, Any] = {"plan": plan_id, "quarter": q, "data_dir": str(data_dir or ""), "allow_partial": allow_partial,
                              "scenario": scenario or ""}
    for nb in NOTEBOOKS:
        check_parameters(project().notebook_dir / nb, params)
    cache_key = model_key(plan_id, q, str(data_dir or ""), allow_partial, scenario or "")
    return Prepared(plan_id, q, inputs, model, params, cache_key)


def _start_pdf(renderer: PdfRenderer, stage: Path, result: RunResult) -> Future[Any] | None:
    """Print ``bulletin.html`` in the background (the engine is another process; this thread only waits)."""
    from concurrent.futures import ThreadPoolExecutor

    from .render.pdf import missing_engine_message, pdf_available

    if not pdf_available():
        result.warnings.append(missing_engine_message())
        return None
    ex = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hz-pdf")
    future = ex.submit(renderer.render, stage / "bulletin.html", stage / "bulletin.pdf")
    ex.shutdown(wait=False)  # the job goes on; the report waits for it before it is committed
    return future


def _report_folder(q: str, scenario_id: str | None) -> str:
    return q if not scenario_id else f"{q}-{check_id(scenario_id, 'scenario')}"


def _run_plan(prepared: Prepared, *, out_dir: Path, formats: tuple[str, ...], data_dir: str | None, allow_partial: bool,
              progress: Any, pdf: PdfRenderer | None, worker: Worker, scenario: str | None, key: str | None) -> RunResult:
    import nbformat

    from .inputs import data_dir_for, file_hash
    from .render.atomic import atomic_write_text, staging_dir
    from .render.html import notebook_to_html
    from .runner.kernel import NotebookError

    started = dt.datetime.now(dt.UTC)
    plan_id, q, inputs, model, params, cache_key = (prepared.plan_id, prepared.quarter, prepared.inputs, prepared.model,
                                                    prepared.params, prepared.cache_key)
    plan = inputs.plan
    notebook_dir = project().notebook_dir
    scenario_id = str(model.extra.get("scenario_id")) if scenario else None
    final = out_dir / plan_id / _report_folder(q, scenario_id)
    result = RunResult(plan_id, final.name, False, None)
    failed_dir = out_dir / plan_id / f"{final.name}.failed"
    try:
        with writing(final.parent):
            final.parent.mkdir(parents=True, exist_ok=True)
            result.notes += [f"已删除上次中断的运行留下的 {_shown(p, out_dir)}" for p in remove_leftovers(final.parent)]
            shutil.rmtree(failed_dir, ignore_errors=True)  # from an earlier run: this run decides again
        with writing(final.parent), staging_dir(final) as stage:
            model_file = stage / ".model.pkl"  # the notebooks present this model: computed once, above
            model_file.write_bytes(pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL))
            worker.kernel.preload(model_file, cache_key)
            model_file.unlink()
            printing: Future[Any] | None = None  # the PDF prints while the other notebooks run
            for nb, html_name in NOTEBOOKS.items():
                out_nb = stage / nb
                try:
                    executed = worker.kernel.run(notebook_dir / nb, params, cwd=notebook_dir)
                except NotebookError as e:
                    failed_dir.mkdir(parents=True, exist_ok=True)
                    nbformat.write(e.executed, failed_dir / nb)
                    result.errors.append(f"{e}（出错的 notebook 已保存为 {_shown(failed_dir / nb, out_dir)}）")
                    raise _NotebookFailed from e
                nbformat.write(executed, out_nb)
                if "html" in formats or "pdf" in formats:
                    kind = "季度通报" if nb.startswith("quarterly") else nb[:-6]
                    title = f"{plan.jurisdiction} {q} {kind}" + (f"（情景假设：{model.extra.get('scenario_label')}）" if scenario else "")
                    atomic_write_text(stage / html_name, notebook_to_html(executed, title=title, base_dir=notebook_dir))
                if html_name == "bulletin.html" and "pdf" in formats:
                    printing = _start_pdf(pdf or worker.pdf, stage, result)
                if progress:
                    progress(f"{plan_id} {q} {nb}")
            if "xlsx" in formats:
                from .render.excel import write_tables_xlsx
                from .report.tables import excel_tables

                write_tables_xlsx(excel_tables(model), stage / "bulletin.xlsx", title=f"{plan.jurisdiction}{q}季度通报")
            if printing is not None:
                from .render.pdf import PDFError

                try:
                    printing.result()
                except PDFError as e:
                    result.errors.append(f"PDF：{e}")
                    raise _NotebookFailed from e
            if "html" not in formats:
                for name in NOTEBOOKS.values():
                    (stage / name).unlink(missing_ok=True)
            files = dict(inputs.files) | {f"notebooks/{nb}": project().notebook_dir / nb for nb in NOTEBOOKS}
            manifest = {
                "plan": plan_id,
                "title": plan.title,
                "jurisdiction": plan.jurisdiction,
                "quarter": q,
                "scenario": scenario_id,
                "parameters": params,
                "formats": list(formats),
                "key": key,
                "period_evaluated": model.period.label(),
                "data_end": model.coverage.end.label() if model.coverage.end else None,
                "partial": model.partial,
                "assumed": model.assumed,
                "overall_status": model.overall_status,
                "summary": model.summary,
                "illustrative": model.illustrative,
                "inputs": {k: {"file": p.name, "sha256": file_hash(p)} for k, p in sorted(files.items()) if p.exists()},
                "data_folder": data_dir_for(plan_id, data_dir).name,
                "versions": _versions(),
                "git_commit": _git_commit(),
                "started": started.isoformat(timespec="seconds"),
                "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            }
            atomic_write_text(stage / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    except _NotebookFailed:
        return result
    except HzError as e:
        result.errors.append(e.render())
        return result
    except Exception as e:  # a bug in hzlib: say what, without a traceback
        result.errors.append(f"程序错误 / internal error：{type(e).__name__}: {e}")
        return result
    result.ok = True
    result.folder = final
    return result


def write_index(out_dir: Path) -> Path:
    """``reports/index.html``: every plan and quarter with its overall status and links."""
    from .render.atomic import atomic_write_text
    from .render.html import bulletin_css

    rows = []
    for manifest in sorted(out_dir.glob("*/*/manifest.json")):
        m = json.loads(manifest.read_text(encoding="utf-8"))
        rel = manifest.parent.relative_to(out_dir).as_posix()
        links = []
        for name, label in (("bulletin.html", "通报 HTML"), ("bulletin.pdf", "PDF"), ("bulletin.xlsx", "Excel"),
                            ("01_targets.html", "目标分解"), ("02_evaluate.html", "目标与实际"), ("03_projects.html", "项目进度"), ("04_scoring.html", "考核评分")):
            if (manifest.parent / name).exists():
                links.append(f'<a href="{html.escape(rel)}/{name}">{label}</a>')
        st = m.get("overall_status", "no_data")
        s = m.get("summary", {})
        rows.append(
            f"<tr><td>{html.escape(m.get('jurisdiction', ''))}</td><td>{html.escape(m.get('title', ''))}</td>"
            f"<td>{html.escape(m['quarter'])}</td><td class=\"status-{html.escape(st)}\">{STATUS_ZH.get(st, st)}</td>"
            f"<td>达标 {s.get('met', 0)} / 基本达标 {s.get('near', 0)} / 未达标 {s.get('missed', 0)}</td>"
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
</tbody></table></main></body></html>
"""
    path = out_dir / "index.html"
    with writing(path):
        remove_leftovers(out_dir)
        atomic_write_text(path, page)
    return path


def main_run(plans: list[str], quarter: str, out_dir: Path, formats: tuple[str, ...], data_dir: str | None,
             allow_partial: bool = False, *, jobs: int | None = None, scheduler: str | None = None, force: bool = False,
             scenarios: tuple[str, ...] = ()) -> int:
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
    from .plan import list_plan_ids
    from .runner.keys import Job, cached_folder, job_key
    from .runner.pool import Progress, check_scheduler_address, default_jobs, run_jobs

    bad = [f for f in formats if f not in ("html", "pdf", "xlsx")]
    if bad:
        raise UsageError(f"未知输出格式 {bad}（可用：html,pdf,xlsx）")
    if scheduler is not None:
        scheduler = check_scheduler_address(scheduler)
    if quarter != "latest":
        quarter = check_quarter(Period.parse(quarter).to_quarter().label())
    known = set(list_plan_ids())
    for p in plans:
        check_id(p, "plan")
        if p not in known:
            raise UsageError(f"没有计划 {p!r}（可用：{'、'.join(sorted(known))}）")
    todo = [Job(p, quarter, formats, data_dir, allow_partial) for p in plans]
    if scenarios:
        from .whatif.scenario import list_scenarios

        todo = [Job(p, quarter, formats, data_dir, allow_partial, s) for p in plans for s in scenarios if s in list_scenarios(p)]
        if not todo:
            raise UsageError(f"所选计划都没有情景 {'、'.join(scenarios)}（params/scenarios/<计划>/<情景>.yaml）")
    expected = ("manifest.json",) + (tuple(NOTEBOOKS.values()) if "html" in formats else ()) + (("bulletin.xlsx",) if "xlsx" in formats else ())
    results: list[RunResult] = []
    current = "准备"
    with interrupts_as_exceptions():
        try:
            keyed = [(job, job_key(job)) for job in todo]
            run: list[tuple[Job, str]] = []
            skipped = 0  # reports reused unchanged
            for job, key in keyed:
                folder = None if force else cached_folder(job, key, out_dir, expected)
                if folder is None:
                    run.append((job, key))
                    continue
                r = RunResult(job.plan, folder.name, True, folder, notes=["输入、notebook、程序和设置都未变化，沿用上次生成的通报（--force 重新生成）"])
                results.append(r)
                skipped += 1
                _print_result(r, out_dir)
            run, prepared, refused = _check_inputs(run, single=len(todo) == 1)
            for r in refused:
                results.append(r)
                _print_result(r, out_dir)
            with writing(out_dir):
                out_dir.mkdir(parents=True, exist_ok=True)
            n = min(jobs or default_jobs(), max(1, len(run)))
            current = "、".join(j.label for j, _ in run[:3]) + ("等" if len(run) > 3 else "")
            progress = Progress(len(run)) if run else None
            results += run_jobs(run, out_dir, n_jobs=n, scheduler=scheduler, progress=progress,
                                on_result=lambda r: _print_result(r, out_dir), prepared=prepared)
            if progress is not None:
                progress.close()
            current = "索引"
            index = write_index(out_dir)
        except Interrupted as e:
            from .kernels import stop_kernels

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


def _check_inputs(run: list[tuple[Job, str]], *, single: bool) -> tuple[list[tuple[Job, str]], dict[Job, Prepared], list[RunResult]]:
    """Check the inputs of every report to render (no kernel started yet): the reports to render,
    their prepared inputs, and the refused ones (each with its message). With ``single`` (the run
    asked for one report) a wrong input raises its error instead: one message, exit code 2."""
    ok: list[tuple[Job, str]] = []
    prepared: dict[Job, Prepared] = {}
    refused: list[RunResult] = []
    for job, key in run:
        try:
            prepared[job] = prepare_report(job.plan, job.quarter, data_dir=job.data_dir, allow_partial=job.allow_partial,
                                           scenario=job.scenario)
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
