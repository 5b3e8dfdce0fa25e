"""Read a 100k-project ledger from .xlsx with ``hzlib.ingest.read_ledger``; print time and peak memory.

Run by hand: ``.venv/bin/python benchmarks/read_xlsx_100k.py [N]``. Results go in docs/benchmarks.md.

The workbook is written the way Excel users keep a ledger: Chinese headers, money
as numbers, dates as date cells, everything else as text (written with openpyxl
in write-only mode, in a child process, into a temporary folder removed
afterwards). Timed: ``read_raw`` alone (the cells) and ``read_ledger`` (read,
find the header, parse and validate); peak RSS is this process, which only reads.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from hzlib.contracts import LEDGER_COLUMNS
from hzlib.ingest import read_ledger
from hzlib.ingest.read import read_raw
from hzsample import generate_ledger, to_file_frame


def _xlsx_values(ledger: pd.DataFrame) -> tuple[list[str], list[list[object]]]:
    """Header and rows: numbers for money columns, dates for date columns, text otherwise."""
    columns = [c for c in LEDGER_COLUMNS if c.id in ledger.columns]
    text = to_file_frame(ledger, columns)
    cols: list[np.ndarray] = []
    for c in columns:
        s = ledger[c.id]
        if c.kind in ("money", "usd"):
            v = s.to_numpy(dtype=float)
            cols.append(np.array([None if x != x else float(x) for x in v], dtype=object))
        elif c.kind == "date":
            cols.append(np.array([None if pd.isna(x) else pd.Timestamp(x).to_pydatetime() for x in s], dtype=object))
        else:
            t = text[c.zh].to_numpy(dtype=object)
            cols.append(np.array([x if x != "" else None for x in t], dtype=object))
    rows = [list(r) for r in zip(*cols)]
    return [c.zh for c in columns], rows


def write_xlsx(path: Path, ledger: pd.DataFrame) -> None:
    import openpyxl

    head, rows = _xlsx_values(ledger)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    ws.append(head)
    for r in rows:
        ws.append(r)
    wb.save(path)


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(n: int = 100_000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ledger_100k.xlsx"
        # generate and write in a child process, so peak RSS here is the read only
        t0 = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--write", str(path), str(n)], check=True)
        t1 = time.perf_counter()
        size = path.stat().st_size
        rss0 = _peak_rss_mib()
        t2 = time.perf_counter()
        shape = read_raw(path).cells.shape
        t3 = time.perf_counter()
        r = read_ledger(path, year=2024)
        t4 = time.perf_counter()
    assert isinstance(r.frame, pd.DataFrame)
    print(
        f"projects={n:,} rows read={len(r.frame):,} columns={r.frame.shape[1]} errors={len(r.errors)} "
        f"warnings={len(r.warnings)}; xlsx {size / 2**20:.1f} MiB (generated and written in {t1 - t0:.1f} s)"
    )
    print(f"read_raw (cells only): {t3 - t2:.2f} s, {shape[0]:,} x {shape[1]} cells")
    print(f"read_ledger (read + validate): {t4 - t3:.2f} s; peak RSS {_peak_rss_mib():.0f} MiB (after imports {rss0:.0f} MiB)")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--write":
        out, count = Path(sys.argv[2]), int(sys.argv[3])
        write_xlsx(out, generate_ledger(count, 2024, seed=7, months=12)[0])
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
