"""One sheet with progress in it evaluates exactly like the same data as ledger + progress files.

A generated ledger (``hzsample.generate_ledger``) is written twice: as the strict contract
files (ledger.csv + progress.csv for June), and as one office sheet (title "（1-6月）",
单位 line, 序号, no 项目编号, a 合计 row, "1-6月完成投资" and "占年度计划(%)" columns).
Both are read and evaluated (``hzlib.report.build_report``) against a bundled plan of the
same year; every target must come out the same.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import openpyxl
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hzlib.contracts import LEDGER_COLUMNS, PROGRESS_COLUMNS
from hzlib.evaluate.engine import EvaluationData
from hzlib.ingest import read_ledger, read_progress
from hzlib.ingest.importer import contract_csv
from hzlib.plan import load_plan
from hzlib.report import build_report
from hzsample import generate_ledger

PLAN = load_plan("ankang-2019")


def _sheet(ledger: pd.DataFrame, june: pd.DataFrame, path: Path) -> None:
    """The ledger as an office writes it: strings as in the contract files, numbers as numbers."""
    text = pd.read_csv(io.StringIO(contract_csv(ledger, LEDGER_COLUMNS)), dtype=str, keep_default_na=False)
    text = text.drop(columns=["项目编号"])
    done = ledger["project_id"].map(june.set_index("project_id")["completed_cum"]).astype(float)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "1-6月"
    ws.append([f"{PLAN.year}年示意市重点建设项目进度表（1-6月）"])
    ws.append(["填报单位：示意市发改委", None, None, "单位：万元"])
    ws.append(["序号", *text.columns, "1-6月完成投资", "占年度计划(%)"])
    ws.append(["合计", *[None] * len(text.columns), float(done.sum()), None])
    money = {"总投资（万元）", "年度计划投资（万元）", "外资总投资（万美元）"}
    for i, (row, value, plan) in enumerate(zip(text.itertuples(index=False), done, ledger["annual_plan"]), 1):
        cells = [float(v) if h in money and v != "" else (v or None) for h, v in zip(text.columns, row)]
        pct = round(value / plan * 100, 1) if plan > 0 else None
        ws.append([i, *cells, value, pct])
    wb.save(path)


def _targets(data: EvaluationData) -> pd.DataFrame:
    return build_report(PLAN, data, f"{PLAN.year}Q2").targets.set_index("target_id")


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 100_000), n=st.integers(15, 120))
def test_one_sheet_evaluates_like_ledger_and_progress_files(tmp_path: Path, seed: int, n: int) -> None:
    ledger, progress = generate_ledger(n, PLAN.year, seed, months=6)
    june = progress[progress["month"] == f"{PLAN.year}-06"]
    folder = tmp_path / f"{seed}-{n}"
    folder.mkdir()
    (folder / "ledger.csv").write_text(contract_csv(ledger, LEDGER_COLUMNS), encoding="utf-8")
    (folder / "progress.csv").write_text(contract_csv(june, PROGRESS_COLUMNS), encoding="utf-8")
    _sheet(ledger, june, folder / "sheet.xlsx")

    files = read_ledger(folder / "ledger.csv", year=PLAN.year)
    files_progress = read_progress(folder / "progress.csv", year=PLAN.year, ledger=files)
    sheet = read_ledger(folder / "sheet.xlsx", year=PLAN.year)
    assert files.ok and files_progress.ok and sheet.ok, sheet.errors
    assert sheet.progress is not None and len(sheet.progress.frame) == len(files_progress.frame)
    assert [e.reason.split("（")[0] for e in sheet.excluded] == ["合计行"]
    assert not [p for p in sheet.problems if "占年度计划" in str(p)]  # recomputed: agrees within rounding

    a = _targets(EvaluationData(ledger=files.frame, progress=files_progress.frame))
    b = _targets(EvaluationData(ledger=sheet.frame, progress=sheet.progress.frame))
    assert list(a.index) == list(b.index)
    for tid in a.index:
        assert a.loc[tid, "status"] == b.loc[tid, "status"], tid
        x, y = a.loc[tid, "actual"], b.loc[tid, "actual"]
        assert (pd.isna(x) and pd.isna(y)) or math.isclose(float(x), float(y), rel_tol=1e-9, abs_tol=1e-9), (tid, x, y)
        assert a.loc[tid, "basis_zh"] == b.loc[tid, "basis_zh"], tid


def test_the_property_sees_ledger_targets() -> None:
    """The plan used above has targets measured on the ledger and its progress (else the property says little)."""
    ledger, progress = generate_ledger(40, PLAN.year, 1, months=6)
    t = _targets(EvaluationData(ledger=ledger, progress=progress[progress["month"] == f"{PLAN.year}-06"]))
    assert (t["basis"] == "ledger").sum() >= 3 and t.loc[t["basis"] == "ledger", "actual"].notna().sum() >= 3
