"""A synthetic province: N county plans × 4 quarters through ``hz run``, time and memory.

Run by hand: ``.venv/bin/python benchmarks/province.py [COUNTIES ...] [--jobs N ...] [--formats html,xlsx]``
(default: 10 50 100 counties, jobs 1 and 2, HTML + Excel). Each county is the 镇巴 2024 plan
under its own id, with its own sample data (the sample generator, its own seed, data for the
whole year), in a temporary copy of the project. For each size and ``--jobs`` it runs
``hz run --all --quarter Q`` for Q1..Q4 into a fresh output folder, in a fresh process,
and prints wall time, per report, and the peak memory of the run (parent and children).
Results go in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = "zhenba-2024"


def make_province(project: Path, counties: int) -> list[str]:
    """Copy the project (code, notebooks, params) to ``project`` and add ``counties`` county plans with data."""
    for name in ("hzlib", "hzsample", "notebooks"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    (project / "params").mkdir()
    for name in ("samples", "scoring", "scenarios"):
        (project / "params" / name).mkdir()
    (project / "params" / "plans").mkdir()
    (project / "data").mkdir()
    plan_text = (ROOT / "params" / "plans" / f"{TEMPLATE}.yaml").read_text(encoding="utf-8")
    spec_text = (ROOT / "params" / "samples" / f"{TEMPLATE}.yaml").read_text(encoding="utf-8")
    ids = []
    for i in range(1, counties + 1):
        pid = f"county{i:03d}-2024"
        ids.append(pid)
        (project / "params" / "plans" / f"{pid}.yaml").write_text(re.sub(r"^id: .*$", f"id: {pid}", plan_text, count=1, flags=re.M), encoding="utf-8")
        spec = re.sub(r"^plan_id: .*$", f"plan_id: {pid}", spec_text, count=1, flags=re.M)
        spec = re.sub(r"^seed: .*$", f"seed: {20240000 + i}", spec, count=1, flags=re.M)
        spec = re.sub(r"^data_through: .*$", 'data_through: "2024-12"', spec, count=1, flags=re.M)
        (project / "params" / "samples" / f"{pid}.yaml").write_text(spec, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(project))
    code = "import sys; from hzsample import write_sample; [write_sample(p) for p in sys.argv[1:]]"
    subprocess.run([sys.executable, "-c", code, *ids], check=True, env=env, cwd=project)
    return ids


def run(project: Path, out: Path, quarter: str, jobs: int, formats: str) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB, the largest process of the run) of one ``hz run --all``."""
    env = dict(os.environ, PYTHONPATH=str(project))
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "hzlib.cli", "run", "--all", "--quarter", quarter, "--out", str(out), "--jobs", str(jobs), "--formats", formats],
        check=True,
        env=env,
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("counties", nargs="*", type=int, default=[10, 50, 100])
    ap.add_argument("--jobs", nargs="*", type=int, default=[1, 2])
    ap.add_argument("--formats", default="html,xlsx")
    a = ap.parse_args()
    print(f"{'counties':>8} {'jobs':>4} {'reports':>7} {'wall':>9} {'per report':>11} {'peak RSS':>9}")
    for n in a.counties:
        with tempfile.TemporaryDirectory() as tmp:
            project = Path(tmp) / "project"
            make_province(project, n)
            for jobs in a.jobs:
                total, peak = 0.0, 0.0
                out = Path(tmp) / f"reports-{jobs}"
                for q in ("2024Q1", "2024Q2", "2024Q3", "2024Q4"):
                    wall, rss = run(project, out, q, jobs, a.formats)
                    total += wall
                    peak = max(peak, rss)
                reports = 4 * n
                print(f"{n:>8} {jobs:>4} {reports:>7} {total:>8.1f}s {total / reports:>10.2f}s {peak:>7.0f} MiB", flush=True)


if __name__ == "__main__":
    main()
