"""The monthly bulletin (月通报): key projects at a month's end, figures worked by hand."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from hzlib.cli import main
from hzlib.errors import CoverageError
from hzlib.periods import Period
from hzlib.report import load_report
from hzlib.report.monthly import behind_by_unit, bulletin_kind, check_month, is_month_request, months_zh, openings_rows, progress_rows
from hzlib.run import period_label, write_index

ROOT = Path(__file__).resolve().parents[1]
MAY = Period.parse("2024-05")


@pytest.fixture(scope="module")
def may() -> object:
    return load_report("zhenba-2024", "2024-05")


def test_time_progress_of_may_is_five_twelfths() -> None:
    assert MAY.progress.numerator == 5 and MAY.progress.denominator == 12
    assert round(float(MAY.progress) * 100, 2) == 41.67


def test_completion_against_the_annual_plan_worked_by_hand() -> None:
    # two key projects: 300 of 600 and 50 of 400 万元 → 350 / 1000 = 35%; 35 − 41.67 = −6.67 points
    st = pd.DataFrame(
        {"project_id": ["a", "b"], "unit": ["甲镇", "乙镇"], "level": ["city", "county"], "annual_plan": [600.0, 400.0], "completed_cum": [300.0, 50.0]}
    )
    p = progress_rows(st, MAY)
    assert p["scope"].tolist() == ["全部重点项目", "其中：市级", "其中：县级"]
    assert p["completion"].tolist() == pytest.approx([0.35, 0.5, 0.125])
    assert p["gap_pp"].iloc[0] == pytest.approx(35.0 - 500.0 / 12)
    assert p["status"].tolist() == ["missed", "met", "missed"]  # 50% ≥ 41.67%; 35% is 6.67 points below (band 2)


def test_zhenba_may_completion_recomputed_from_the_data_files(may: object) -> None:
    """镇巴 1-5月: the 45 key projects (台账 开工/竣工 rows) completed 113,562.79 万元 of the 558,600 万元
    annual plan by the end of May = 20.33%, against time progress 5/12 = 41.67%."""
    folder = ROOT / "data" / "zhenba-2024"
    with (folder / "ledger.csv").open(encoding="utf-8-sig") as f:
        key = {r["项目编号"]: float(r["年度计划投资（万元）"]) for r in csv.DictReader(f) if r["项目类别"] in ("开工", "竣工")}
    with (folder / "progress.csv").open(encoding="utf-8-sig") as f:
        done = sum(float(r["累计完成投资（万元）"]) for r in csv.DictReader(f) if r["月份"] == "2024-05" and r["项目编号"] in key)
    assert len(key) == 45 and sum(key.values()) == pytest.approx(558600.0)
    assert done == pytest.approx(113562.79)
    row = may.monthly.progress.iloc[0]  # type: ignore[attr-defined]
    assert (row["projects"], row["annual_plan"], row["completed_cum"]) == (45, pytest.approx(558600.0), pytest.approx(113562.79))
    assert round(row["completion"] * 100, 2) == 20.33 == round(done / sum(key.values()) * 100, 2)
    assert round(row["gap_pp"], 2) == -21.34  # 20.33 − 41.67
    assert "截至5月底，45个重点项目完成投资11.36亿元，占年度计划的20.3%，低于时序进度21.3个百分点（未达标）" in " ".join(may.sentences)  # type: ignore[attr-defined]


def test_openings_and_completions_to_date() -> None:
    st = pd.DataFrame(
        {
            "is_new_start": [True, True, True, False],
            "due_start": [True, True, False, False],
            "started": [True, False, True, True],
            "planned_completion_this_year": [False, True, True, True],
            "due_completion": [False, True, False, False],
            "completed": [False, True, False, True],
        }
    )
    o = openings_rows(st).set_index("item")
    assert o.loc["计划新开工项目开工", ["planned", "due", "done"]].tolist() == [3, 2, 2]
    assert o.loc["计划年内竣工项目竣工", ["planned", "due", "done"]].tolist() == [3, 1, 2]
    assert o.loc["计划新开工项目开工", "rate"] == pytest.approx(2 / 3)


def test_behind_schedule_by_unit() -> None:
    st = pd.DataFrame(
        {
            "project_id": ["a", "b", "c", "d"],
            "name": ["甲一", "甲二", "乙一", "乙二"],
            "unit": ["甲镇", "甲镇", "乙镇", "乙镇"],
            "completion_ratio": [0.10, 0.41, 0.20, 0.30],
            "gap_pp": [-31.67, -0.67, -21.67, -11.67],
        }
    )
    b = behind_by_unit(st, 2.0)
    assert b["unit"].tolist() == ["乙镇", "甲镇"]  # most projects behind first
    assert b["behind"].tolist() == [2, 1] and b["projects"].tolist() == [2, 2]
    assert b["behind_projects"].iloc[0] == "乙一（落后21.7个百分点）、乙二（落后11.7个百分点）"


def test_a_month_without_data_is_refused_naming_the_months_that_have_data() -> None:
    assert months_zh([1, 2, 3, 4, 5, 6, 7, 8, 9]) == "1-9月" and months_zh([3, 6, 9]) == "3、6、9月"
    with pytest.raises(CoverageError, match=r"2024年11月没有数据.*2024年1-9月"):
        check_month(Period(2024, 11), 2024, {"项目进度": list(range(1, 10))})
    with pytest.raises(CoverageError, match=r"有数据的月份为 2024年1-9月（项目进度 1-9月；统计指标 3、6、9月"):
        load_report("zhenba-2024", "2024-11")


def test_hz_run_refuses_a_month_without_data(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["run", "zhenba-2024", "--month", "2024-11", "--out", str(tmp_path), "--formats", "html"]) == 2
    err = capsys.readouterr().err
    assert "2024年11月没有数据" in err and "Traceback" not in err
    assert not (tmp_path / "zhenba-2024" / "2024-11").exists()


def test_month_and_quarter_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert period_label("2024年1-5月") == "2024-05" and period_label("2024-06") == "2024Q2" and period_label("2024年上半年") == "2024Q2"
    assert main(["run", "zhenba-2024", "--month", "2024-05", "--quarter", "2024Q2"]) == 2
    assert "不能同时使用" in capsys.readouterr().err


def test_a_quarter_end_month_is_the_quarterly_bulletin() -> None:
    assert not is_month_request("2024-06") and is_month_request("2024年5月")
    m = load_report("zhenba-2024", "2024-06")
    assert m.monthly is None and "季度通报" in m.heading


def test_the_monthly_model(may: object) -> None:
    m = may
    assert m.monthly is not None and "月通报" in m.heading and "时序进度41.67%" in m.heading  # type: ignore[attr-defined]
    assert m.monthly.next_assessment.label() == "2024Q2"  # type: ignore[attr-defined]
    assert m.monthly.statistics.empty  # 镇巴's statistics are published by quarter  # type: ignore[attr-defined]
    assert not any("量化目标" in s for s in m.sentences)  # type: ignore[attr-defined]  # no target is assessed in a month
    behind = m.monthly.behind  # type: ignore[attr-defined]
    assert int(behind["behind"].sum()) == len(m.actions["behind"])  # type: ignore[attr-defined]


def test_no_scores_in_a_month() -> None:
    m = load_report("ankang-2019", "2019-05")  # ankang scores once a year (年终评); a month is never scored
    assert m.monthly is not None and m.scores is None


def test_hz_evaluate_at_a_month_shows_the_monthly_figures(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", "zhenba-2024", "--quarter", "2024-05"]) == 0
    out = capsys.readouterr().out
    assert "月通报" in out and "20.33%" in out and "5/12（41.67%）" in out
    assert "hz evaluate zhenba-2024 --quarter 2024Q2" in out
    assert main(["evaluate", "zhenba-2024", "--quarter", "2024-05", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["范围"] == "全部重点项目" and round(rows[0]["完成年度计划（%）"], 2) == 20.33


def test_index_lists_monthly_and_quarterly_apart(tmp_path: Path) -> None:
    for label in ("2024Q2", "2024-05"):
        folder = tmp_path / "zhenba-2024" / label
        folder.mkdir(parents=True)
        (folder / "bulletin.html").write_text("x", encoding="utf-8")
        (folder / "02_evaluate.html").write_text("x", encoding="utf-8")
        (folder / "manifest.json").write_text(
            json.dumps({"quarter": label, "jurisdiction": "镇巴县", "title": "方案", "overall_status": "met", "summary": {}}), encoding="utf-8"
        )
    page = write_index(tmp_path).read_text(encoding="utf-8")
    quarterly, monthly = page.split("<h2>重点项目进展月通报</h2>")
    assert "2024Q2" in quarterly and "2024-05" not in quarterly
    assert "2024-05" in monthly and "2024Q2/" not in monthly
    assert "2024-05/02_evaluate.html" not in monthly  # a month assesses no target
    assert bulletin_kind("2024-05") == "monthly" and bulletin_kind("2024Q2") == "quarterly"


def test_the_notebook_skips_the_quarterly_sections_in_a_month() -> None:
    nb = nbformat.read(ROOT / "notebooks" / "quarterly_report.ipynb", as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    text = "\n".join(c.source for c in nb.cells)
    for quarterly_only in (
        "targets_view(m, 'judged'",
        "growth_charts(m)",
        "ranking_view(m)",
        "deviations_view(m)",
        "batches_view(m)",
        "targets_view(m, 'other'",
        "derivations_view(m, ",
        "目标完成情况",
        "考核排名",
        "各单位推进情况",
    ):
        cells = [c for c in code if quarterly_only in c]
        assert cells and all(c.startswith("if m.monthly is None:") for c in cells), quarterly_only
    assert "monthly_progress_view(m)" in text and "monthly_behind_view(m)" in text
    assert not any(c.cell_type == "markdown" and ("目标完成情况" in c.source or "红旗" in c.source) for c in nb.cells)


def test_statistics_published_for_the_month_are_shown() -> None:
    m = load_report("ankang-2019", "2019-05")  # 安康's indicators.csv has 2019-05 rows (published monthly)
    st = m.monthly.statistics  # type: ignore[union-attr]
    city = st[(st["jurisdiction"] == "安康市") & (st["indicator"] == "fai")].iloc[0]
    assert city["cum_yoy"] == pytest.approx(9.0) and city["level"] == pytest.approx(4129652.94)
    assert any("安康市固定资产投资（不含农户）累计增长9%" in s for s in m.sentences)


def test_year_end_review_is_the_fourth_quarter_bulletin_with_the_annual_scores() -> None:
    """年终评: 安康's rules score the year (period: year); the Q4 bulletin gives those scores, with the
    items counted only at year end (年终考核项); earlier quarters are trial runs (试算). The data end in
    June, so the June figures are repeated at December here."""
    from dataclasses import replace

    from hzlib.periods import same_period
    from hzlib.report import build_report
    from hzlib.report.load import load_inputs
    from hzlib.scoring.tables import item_table

    inp = load_inputs("ankang-2019")
    d, sc = inp.loaded.data, inp.scoring
    assert sc is not None and sc.rules.period == "year"
    december = d.progress[d.progress["month"] == "2019-06"].assign(month="2019-12")
    d4 = replace(
        d,
        progress=pd.concat([d.progress, december], ignore_index=True),
        indicators=d.indicators.assign(period=d.indicators["period"].replace({"2019Q2": "2019Q4"})),
        tasks=d.tasks.assign(period=d.tasks["period"].replace({"2019Q2": "2019Q4"})),
    )
    units = sc.reported.units
    sc4 = replace(sc, reported=replace(sc.reported, units=units[same_period(units["period"], "2019Q2")].assign(period="2019Q4")))
    q4 = build_report(inp.plan, d4, "2019年全年", scoring=sc4)
    q2 = build_report(inp.plan, d4, "2019Q2", scoring=sc)
    assert q4.monthly is None and q4.scores is not None and "季度通报" in q4.heading
    assert "试算" not in q4.ranking_basis and "试算" in q2.ranking_basis
    said = " ".join(item_table(q2.scores.result)["说明"].astype(str))  # type: ignore[union-attr]
    assert "年终考核项，2019年上半年不计分" in said
    assert "不计分" not in " ".join(item_table(q4.scores.result)["说明"].astype(str))  # type: ignore[union-attr]


def test_hz_score_at_a_month_points_to_the_quarter(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", "ankang-2019", "--period", "2019-05"]) == 2
    err = capsys.readouterr().err
    assert "2019年1-5月不是季度末" in err and "2019Q2" in err and "Traceback" not in err


def test_hz_run_renders_a_month_with_the_bulletin_and_project_pages_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A month assesses no target: no targets/evaluation/scoring pages, no overall status in the manifest."""
    assert main(["run", "zhenba-2024", "--month", "2024-05", "--formats", "html", "--out", str(tmp_path)]) == 0, capsys.readouterr()
    folder = tmp_path / "zhenba-2024" / "2024-05"
    names = sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
    assert names == ["03_projects.html", "03_projects.ipynb", "bulletin.html", "manifest.json", "quarterly_report.ipynb"]
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["bulletin"] == "monthly" and manifest["overall_status"] is None and manifest["summary"] == {}
    page = (folder / "bulletin.html").read_text(encoding="utf-8")
    assert "20.33%" in page and "41.67%" in page


def test_the_monthly_all_projects_row_is_the_evaluations_completion() -> None:
    # one figure: the monthly table's 全部重点项目 row is the evaluation's completion against time progress
    from hzlib.report.load import load_report

    m = load_report("zhenba-2024", "2024-05", None)
    assert m.monthly is not None and m.evaluation.completion is not None
    first = m.monthly.progress.iloc[0]
    assert first["check"] is m.evaluation.completion
    assert first["completion"] == m.evaluation.completion.rate and first["gap_pp"] == m.evaluation.completion.gap_pp
