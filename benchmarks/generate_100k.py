"""Benchmark: a 100k-project ledger plus 12 months of progress (1.2M rows).

Run with the project's interpreter: ``python benchmarks/generate_100k.py [N]``.
Prints wall time and peak memory (tracemalloc peak of Python allocations,
and the process's maximum resident set size).
"""

from __future__ import annotations

import resource
import sys
import time
import tracemalloc

from hzsample import generate_ledger


def main(n: int = 100_000) -> None:
    tracemalloc.start()
    t0 = time.perf_counter()
    ledger, progress = generate_ledger(n, 2024, seed=42, months=12)
    elapsed = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"projects: {len(ledger):,}  progress rows: {len(progress):,}")
    print(f"time: {elapsed:.2f} s")
    print(f"peak traced memory: {peak / 2**20:.1f} MiB  max RSS: {rss_kb / 1024:.1f} MiB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
