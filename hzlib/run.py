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
import hashlib
import html
import json
import platform
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .arithmetic import Status
from .errors import HzError, UsageError
from .kernels import kernel_options, stop_kernels
from .paths import NOTEBOOK_DIR, ROOT
from .periods import Period
from .render.atomic import remove_leftovers, writing
from .safety import check_id, check_quarter

if TYPE_CHECKING:
    from .render.pdf import PdfRenderer

__all__ = ["RunResult", "Interrupted", "run_plan", "main_run", "write_index", "interrupts_as_exceptions", "NOTEBOOKS", "ROOT"]

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


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10)
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


def _error_summary(nb_path: Path) -> str:
    import nbformat

    try:
        nb = nbformat.read(nb_path, as_version=4)
    except Exception:
        return "无法读取出错的 notebook"
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return f"第 {i + 1} 个单元格：{out.get('ename')}: {out.get('evalue')}"
    return "未知错误"


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
) -> RunResult:
    """Execute and render every notebook for one plan and quarter (``2024Q2``, any form
    :meth:`Period.parse` reads that ends a quarter, or ``latest``); ``pdf``: a renderer shared across plans."""
    import papermill as pm

    from .data import data_dir_for
    from .plan import plan_path
    from .render.atomic import atomic_write_text, staging_dir
    from .render.html import notebook_to_html
    from .report import load_inputs, load_report

    check_id(plan_id, "plan")
    started = dt.datetime.now(dt.UTC)
    try:
        q_asked = quarter if quarter == "latest" else Period.parse(quarter).to_quarter().label()
        inputs = load_inputs(plan_id, data_dir)
        plan, loaded = inputs.plan, inputs.loaded
        model = load_report(plan_id, q_asked, data_dir, allow_partial=allow_partial, inputs=inputs)
        q = check_quarter(model.period.to_quarter().label() if q_asked == "latest" else q_asked)
        params = {"plan": plan_id, "quarter": q, "data_dir": str(data_dir or ""), "allow_partial": allow_partial}
        for nb in NOTEBOOKS:
            check_parameters(NOTEBOOK_DIR / nb, params)
    except HzError as e:
        return RunResult(plan_id, quarter, False, None, errors=[e.render()])
    final = out_dir / plan_id / q
    result = RunResult(plan_id, q, False, None)
    failed_dir = out_dir / plan_id / f"{q}.failed"
    try:
        with writing(final.parent):
            final.parent.mkdir(parents=True, exist_ok=True)
            result.notes += [f"已删除上次中断的运行留下的 {_shown(p, out_dir)}" for p in remove_leftovers(final.parent)]
            shutil.rmtree(failed_dir, ignore_errors=True)  # from an earlier run: this run decides again
        with writing(final.parent), staging_dir(final) as stage:
            for nb, html_name in NOTEBOOKS.items():
                out_nb = stage / nb
                try:
                    pm.execute_notebook(
                        str(NOTEBOOK_DIR / nb), str(out_nb), parameters=params, kernel_name="python3",
                        progress_bar=False, cwd=str(NOTEBOOK_DIR), **kernel_options(),
                    )
                except BaseException as e:
                    if not isinstance(e, pm.PapermillExecutionError):
                        stop_kernels()
                        raise
                    failed_dir.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(out_nb, failed_dir / nb)
                    result.errors.append(
                        f"{nb} 第 {e.cell_index + 1} 个单元格出错：{e.ename}: {e.evalue}"
                        f"（出错的 notebook 已保存为 {_shown(failed_dir / nb, out_dir)}）"
                    )
                    raise _NotebookFailed from e
                if "html" in formats or "pdf" in formats:
                    title = f"{plan.jurisdiction} {q} {'季度通报' if nb.startswith('quarterly') else nb[:-6]}"
                    atomic_write_text(stage / html_name, notebook_to_html(out_nb, title=title))
                if progress:
                    progress(f"{plan_id} {q} {nb}")
            if "xlsx" in formats:
                from .render.excel import write_tables_xlsx
                from .report.tables import excel_tables

                write_tables_xlsx(excel_tables(model), stage / "bulletin.xlsx", title=f"{plan.jurisdiction}{q}季度通报")
            if "pdf" in formats:
                from .render.pdf import PDFError, html_to_pdf, missing_engine_message, pdf_available

                if pdf_available():
                    try:
                        (pdf.render if pdf else html_to_pdf)(stage / "bulletin.html", stage / "bulletin.pdf")
                    except PDFError as e:
                        result.errors.append(f"PDF：{e}")
                        raise _NotebookFailed from e
                else:
                    result.warnings.append(missing_engine_message())
            if "html" not in formats:
                for name in NOTEBOOKS.values():
                    (stage / name).unlink(missing_ok=True)
            files = {"plan": plan_path(plan_id)} | {f"data/{k}": p for k, p in loaded.files.items()}
            files |= {f"notebooks/{nb}": NOTEBOOK_DIR / nb for nb in NOTEBOOKS}
            manifest = {
                "plan": plan_id,
                "title": plan.title,
                "jurisdiction": plan.jurisdiction,
                "quarter": q,
                "parameters": params,
                "formats": list(formats),
                "period_evaluated": model.period.label(),
                "data_end": model.coverage.end.label() if model.coverage.end else None,
                "partial": model.partial,
                "overall_status": model.overall_status,
                "summary": model.summary,
                "illustrative": model.illustrative,
                "inputs": {k: {"file": p.name, "sha256": sha256(p)} for k, p in sorted(files.items())},
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
             allow_partial: bool = False) -> int:
    """Run every plan; a failing plan does not stop the others; Ctrl-C or SIGTERM stops all.
    Prints one block per plan and returns the exit code (0, 1 when a plan failed, 128 + signal)."""
    from .plan import list_plan_ids

    bad = [f for f in formats if f not in ("html", "pdf", "xlsx")]
    if bad:
        raise UsageError(f"未知输出格式 {bad}（可用：html,pdf,xlsx）")
    if quarter != "latest":
        quarter = check_quarter(Period.parse(quarter).to_quarter().label())
    known = set(list_plan_ids())
    for p in plans:
        check_id(p, "plan")
        if p not in known:
            raise UsageError(f"没有计划 {p!r}（可用：{'、'.join(sorted(known))}）")
    results: list[RunResult] = []
    current = ""
    folders: list[Path] = [out_dir]
    from .render.pdf import PdfRenderer

    pdf = PdfRenderer()  # the PDF engine starts once for all plans
    with interrupts_as_exceptions():
        try:
            with writing(out_dir):
                out_dir.mkdir(parents=True, exist_ok=True)
            for p in plans:
                current = f"{p} {'最新季度' if quarter == 'latest' else quarter}"
                folders = [out_dir, out_dir / p]
                print(f"… {current}", file=sys.stderr, flush=True)
                r = run_plan(p, quarter, out_dir=out_dir, formats=formats, data_dir=data_dir, allow_partial=allow_partial, pdf=pdf)
                results.append(r)
                _print_result(r, out_dir)
            current = "索引"
            index = write_index(out_dir)
        except Interrupted as e:
            for folder in folders:  # a signal between creating a staging folder and using it
                with contextlib.suppress(OSError):
                    remove_leftovers(folder, own=True)
            print(f"✗ {e.describe()}：{current} 未完成，临时文件已删除，已有的通报未改动", file=sys.stderr, flush=True)
            return e.exit_code
        finally:
            pdf.close()
    failed = [r for r in results if not r.ok]
    print(f"\n共 {len(results)} 个计划：成功 {len(results) - len(failed)} 个，失败 {len(failed)} 个。索引：{index}")
    return 1 if failed else 0


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
