"""One truth: every bundled plan at every quarter with data, each figure the same everywhere it is shown.

The target table, the 偏离度 table, the statistics table, the units table, the charts'
data, the summary sentences and the Excel workbook are all read from one report model;
this test renders them and checks, figure by figure, that no two places disagree.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from hzlib.evaluate.coverage import data_coverage
from hzlib.plan import list_plan_ids
from hzlib.report import figures, load_inputs, load_report, views
from hzlib.report.model import ReportModel
from hzlib.report.tables import excel_tables
from hzlib.textfmt import fmt_number


def _cases() -> list[tuple[str, str]]:
    out = []
    for plan_id in list_plan_ids():
        inputs = load_inputs(plan_id)
        latest = data_coverage(inputs.loaded.data, inputs.plan.year).latest_quarter()
        assert latest is not None, plan_id
        out += [(plan_id, f"{inputs.plan.year}Q{q}") for q in range(1, latest.quarter + 1)]
    return out


CASES = _cases()


@pytest.fixture(scope="module")
def models() -> dict[tuple[str, str], ReportModel]:
    return {(p, q): load_report(p, q) for p, q in CASES}


def _num(x: object) -> float | None:
    return None if x is None or pd.isna(x) else float(x)  # type: ignore[arg-type]


@pytest.mark.parametrize(("plan", "quarter"), CASES)
def test_every_place_shows_the_same_figure(plan: str, quarter: str, models: dict[tuple[str, str], ReportModel], tmp_path: Path) -> None:
    m = models[(plan, quarter)]
    t = m.targets.set_index("target_id")

    # the target table (what the page shows) against the model, target by target
    shown = pd.concat([views.targets_view(m, "judged").frame, views.targets_view(m, "other").frame])
    assert len(shown) == len(t)
    by_label = {}
    for _tid, row in t.iterrows():
        label = row["label"] + ("（力争）" if row["aspiration"] else "")
        by_label.setdefault(label, []).append(row)
    for r in shown.itertuples():
        rows = by_label[r.目标]
        assert any(r.状态 == x["status_zh"] and r.实际.startswith(views.fmt_value(x["actual"], x["unit"])) for x in rows), r.目标

    # the 偏离度 table quotes each named target's figure and status as the target table has them
    for d in m.deviations.itertuples():
        for tid in filter(None, d.targets.split(",")):
            row = t.loc[tid]
            assert f"（{row['status_zh']}）" in d.detail
            if not pd.isna(row["actual"]):
                digits = 1 if row["unit"] == "%" else 2
                assert f"{row['label']} {fmt_number(row['actual'], digits)}{row['unit']}" in d.detail

    # statistics: a growth target's figure and status equal the statistics table's
    for r in m.indicators[m.indicators["target_id"] != ""].itertuples():
        row = t.loc[r.target_id]
        assert _num(r.latest) == pytest.approx(_num(row["actual"]), nan_ok=True)
        assert r.status == row["status"]
    for chart in figures.growth_charts(m):
        tr = m.indicators[(m.indicators["jurisdiction"] == m.plan.jurisdiction) & (m.indicators["indicator_zh"] == chart.title)].iloc[0]
        drawn = [_num(v) for v in chart.data["growth"]]
        assert drawn == [_num(v) for v in (tr.q1, tr.q2, tr.q3, tr.q4)]

    # units: the table, the charts' bars and colours, and the Excel sheet
    if not m.units.empty:
        u = m.units
        uv = views.units_view(m).frame.set_index("责任单位")
        comp = figures.completion_chart(m)
        assert comp is not None
        for c in comp.data.itertuples():
            assert c.rate == pytest.approx(float(u.loc[c.unit, "invest_completion"]) * 100)
            assert c.status == u.loc[c.unit, "invest_status"]
            assert uv.loc[c.unit, "完成率"] == views.fmt_value(c.rate, "%", 1)
        start = figures.start_rate_chart(m)
        if start is not None:
            for c in start.data.itertuples():
                assert c.status == u.loc[c.unit, "start_status"]

    # sentences: the summary counts, the completion and new-start figures
    s0 = [int(x) for x in re.findall(r"(\d+) 项", m.sentences[0])]
    summ = m.summary
    assert s0 == [len(t), summ["met"] + summ["near"] + summ["missed"], summ["met"], summ["near"], summ["missed"], summ["pending"], summ["no_data"]]
    comp_fig = m.extra.get("completion")
    if comp_fig is not None:
        assert isinstance(comp_fig, dict)
        tot = m.evaluation.totals
        assert comp_fig["completed_wan"] == pytest.approx(float(tot["completed_cum"]))
        # a target on all key projects' completed investment shows the same amount as the sentence
        for tid, row in t.iterrows():
            tgt = m.plan.target(str(tid))
            all_keys = tgt.scope.projects is None and tgt.scope.batch is None and tgt.scope.level.value in ("all", m.evaluation.status["level"].min())
            if row["basis"] == "ledger" and tgt.indicator == "invest_completion" and all_keys and not pd.isna(row["actual"]):
                if len(m.evaluation.status) == int(tot["projects"]):
                    assert row["actual"] == pytest.approx(comp_fig["rate"])

    # Excel: the workbook's targets sheet holds the model's numbers
    from hzlib.render.excel import write_tables_xlsx

    path = write_tables_xlsx(excel_tables(m), tmp_path / "b.xlsx")
    sheet = pd.read_excel(path, sheet_name="目标完成情况")
    for r in sheet.itertuples():
        row = t.loc[r.目标编号]
        assert _num(r.实际) == pytest.approx(_num(row["actual"]), nan_ok=True)
        assert r.状态 == row["status_zh"]


@pytest.mark.parametrize(("plan", "quarter"), CASES)
def test_sentences_and_tables_write_a_figure_alike(plan: str, quarter: str, models: dict[tuple[str, str], ReportModel]) -> None:
    # the growth still needed is written with the digits of the target table, and no figure
    # that rounds to zero carries a sign ("+0个百分点", "-0%" are binary noise shown)
    m = models[(plan, quarter)]
    table = views.targets_view(m).frame.astype(str).to_numpy().ravel().tolist()
    shown = "\n".join([*m.sentences, *table])
    for needed in re.findall(r"其余季度需增长(-?[\d.,]+)%", "\n".join(m.sentences)):
        assert any(f"其余季度需增长{needed}%" in cell for cell in table), (needed, plan, quarter)
    assert not re.search(r"[+-]0(个百分点|%|亿元|万元|个)", shown), shown


def test_a_growth_equal_to_its_target_is_level_with_it() -> None:
    # 14.5% read from a file is 0.145, and 0.145 * 100 is 14.499999999999998 in binary floating
    # point: the crossing rounds it back, and the sentence says 持平于 (not 低于 … 0个百分点)
    from hzlib.plan import load_plan
    from hzlib.report.model import _growth_sentence
    from hzlib.units import from_percent, to_percent

    plan = load_plan("xian-port-2023")
    actual = to_percent(from_percent(14.5))
    assert actual == 14.5
    trends = pd.DataFrame({"jurisdiction": [plan.jurisdiction], "indicator": ["fai"], "latest": [actual], "target_id": ["t"]})
    targets = pd.DataFrame({"target_id": ["t"], "actual": [actual], "checkpoint": [14.5], "required_growth": [float("nan")]})
    sentence = _growth_sentence(trends, targets, plan)
    assert sentence is not None and "持平于年度目标（14.5%）" in sentence and "个百分点" not in sentence
