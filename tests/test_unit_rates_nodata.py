"""A rate the ledger cannot give is 无数据 with the reason, never 0% (whole plan and per unit).

A ledger without any procedure date column (规划/土地/环评/能评手续办结时间) used to show
前期手续办结率 0% for every unit, and rank units on it; the plan's procedure targets were
already 无数据. Now the units table, the totals and the ranking say 无数据 and why.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pandas as pd
import pytest

from hzlib.evaluate.measures import NO_PROCEDURES
from hzlib.evaluate.projects import project_status, rate_gaps, totals, unit_rates
from hzlib.report import ReportModel, load_report
from hzlib.report.views import units_view

ROOT = Path(__file__).resolve().parents[1]
PROC_HEADERS = ("规划手续办结时间", "土地手续办结时间", "环评手续办结时间", "能评手续办结时间")


def _ledger(proc_land: list[str | None] | None, signed: bool = False) -> pd.DataFrame:
    """Four planned new starts in two units; procedure dates only when ``proc_land`` is given."""
    df = pd.DataFrame(
        {
            "project_id": ["a", "b", "c", "d"],
            "unit": ["甲县", "甲县", "乙县", "乙县"],
            "level": ["county"] * 4,
            "batch": ["start"] * 4,
            "is_new_start": [True] * 4,
            "annual_plan": [100.0] * 4,
            "total_investment": [500.0] * 4,
            "planned_completion": pd.to_datetime(["2024-12-01"] * 4),
            "actual_start": pd.to_datetime(["2024-03-01", None, "2024-05-01", "2024-06-01"]),
        }
    )
    for c in ("proc_planning", "proc_land", "proc_eia", "proc_energy"):
        df[c] = pd.to_datetime(proc_land if proc_land is not None else [None] * 4)
    if signed:
        df["is_signed"] = [True, True, False, False]
        df["land_approved"] = pd.Series([None] * 4, dtype="boolean")
    return df


def test_procedure_rate_per_unit_is_computed_when_the_ledger_has_dates() -> None:
    st = project_status(_ledger(["2024-02-01", None, "2024-06-30", "2024-07-15"]), pd.DataFrame(), "2024Q2")
    r = unit_rates(st, "2024Q2")
    # 甲县: a done, b not → 1/2; 乙县: c done by 30 June, d after → 1/2
    assert r.loc["甲县", "procedure_rate"] == 0.5 and r.loc["乙县", "procedure_rate"] == 0.5
    assert "procedure_rate" not in rate_gaps(st) and not r["no_data"].str.contains("前期手续办结率").any()


def test_without_procedure_dates_the_rate_is_no_data_with_the_reason_not_zero() -> None:
    st = project_status(_ledger(None), pd.DataFrame(), "2024Q2")
    assert st["procedures_done"].isna().all()
    r = unit_rates(st, "2024Q2")
    assert r["procedure_rate"].isna().all()  # was 0.0 for both units
    assert r.loc["甲县", "start_rate"] == 0.5 and r.loc["乙县", "start_rate"] == 1.0  # the others as before
    assert f"前期手续办结率：{NO_PROCEDURES}" in r.loc["甲县", "no_data"].split("；")
    t = totals(st, "2024Q2")
    assert pd.isna(t["procedure_rate"]) and t["start_rate"] == 0.75


def test_a_rate_whose_needed_column_is_empty_is_no_data() -> None:
    """招商引资落地率 needs 是否获批建设用地 (the registry's ``needs``): signed projects without it are not 0% landed."""
    st = project_status(_ledger(["2024-02-01"] * 4, signed=True), pd.DataFrame(), "2024Q2")
    r = unit_rates(st, "2024Q2")
    assert pd.isna(r.loc["甲县", "landing_rate"])
    assert "招商引资落地率：台账没有“是否获批建设用地”列（或该列全为空）" in r.loc["甲县", "no_data"]


@pytest.fixture(scope="module")
def no_procedure_report(tmp_path_factory: pytest.TempPathFactory) -> ReportModel:
    """镇巴县 2024 with the bundled ledger minus its four procedure date columns."""
    base = tmp_path_factory.mktemp("noproc")
    folder = base / "zhenba-2024"
    shutil.copytree(ROOT / "data" / "zhenba-2024", folder)
    path = folder / "ledger.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    keep = [i for i, h in enumerate(rows[0]) if h not in PROC_HEADERS]
    assert len(keep) == len(rows[0]) - 4
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([[r[i] for i in keep] for r in rows])
    path.write_text(out.getvalue(), encoding="utf-8")
    return load_report("zhenba-2024", "2024Q2", base)


def test_bundled_plan_without_procedure_columns(no_procedure_report: ReportModel) -> None:
    m = no_procedure_report
    # the plan's procedure targets: 无数据 with the reason (the whole-plan figure)
    for tid in ("county_new_start_procedure_rate", "city_new_start_procedure_rate"):
        row = m.target(tid)
        assert pd.isna(row["actual"]) and row["status"] == "no_data" and row["note"] == NO_PROCEDURES
    assert pd.isna(m.evaluation.totals["procedure_rate"])
    # per unit: 无数据, with the reason, in the model and on the page
    u = m.units
    assert len(u) > 3 and u["procedure_rate"].isna().all() and u["start_rate"].notna().any()
    assert (u["no_data"] == f"前期手续办结率：{NO_PROCEDURES}").all()
    view = units_view(m)
    assert (view.frame["手续办结率"] == "无数据").all()
    assert NO_PROCEDURES in view.data
    # the units' order (镇巴 has no ranking scheme) uses the rates there are, and says why the other is left out
    assert m.ranking["procedure_rate"].isna().all()
    assert f"（前期手续办结率无数据：{NO_PROCEDURES}）" in m.ranking_basis
    assert "同类单位按计划投资完成率、开工率由高到低排列" in m.ranking_basis
    assert not any("前期手续办结率" in n for n in m.ranking["note"])


def test_without_progress_completed_investment_is_unknown_not_zero() -> None:
    st = project_status(_ledger(["2024-02-01"] * 4), pd.DataFrame(columns=["project_id", "month", "completed_cum"]), "2024Q2")
    assert st["completed_cum"].isna().all() and st["completion_ratio"].isna().all()
    r = unit_rates(st, "2024Q2")
    assert r["invest_completion"].isna().all() and r["completed_cum"].isna().all()  # was 0.0 and 0%
    assert "计划投资完成率：没有本年截至期末的月度进度（累计完成投资）数据" in r.loc["乙县", "no_data"].split("；")
    # with progress for one project, the other has completed 0 (the progress table says so)
    prog = pd.DataFrame({"project_id": ["a"], "month": ["2024-06"], "completed_cum": [40.0]})
    r = unit_rates(project_status(_ledger(["2024-02-01"] * 4), prog, "2024Q2"), "2024Q2")
    assert r.loc["甲县", "invest_completion"] == pytest.approx(0.2) and r.loc["乙县", "invest_completion"] == 0.0


def test_bundled_plan_without_progress(tmp_path: Path) -> None:
    folder = tmp_path / "zhenba-2024"
    shutil.copytree(ROOT / "data" / "zhenba-2024", folder)
    (folder / "progress.csv").unlink()
    m = load_report("zhenba-2024", "2024Q2", tmp_path)
    u = m.units
    assert len(u) > 3 and u["invest_completion"].isna().all() and (u["invest_status"] == "no_data").all()
    assert u["start_rate"].notna().any() and u["procedure_rate"].notna().any()
    assert "（计划投资完成率无数据：没有本年截至期末的月度进度（累计完成投资）数据）" in m.ranking_basis
    assert (units_view(m).frame["完成率"] == "无数据").all()
    assert not any("个重点项目完成投资" in s for s in m.sentences)  # no "0亿元, 0%" sentence
    completion = m.targets[m.targets["indicator"] == "invest_completion"]
    assert len(completion) and (completion["status"] == "no_data").all()
