"""Read a 100k-row GBK csv ledger with ``hzlib.ingest.read_ledger``; print the time and rows/s.

Run by hand: ``.venv/bin/python benchmarks/read_csv_100k.py [N]``. Results go in docs/benchmarks.md.
The same file is also read with plain ``pandas.read_csv`` (no validation) in the same run,
so the cost of validation is a ratio, not an absolute number that depends on the machine.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from hzlib.ingest import read_ledger


def ledger_frame(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "项目编号": [f"P{i:06d}" for i in range(n)],
            "项目名称": [f"项目{i}" for i in range(n)],
            "责任单位": rng.choice(["汉台区", "南郑区", "城固县"], n),
            "项目级别": rng.choice(["市级", "省级", "县级"], n),
            "投资主体": rng.choice(["民间", "国有", "政府"], n),
            "项目类别": rng.choice(["新开工", "续建", "竣工"], n),
            "是否新开工": rng.choice(["是", "否"], n),
            "总投资（万元）": rng.integers(1000, 100000, n),
            "年度计划投资（万元）": rng.integers(100, 1000, n),
            "计划开工时间": [f"2024年{m}月{d}日" for m, d in zip(rng.integers(1, 12, n), rng.integers(1, 28, n))],
            "计划竣工时间": "2026-12-31",
            "利税率（%）": rng.choice(["12%", "8.5", "10"], n),
        }
    )


def main(n: int = 100_000, repeat: int = 3) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "ledger.csv"
        ledger_frame(n).to_csv(path, index=False, encoding="gbk")
        plain, ours = [], []
        for _ in range(repeat):
            t0 = time.perf_counter()
            pd.read_csv(path, encoding="gbk", dtype=str)
            plain.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            r = read_ledger(path)
            ours.append(time.perf_counter() - t0)
            assert r.ok and len(r.frame) == n
    p, o = statistics.median(plain), statistics.median(ours)
    print(f"{n} rows, median of {repeat}: pandas.read_csv {p:.2f} s, read_ledger {o:.2f} s ({o / p:.1f}x, {n / o:,.0f} rows/s)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
