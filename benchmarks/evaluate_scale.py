"""Build the report model for a 10k, 100k and 1M-project ledger with 12 months of progress.

Run by hand: ``.venv/bin/python benchmarks/evaluate_scale.py [N ...]``. Each size runs in a
fresh child process (so peak memory is that size's own), against the 镇巴 2024 plan at 2024Q4,
and is compared in the same run with the plain-pandas floor: reading the same frames'
per-unit sums with one ``groupby`` (what any evaluation must at least do). Each size is built
twice: as generated, and with the source columns every file's rows carry once read
(:mod:`hzlib.ingest.provenance`: file, sheet, row), so the cost of provenance is measured in the
same run. Results go in docs/benchmarks.md with the machine.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time


def _one(n: int, provenance: bool) -> dict[str, float]:
    import pandas as pd

    from hzlib.evaluate import EvaluationData
    from hzlib.ingest.provenance import SRC_FILE, SRC_ROW, SRC_SHEET
    from hzlib.plan import load_plan
    from hzlib.report import build_report
    from hzsample import generate_ledger

    ledger, progress = generate_ledger(n, 2024, 7, months=12)
    if provenance:  # as load_data leaves them: every row with its file, sheet and row as Excel shows it
        for frame, name in ((ledger, "ledger.csv"), (progress, "progress.csv")):
            frame[SRC_FILE] = name
            frame[SRC_SHEET] = None
            frame[SRC_ROW] = range(2, len(frame) + 2)
    plan = load_plan("zhenba-2024")
    t0 = time.perf_counter()
    last = progress[progress["month"] == "2024-12"].set_index("project_id")["completed_cum"]
    floor = ledger.assign(done=ledger["project_id"].map(last)).groupby("unit")[["annual_plan", "done"]].sum()
    t1 = time.perf_counter()
    m = build_report(plan, EvaluationData(ledger=ledger, progress=progress), "2024Q4")
    t2 = time.perf_counter()
    assert len(m.targets) == len(plan.targets) and len(floor) == len(m.units)
    _ = pd
    return {
        "projects": n,
        "provenance": provenance,
        "progress_rows": len(progress),
        "floor_s": t1 - t0,
        "model_s": t2 - t1,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main(sizes: list[int]) -> None:
    print(f"{'projects':>10} {'provenance':>10} {'progress rows':>14} {'groupby floor':>14} {'report model':>13} {'ratio':>7} {'peak RSS':>10}")
    for n in sizes:
        for provenance in (False, True):
            out = subprocess.run([sys.executable, __file__, "--one", str(n), str(int(provenance))], capture_output=True, text=True, check=True)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            print(
                f"{r['projects']:>10,} {'yes' if r['provenance'] else 'no':>10} {r['progress_rows']:>14,} {r['floor_s']:>13.2f}s "
                f"{r['model_s']:>12.2f}s {r['model_s'] / r['floor_s']:>6.1f}x {r['peak_rss_mib']:>8.0f} MiB"
            )


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--one":
        print(json.dumps(_one(int(sys.argv[2]), sys.argv[3] == "1")))
    else:
        main([int(a) for a in sys.argv[1:]] or [10_000, 100_000, 1_000_000])
