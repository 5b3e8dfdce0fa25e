"""Evaluate a 100k-project ledger with 12 months of progress; print time and peak memory.

Run by hand: ``.venv/bin/python benchmarks/evaluate_100k.py``. Results go in docs/benchmarks.md.
"""

from __future__ import annotations

import resource
import time

from hzlib.evaluate import EvaluationData, evaluate
from hzlib.evaluate import projects as pj
from hzlib.evaluate.classify import classify_projects
from hzlib.plan import load_plan
from hzsample import generate_ledger


def main() -> None:
    ledger, progress = generate_ledger(100_000, 2024, 7, months=12)
    plan = load_plan("zhenba-2024")
    t0 = time.perf_counter()
    ev = evaluate(plan, "2024Q4", EvaluationData(ledger=ledger, progress=progress))
    t1 = time.perf_counter()
    ranked = pj.not_started(ev.status), pj.behind_schedule(ev.status, 2.0)
    t2 = time.perf_counter()
    rule = load_plan("hanzhong-2022").project_list
    assert rule is not None
    classes = classify_projects(ledger, rule, 2024)
    t3 = time.perf_counter()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"projects={len(ledger):,} progress_rows={len(progress):,} units={len(ev.units)}")
    print(
        f"evaluate: {t1 - t0:.2f} s; action lists: {t2 - t1:.2f} s; "
        f"project-list classes (汉中 2022 rule): {t3 - t2:.2f} s for {len(classes):,} projects; peak RSS {rss:.0f} MiB"
    )
    _ = ranked


if __name__ == "__main__":
    main()
