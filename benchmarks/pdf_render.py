"""Print the same HTML N times with each PDF path, in one run; print seconds per PDF, fonts and the ratio.

Run by hand: ``.venv/bin/python benchmarks/pdf_render.py [-n 5] [--small | HTML]``. Results go in
docs/benchmarks.md. Default HTML: the bulletin of the committed ``notebooks/quarterly_report.ipynb``
(real tables and charts, no kernel needed); ``--small``: a one-page Chinese page with a table.

Paths, interleaved round by round so that load on the machine hits them alike:

- ``chromium one-shot``: the old path, a fresh ``chromium --headless --print-to-pdf`` per file
  (``PdfRenderer("chromium")``);
- ``renderer``: the new default, ``PdfRenderer()`` (WeasyPrint in one warm worker process);
- ``weasyprint in-process``: WeasyPrint called directly, to show what the worker costs;
- ``playwright warm chromium``: one Chromium driven by Playwright (``executable_path``), when
  the ``playwright`` package is installed (it is not a dependency of hzlib).

For each: the first PDF (with the engine start), the median of the others, the batch of N,
and with poppler-utils the Type 3 / total font count, size and pages of the output.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hzlib.render.html import bulletin_css, notebook_to_html
from hzlib.render.pdf import PdfRenderer, chromium_available, find_chromium, weasyprint_available

ROOT = Path(__file__).resolve().parents[1]


def small_html() -> str:
    rows = "".join(f'<tr><td>第{i}号城市道路改造项目</td><td class="nw">市级</td><td class="num">{1000 + i:,}</td></tr>' for i in range(20))
    return (
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>测试</title><style>{bulletin_css()}</style>'
        f"</head><body><main><h1>重点项目建设季度通报</h1><p>上半年完成投资239.2亿元。</p>"
        f'<table class="dataframe hz-table"><thead><tr><th>项目名称</th><th>级别</th><th>完成投资（万元）</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></main></body></html>"
    )


def pdf_facts(pdf: Path) -> str:
    if not (shutil.which("pdffonts") and shutil.which("pdfinfo")):
        return f"{pdf.stat().st_size / 1024:.0f} KiB"
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout.splitlines()[2:]
    pages = re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout)
    type3 = sum("Type 3" in f for f in fonts)
    return f"Type 3 {type3}/{len(fonts)} fonts, {pdf.stat().st_size / 1024:.0f} KiB, {pages.group(1) if pages else '?'} pages"


class PrintPath:
    """One way to print: ``start()`` once, ``render(src, dst)`` per PDF, ``stop()``."""

    def __init__(self, name: str, start: Callable[[], Any], render: Callable[[Any, Path, Path], None], stop: Callable[[Any], None]) -> None:
        self.name, self._start, self._render, self._stop = name, start, render, stop
        self.state: Any = None
        self.times: list[float] = []
        self.out: Path | None = None

    def round(self, src: Path, dst: Path) -> None:
        t0 = time.perf_counter()
        if self.state is None:
            self.state = self._start()
        self._render(self.state, src, dst)
        self.times.append(time.perf_counter() - t0)
        self.out = dst

    def stop(self) -> None:
        if self.state is not None:
            self._stop(self.state)


def available_paths() -> list[PrintPath]:
    paths = []
    if chromium_available():
        paths.append(PrintPath("chromium one-shot (old)", lambda: PdfRenderer("chromium"), lambda r, s, d: r.render(s, d), lambda r: r.close()))
    if weasyprint_available():
        paths.append(PrintPath("renderer (WeasyPrint worker)", lambda: PdfRenderer("weasyprint"), lambda r, s, d: r.render(s, d), lambda r: r.close()))

        def wp_start() -> Any:
            import weasyprint

            return weasyprint

        paths.append(PrintPath("weasyprint in-process", wp_start, lambda wp, s, d: wp.HTML(filename=str(s)).write_pdf(d), lambda wp: None))
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("(playwright not installed: pip install playwright to include a warm Chromium)")
    else:

        def pw_start() -> Any:
            pw = sync_playwright().start()
            browser = pw.chromium.launch(executable_path=find_chromium(), args=["--no-sandbox", "--disable-gpu"])
            return pw, browser

        def pw_render(state: Any, src: Path, dst: Path) -> None:
            page = state[1].new_page()
            page.goto(src.as_uri())
            page.pdf(path=str(dst), prefer_css_page_size=True, print_background=True)
            page.close()

        if chromium_available():
            paths.append(PrintPath("playwright warm chromium", pw_start, pw_render, lambda s: (s[1].close(), s[0].stop())))
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("html", nargs="?", type=Path, help="HTML file (default: the committed bulletin notebook)")
    ap.add_argument("-n", type=int, default=5, help="PDFs per path (default 5)")
    ap.add_argument("--small", action="store_true", help="a one-page Chinese page with a table")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="hz-pdf-bench-") as d:
        work = Path(d)
        src = work / "input.html"
        if args.small:
            src.write_text(small_html(), encoding="utf-8")
        elif args.html:
            shutil.copy(args.html, src)
        else:
            src.write_text(notebook_to_html(ROOT / "notebooks" / "quarterly_report.ipynb", title="季度通报"), encoding="utf-8")
        paths = available_paths()
        for i in range(args.n):
            for k, p in enumerate(paths):
                p.round(src, work / f"{k}-{i}.pdf")
        for p in paths:
            p.stop()
        print(f"{src.stat().st_size / 1024:.0f} KiB of HTML, {args.n} PDFs per path")
        for p in paths:
            rest = statistics.median(p.times[1:]) if len(p.times) > 1 else p.times[0]
            assert p.out is not None
            print(f"  {p.name:30s} first {p.times[0]:5.2f} s, then {rest:5.2f} s/PDF, batch {sum(p.times):6.2f} s  | {pdf_facts(p.out)}")
        by = {p.name.split(" (")[0]: p for p in paths}
        old, new = by.get("chromium one-shot"), by.get("renderer")
        if old and new:
            o, n = statistics.median(old.times[1:] or old.times), statistics.median(new.times[1:] or new.times)
            print(f"old one-shot / new renderer: {o / n:.2f}x per PDF after the first, {sum(old.times) / sum(new.times):.2f}x for the batch of {args.n}")


if __name__ == "__main__":
    main()
