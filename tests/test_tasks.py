"""Reported achievements (任务完成情况, tasks.csv): reading, checks against the plan, evaluation."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from hzlib.cli import main
from hzlib.data import load_data
from hzlib.errors import ERROR, WARNING, InputError
from hzlib.evaluate import EvaluationData, evaluate
from hzlib.ingest import read_tasks, validate_file
from hzlib.plan import load_plan
from hzlib.plan.indicators import effective_basis
from hzlib.plan.schema import Basis, Target
from hzlib.tasks import check_against_plan, fraction_suspect, reportable_targets, template
from hzsample import generate_sample

DATA = Path(__file__).resolve().parents[1] / "data"
HEAD = "目标编号,期别,完成值,计量单位,地区,数据来源\n"


def _tasks(tmp_path: Path, rows: list[str], name: str = "tasks.csv") -> Path:
    p = tmp_path / name
    p.write_text(HEAD + "".join(r + "\n" for r in rows), encoding="utf-8")
    return p


def test_read_tasks_values_units_and_percent_signs(tmp_path: Path) -> None:
    p = _tasks(
        tmp_path,
        [
            "leader_major_projects,2022Q3,2,个,汉中市,市发改委",
            "special_bond_2021_paid,2022年1-9月,85%,%,汉中市,市财政局",
        ],
    )
    r = read_tasks(p)
    assert r.ok and r.problems == []
    assert r.frame["value"].tolist() == [2.0, 85.0]
    assert r.frame["period"].tolist() == ["2022Q3", "2022Q3"]  # 2022年1-9月 is 2022Q3
    assert validate_file(p).kind == "tasks"  # guessed from the headers


def test_bad_task_rows_are_named_by_row_and_column(tmp_path: Path) -> None:
    p = _tasks(
        tmp_path,
        [
            "leader_major_projects,2022Q3,3万,个,汉中市,",  # a unit in the number
            "leader_major_projects,2022Q3,2,个,汉中市,",  # duplicate of the row above (same id + period)
            "quarterly_observation,2022Q3,2%,次,汉中市,",  # percent sign, unit is not %
            "quarterly_inspection,2022Q3,约两次,次,汉中市,",  # text
        ],
    )
    r = read_tasks(p)
    msgs = {(x.row, x.column, x.severity): x.message for x in r.problems}
    assert "单位写在“计量单位”列" in msgs[(2, "完成值", ERROR)]
    # the same target and period twice: the unreadable row is its own error, not compared (tests/test_period_forms.py has conflicts)
    assert not any("不同" in m for m in msgs.values())
    assert "计量单位是“次”" in msgs[(4, "完成值", ERROR)]
    assert "不是数字" in msgs[(5, "完成值", ERROR)]


def test_check_against_plan(tmp_path: Path) -> None:
    plan = load_plan("zhenba-2024")
    p = _tasks(
        tmp_path,
        [
            "no_such_target,2024Q2,1,个,镇巴县,",
            "signed_investment,2024Q2,52000,万元,镇巴县,县招商局",  # 万元 into a 亿元 target: converted
            "new_planned_projects,2024Q2,12,公里,镇巴县,",  # wrong unit
            "new_planned_projects,2023Q4,12,个,镇巴县,",  # another year: warned, not used
            "foreign_capital_used,2024Q2,20,万美元,泾洋街道,",  # a town's figure for a county target
            "county_new_start_rate,2024Q2,80,%,镇巴县,",  # the ledger measures it
        ],
    )
    r = read_tasks(p)
    assert r.ok
    frame, problems = check_against_plan(r.frame, r.rows, r.file, plan, r.columns)
    got = {(x.row, x.column): (x.severity, x.message) for x in problems}
    assert got[(2, "目标编号")][0] == ERROR and "没有目标编号“no_such_target”" in got[(2, "目标编号")][1]
    assert frame.loc[1, "value"] == pytest.approx(5.2) and frame.loc[1, "unit"] == "亿元"
    assert got[(4, "计量单位")][0] == ERROR and "“公里”与目标" in got[(4, "计量单位")][1]
    assert got[(5, "期别")][0] == WARNING
    assert got[(6, "地区")][0] == ERROR and "泾洋街道" in got[(6, "地区")][1]
    assert got[(7, "目标编号")][0] == WARNING and "报送值不采用" in got[(7, "目标编号")][1]


def test_reported_values_are_evaluated_with_their_source() -> None:
    plan = load_plan("hanzhong-2022")
    tasks = pd.DataFrame(
        {
            "target_id": ["leader_major_projects", "platform_integration_accepted", "quarterly_observation"],
            "period": ["2022Q3", "2022-12", "2022Q3"],
            "value": [2.0, 1.0, 0.0],
            "unit": ["个", "项", "次"],
            "source": ["市发改委", None, None],
        }
    )
    t = evaluate(plan, "2022Q3", EvaluationData(tasks=tasks)).targets.set_index("target_id")
    # at least 1 project per leader; 2 reported at Q3 meets it
    per_leader = t.loc["leader_major_projects"]
    assert per_leader["actual"] == 2.0 and per_leader["actual_count"] == 2 and per_leader["basis_zh"] == "任务报送（市发改委）"
    assert per_leader["status"] == "met"
    # reported for Q4 only: at Q3 there is no value
    assert t.loc["platform_integration_accepted", "status"] in ("pending", "no_data")
    assert pd.isna(t.loc["platform_integration_accepted", "actual"])
    # once a quarter, none held in Q3: missed
    assert t.loc["quarterly_observation", "status"] == "missed"
    # at Q4 the deadline task with no number is done when the reported value is > 0
    t4 = evaluate(plan, "2022Q4", EvaluationData(tasks=tasks)).targets.set_index("target_id")
    assert t4.loc["platform_integration_accepted", "status"] == "met"
    undone = tasks.assign(value=[2.0, 0.0, 0.0])
    t4 = evaluate(plan, "2022Q4", EvaluationData(tasks=undone)).targets.set_index("target_id")
    assert t4.loc["platform_integration_accepted", "status"] == "missed"


def test_reportable_targets_leave_out_ledger_and_statistics_measures() -> None:
    plan = load_plan("zhenba-2024")
    all_ids = {t.id for t in reportable_targets(plan)}
    assert all(effective_basis(plan.target(i)) is Basis.REPORT for i in all_ids)
    assert "signed_investment" in all_ids
    assert "fai_growth" not in all_ids  # statistics give FAI growth, never a report
    assert "city_new_start_rate" not in all_ids  # the ledger gives the start rate
    tpl = template(plan, "2024Q2")
    assert list(tpl.columns)[:5] == ["target_id", "label", "period", "value", "unit"]
    assert set(tpl["target_id"]) == all_ids and tpl["value"].isna().all()


def test_bad_tasks_file_stops_loading_with_every_problem(tmp_path: Path) -> None:
    folder = tmp_path / "hanzhong-2022"
    shutil.copytree(DATA / "hanzhong-2022", folder)
    _tasks(folder, ["no_such_target,2022Q3,1,个,汉中市,", "leader_major_projects,2022Q3,2,公里,汉中市,"])
    with pytest.raises(InputError) as e:
        load_data("hanzhong-2022", tmp_path, year=2022)
    text = str(e.value)
    assert "tasks.csv 第2行 [目标编号]" in text and "tasks.csv 第3行 [计量单位]" in text


def test_template_command_and_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "tasks.csv"
    assert main(["tasks-template", "hanzhong-2022", "--out", str(out)]) == 0
    r = read_tasks(out)
    assert r.ok and len(r.frame) > 0  # blank values are warnings, not errors
    assert set(r.frame["period"]) == {"2022Q3"}  # the latest quarter of the bundled data
    assert main(["validate-data", str(out), "--plan", "hanzhong-2022"]) == 0


def test_sample_tasks_cover_only_reportable_targets_in_their_units() -> None:
    plan = load_plan("hanzhong-2022")
    data = generate_sample("hanzhong-2022")
    assert len(data.tasks) > 0
    reportable = {t.id: t for t in reportable_targets(plan, set(data.indicators["indicator"]))}
    for row in data.tasks.itertuples():
        assert row.target_id in reportable
        assert row.unit == reportable[row.target_id].unit
        assert row.source == "示意数据"
    assert len(data.tasks) < len(reportable)  # some are left unreported on purpose


def test_reported_figures_are_marked_in_the_bulletin_table() -> None:
    from hzlib.report.views import target_rows

    plan = load_plan("hanzhong-2022")
    tasks = pd.DataFrame({"target_id": ["leader_major_projects"], "period": ["2022Q3"], "value": [2.0], "unit": ["个"], "source": ["市发改委"]})
    ev = evaluate(plan, "2022Q3", EvaluationData(tasks=tasks)).targets
    shown = target_rows(ev[ev["target_id"] == "leader_major_projects"])
    assert shown["口径"].iloc[0] == "任务报送（市发改委）"
    assert shown["实际"].iloc[0] == "2个"


def test_growth_of_a_ledger_count_must_be_reported() -> None:
    """Growth of the number of key projects over last year needs last year's count: it is reported.

    (港务区 2023's “较2022年增长10%的基础上” is a premise, not a target: see tests/test_plan_readings.py.)"""
    plan = load_plan("xian-port-2023")
    growth = Target.model_validate(
        {
            "id": "city_key_projects_growth",
            "label": "市级重点项目总数较上年增长",
            "indicator": "key_project_count",
            "measure": "growth",
            "value": 10,
            "unit": "%",
            "scope": {"jurisdiction": "西安国际港务区", "level": "city"},
            "basis": "report",
            "source": {"section": "一、目标任务", "quote": "市级重点项目总数"},
        }
    )
    plan = plan.model_copy(update={"targets": [*plan.targets, growth]})
    ids = {t.id for t in reportable_targets(plan)}
    assert "city_key_projects_growth" in ids
    assert "city_key_projects_growth" in set(template(plan, "2023Q3")["target_id"])


def test_a_percent_written_as_a_fraction_is_warned_and_read_as_written(tmp_path: Path) -> None:
    # hanzhong-2022: central_budget_2021_paid and special_bond_2021_paid are 100% targets,
    # central_funds_support is 0% ("不减"), reconstruction_completed and financing_match_coverage 100%
    plan = load_plan("hanzhong-2022")
    p = _tasks(
        tmp_path,
        [
            "central_budget_2021_paid,2022Q3,0.992,%,汉中市,",  # 0.992 for 99.2%: warned
            "special_bond_2021_paid,2022Q3,1,%,汉中市,",  # 1 is in (0, 1]: warned
            "reconstruction_completed,2022Q3,99.2,%,汉中市,",  # a percent number
            "central_funds_support,2022Q3,0.2,%,汉中市,",  # 0.2 points against a 0% target: ordinary
            "financing_match_coverage,2022Q3,0,%,汉中市,",  # nothing done yet is no fraction
        ],
    )
    r = read_tasks(p)
    frame, problems = check_against_plan(r.frame, r.rows, r.file, plan, r.columns)
    suspects = [x for x in problems if x.column == "完成值"]
    assert [(x.row, x.severity) for x in suspects] == [(2, WARNING), (3, WARNING)]
    assert "完成值 0.992% 与目标“2021年中央预算内资金全部支付完毕”的 100% 相差悬殊" in suspects[0].message
    assert "0.992 表示 99.2%" in suspects[0].message and "请写成 99.2；" in suspects[0].message
    assert "1 表示 100%" in suspects[1].message
    assert frame["value"].tolist() == [0.992, 1.0, 99.2, 0.2, 0.0]  # the unit says %: read as written


def test_fraction_suspect_needs_a_target_of_ten_points() -> None:
    target = load_plan("hanzhong-2022").target("land_quota_key_share")  # 50%
    assert fraction_suspect(0.5, target) and fraction_suspect(1.0, target)
    assert not fraction_suspect(1.01, target) and not fraction_suspect(0.0, target) and not fraction_suspect(-0.5, target)
    assert fraction_suspect(0.5, target.model_copy(update={"value": 10.0}))
    assert not fraction_suspect(0.5, target.model_copy(update={"value": 9.9}))  # 0.5% of a 9.9% target may be real
    assert not fraction_suspect(0.5, load_plan("hanzhong-2022").target("leader_major_projects"))  # 个, not %


def test_a_fraction_warning_shows_in_validate_data_and_evaluate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "hanzhong-2022"
    shutil.copytree(DATA / "hanzhong-2022", folder)
    tasks = folder / "tasks.csv"
    assert main(["evaluate", "hanzhong-2022", "--quarter", "2022Q3", "--data", str(folder)]) == 0
    before = capsys.readouterr().out
    text = tasks.read_text(encoding="utf-8")
    assert "central_budget_2021_paid,2021年中央预算内资金全部支付完毕,2022Q3,99.2,%" in text
    tasks.write_text(text.replace("2022Q3,99.2,%", "2022Q3,0.992,%"), encoding="utf-8")
    assert main(["validate-data", str(tasks), "--plan", "hanzhong-2022"]) == 0
    out = capsys.readouterr().out
    assert "tasks.csv 第3行 [完成值]：警告：完成值 0.992% 与目标" in out and "1 条警告" in out
    loaded = load_data("hanzhong-2022", tmp_path, year=2022)
    assert any(w.column == "完成值" and "0.992 表示 99.2%" in w.message for w in loaded.warnings)
    assert main(["evaluate", "hanzhong-2022", "--quarter", "2022Q3", "--data", str(folder)]) == 0
    after = capsys.readouterr().out
    count = [int(line.split()[1]) for text in (before, after) for line in text.splitlines() if line.startswith("数据提示")]
    assert len(count) == 2 and count[1] == count[0] + 1
