"""The whole job, side by side in one run: the plain tools' loop against ``hz run --all``.

Run by hand: ``.venv/bin/python benchmarks/run_all.py [PAIRS]`` (default 3 paired runs).
For every bundled plan at its latest quarter, with every notebook ``hz run`` renders:

- **plain loop**: ``papermill`` per notebook, ``jupyter nbconvert --to html --no-input``
  per executed notebook, then headless Chromium ``--print-to-pdf`` for the bulletin —
  each a fresh process, one after the other (what a statistician would script);
- **hz run --all --force** from cold (a fresh process and a fresh output folder): the
  report model computed once per report, one warm kernel and PDF engine per worker,
  ``--jobs`` = cores;
- then, in the same run: ``hz run --all`` again with nothing changed (every report is
  reused), and with one data file changed (only that plan's report is rendered).

Prints each pair, the medians and the ratio; results go in docs/benchmarks.md with the machine.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _quarters() -> dict[str, str]:
    from hzlib.data import load_data
    from hzlib.evaluate.coverage import data_coverage
    from hzlib.plan import list_plan_ids, load_plan

    out = {}
    for pid in list_plan_ids():
        plan = load_plan(pid)
        q = data_coverage(load_data(pid, year=plan.year, plan=plan).data, plan.year).latest_quarter()
        assert q is not None
        out[pid] = q.label()
    return out


def _run(cmd: list[str], cwd: Path | None = None) -> None:
    subprocess.run(cmd, check=True, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def plain_loop(quarters: dict[str, str], notebooks: list[str], work: Path) -> float:
    from hzlib.render.pdf import find_chromium

    chromium = find_chromium()
    assert chromium, "the plain loop prints with Chromium"
    t0 = time.perf_counter()
    for plan, q in quarters.items():
        out = work / plan
        out.mkdir(parents=True)
        for nb in notebooks:
            executed = out / nb
            _run(
                [str(BIN / "papermill"), str(ROOT / "notebooks" / nb), str(executed), "-p", "plan", plan, "-p", "quarter", q, "--cwd", str(ROOT / "notebooks")]
            )
            _run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)])
        with tempfile.TemporaryDirectory() as profile:
            _run(
                [
                    chromium,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-first-run",
                    "--disable-background-networking",
                    f"--user-data-dir={profile}",
                    "--no-pdf-header-footer",
                    f"--print-to-pdf={out / 'bulletin.pdf'}",
                    (out / "quarterly_report.html").as_uri(),
                ]
            )
    return time.perf_counter() - t0


def hz_run(out: Path, *extra: str) -> float:
    t0 = time.perf_counter()
    _run([str(BIN / "hz"), "run", "--all", "--out", str(out), *extra], cwd=ROOT)
    return time.perf_counter() - t0


def main(pairs: int = 3) -> None:
    from hzlib.run import NOTEBOOKS

    quarters = _quarters()
    notebooks = list(NOTEBOOKS)
    print(f"{len(quarters)} plans × {len(notebooks)} notebooks, HTML + PDF (+ Excel for hz run); {pairs} paired runs")
    plain, ours = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(pairs):
            work = Path(tmp) / f"plain{i}"
            plain.append(plain_loop(quarters, notebooks, work))
            shutil.rmtree(work)
            out = Path(tmp) / f"hz{i}"
            ours.append(hz_run(out, "--force"))
            print(f"pair {i + 1}: plain loop {plain[-1]:.1f} s, hz run --all {ours[-1]:.1f} s ({plain[-1] / ours[-1]:.1f}x)", flush=True)
        unchanged = hz_run(out)
        data = ROOT / "data" / "zhenba-2024" / "tasks.csv"
        saved = data.read_bytes()
        try:
            data.write_bytes(saved + b"\n")  # a changed file: one more (blank) line
            one = hz_run(out)
        finally:
            data.write_bytes(saved)
    p, o = statistics.median(plain), statistics.median(ours)
    print(f"median: plain loop {p:.1f} s, hz run --all {o:.1f} s: {p / o:.1f}x faster")
    print(f"rerun with nothing changed: {unchanged:.2f} s; one data file changed (zhenba-2024 tasks.csv): {one:.1f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
