"""安康 2019 附件3 read as its authors meant: preliminary deductions bounded by 附件2, departments with
no key project out of the awards (a rules-file choice), and reported inputs that belong to a period.

Every figure below is computed by hand in the docstring or comment next to it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from hzlib.cli import main
from hzlib.errors import InputError
from hzlib.scoring import inputs_from_dicts, load_rules, load_scoring_inputs, read_scoring_inputs, score
from hzlib.scoring.inputs import reported_for_period
from hzlib.scoring.rules import ScoringRules
from hzlib.scoring.tables import ranking_table, special_lines

ROOT = Path(__file__).resolve().parents[1]
RULES = load_rules("ankang-2019")
HANZHONG = load_rules("hanzhong-2022")

#: Every input 瀛湖生态旅游区 needs at 2019Q2 (附件2: 2 key projects, 36000万元, 1 new start, 1 重点前期项目).
YINGHU = {
    "completed_investment": 18000,
    "planned_investment": 36000,  # 18000 ÷ 36000 = 50% × 35 = 17.5
    "new_starts": 1,
    "start_rate_h1": 1.0,  # 100% ≥ 80%: 15, the Q3 checkpoint is not due at Q2
    "completions_missed": 0,
    "planning_task_done": 1,
    "packaged_over_20yi": 1,
    "packaged_over_100yi": 0,  # 10 + 1 × 2 = 12
    "packaged_feasibility": 0,
    "packaged_filed": 0,
    "planning_funds": 200,  # 2 × 0.5 = 1
    "media_city": 2,
    "media_province": 1,
    "media_central": 0,  # 2 × 0.3 + 1 × 0.5 = 1.1
    "provincial_ahead": 0,
    "adopted_next_year": 0,
    "late_or_false_reports": 0,
    "support_failures": 0,
    "support_severe": 0,
    "major_accident": 0,
}


def _points(result, unit: str, item: str) -> float:
    it = result.items
    return float(it[(it["unit"] == unit) & (it["item"] == item)]["points"].iloc[0])


def _unit(result, unit: str) -> pd.Series:
    return result.units.set_index("unit").loc[unit]


# ---- 1. preliminary projects: the unit's own 附件2 projects ------------------------------------


def test_yinghu_one_preliminary_not_done_scores_10_and_total_56_6() -> None:
    """1 assigned, 1 not done: 15 − 5 (只有1个重点前期项目的县区) = 10.
    Total: 17.5 + 15 + 10 + 12 + 1 + 1.1 = 56.6 (all 95 points apply; no bonus, no penalty)."""
    r = score(RULES, inputs_from_dicts(RULES, {"瀛湖生态旅游区": YINGHU | {"preliminary_not_done": 1}}, period="2019Q2"))
    assert _points(r, "瀛湖生态旅游区", "preliminary") == 10.0
    row = _unit(r, "瀛湖生态旅游区")
    assert not row["incomplete"] and row["total"] == 56.6 and row["max_total"] == 95.0


def test_yinghu_four_reported_for_one_assigned_is_an_input_error() -> None:
    """Before: 4 × −5 = −20 on a 15-point item, clipped to 0 (total 46.6). Now refused, naming both numbers."""
    with pytest.raises(InputError) as e:
        score(RULES, inputs_from_dicts(RULES, {"瀛湖生态旅游区": YINGHU | {"preliminary_not_done": 4}}, period="2019Q2"))
    [p] = e.value.errors
    assert p.column == "瀛湖生态旅游区.preliminary_not_done"
    assert p.message.startswith("瀛湖生态旅游区报送“未完成前期工作年度任务的重点前期项目” 4个，多于任务分解表分解给该单位的“重点前期项目个数” 1个")


def test_department_with_one_preliminary_project_loses_10() -> None:
    """市水利局: 1 assigned (附件2), not done: 15 − 10 = 5; 2 reported is an error."""
    r = score(RULES, inputs_from_dicts(RULES, {"市水利局": {"preliminary_not_done": 1}}))
    assert _points(r, "市水利局", "preliminary") == 5.0
    with pytest.raises(InputError, match=r"市水利局报送.* 2个，多于任务分解表分解给该单位的“重点前期项目个数” 1个"):
        score(RULES, inputs_from_dicts(RULES, {"市水利局": {"preliminary_not_done": 2}}))


@pytest.mark.parametrize("unit", ["市自然资源局", "市林业局", "市文旅广电局", "市商务局"])
def test_count_for_a_unit_with_no_preliminary_task_is_an_error(unit: str) -> None:
    with pytest.raises(InputError) as e:
        score(RULES, inputs_from_dicts(RULES, {unit: {"preliminary_not_done": 1}}))
    assert "任务分解表没有给该单位分解“重点前期项目个数”（按 0 个计）：没有任务就没有未完成" in e.value.errors[0].message
    # 0 reported is what the table says: no error, the item does not apply
    r = score(RULES, inputs_from_dicts(RULES, {unit: {"preliminary_not_done": 0}}))
    assert not bool(r.items[(r.items["unit"] == unit) & (r.items["item"] == "preliminary")]["applicable"].iloc[0])


def test_the_file_reader_names_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "scoring_inputs.csv"
    path.write_text("单位,输入编号,数值,期别\n瀛湖生态旅游区,preliminary_not_done,1,2019Q1\n瀛湖生态旅游区,preliminary_not_done,4,2019Q2\n", encoding="utf-8")
    r = read_scoring_inputs(path, RULES)
    assert [(p.row, p.column) for p in r.errors] == [(3, "数值")]
    assert "4个，多于任务分解表分解给该单位的“重点前期项目个数” 1个" in r.errors[0].message


def test_bundled_inputs_are_within_the_assigned_counts() -> None:
    r = read_scoring_inputs(ROOT / "data" / "ankang-2019" / "scoring_inputs.csv", RULES)
    assert r.errors == []
    f = r.frame[r.frame["input_id"] == "preliminary_not_done"]
    assigned = f["unit"].map(lambda u: RULES.plan_values["preliminary_projects"].get(u) or 0.0)
    assert (f["value"] <= assigned).all() and set(f["period"]) == {"2019Q1", "2019Q2"}


# ---- 2. departments with no key project --------------------------------------------------------

#: 市商务局 has no key project and no preliminary project: 10 + 10 + 20 = 40 of the 40 that apply → 100.
SHANGWU = {
    "planned_investment": 0,
    "completed_investment": 0,
    "mechanism_established": 1,
    "management_effective": 1,
    "monthly_reporting": 1,
    "media_own": 0,
    "media_city": 0,
    "media_province": 0,
    "media_central": 5,
    "planning_task_done": 1,
    "packaged_over_20yi": 5,
    "packaged_over_100yi": 0,
    "packaged_feasibility": 0,
    "packaged_filed": 0,
    "major_accident": 0,
}
#: 市发改委: 10 + 10 + 45 × 50% + 15 (1 preliminary, done) + 10 = 67.5 of 100.
FAGAI = SHANGWU | {"planned_investment": 416435, "completed_investment": 208217.5, "preliminary_not_done": 0, "packaged_over_20yi": 0}


def _with_treatment(treatment: str) -> ScoringRules:
    kinds = []
    for k in RULES.kinds:
        if k.no_projects is not None:
            k = k.model_copy(update={"no_projects": k.no_projects.model_copy(update={"treatment": treatment})})
        kinds.append(k)
    return RULES.model_copy(update={"kinds": kinds})


def _departments(rules: ScoringRules):
    return score(rules, inputs_from_dicts(rules, {"市商务局": SHANGWU, "市发改委": FAGAI}, period="2019Q2"))


def test_department_without_projects_is_out_of_ranking_and_awards() -> None:
    r = _departments(RULES)
    shangwu, fagai = _unit(r, "市商务局"), _unit(r, "市发改委")
    assert shangwu["total"] == 100.0 and fagai["total"] == 67.5
    assert shangwu["award_excluded"] and pd.isna(shangwu["rank"]) and shangwu["prize"] is None
    assert fagai["rank"] == 1 and fagai["prize"] == "先进单位"
    assert "不参加排名和评奖" in shangwu["note"] and "no_projects: exclude_from_awards" in shangwu["special"]
    [line] = [x for x in special_lines(r) if "市商务局" in x]
    assert line.startswith("市直部门 市商务局（1 个）：没有市级重点建设项目")
    assert "市级重点建设项目完成情况、市级重点项目前期工作完成情况不适用，得分项按适用的 40 分折算到 100 分" in line
    assert ranking_table(r).set_index("单位").loc["市商务局", "特别处理"] == shangwu["special"]


def test_rescale_is_the_old_reading() -> None:
    """rescale: 市商务局 100 ranks first and takes the award, ahead of 市发改委 67.5."""
    r = _departments(_with_treatment("rescale"))
    assert _unit(r, "市商务局")["rank"] == 1 and _unit(r, "市商务局")["prize"] == "先进单位"
    assert _unit(r, "市发改委")["rank"] == 2


def test_zero_scores_the_investment_item_0() -> None:
    """zero: 40 of 85 (the 45 points count, preliminary still does not apply) → 40 ÷ 85 × 100 = 47.06."""
    r = _departments(_with_treatment("zero"))
    assert _points(r, "市商务局", "invest_completion") == 0.0
    assert _unit(r, "市商务局")["total"] == 47.06 and _unit(r, "市商务局")["rank"] == 2


def test_bulletin_ranking_names_the_departments_out_of_the_awards() -> None:
    """The bundled 2019Q2 data: the 8 departments with no key project get no 先进单位; the 5 places go to
    departments with projects; the ranking's caption says who and why."""
    from hzlib.report import load_report
    from hzlib.report.views import ranking_view

    m = load_report("ankang-2019", "2019Q2")
    assert m.scores is not None
    u = m.scores.result.units.set_index("unit")
    without = {"市农业农村局", "市文旅广电局", "市人社局", "市科技局", "市生态环境局", "市商务局", "市招商和经济合作局", "市民政局"}
    assert set(u.index[u["award_excluded"]]) == without
    winners = set(u.index[u["prize"] == "先进单位"])
    assert len(winners) == 5 and not winners & without
    html = ranking_view(m)._repr_html_()
    assert "特别处理：市直部门" in html and all(d in html for d in without)


# ---- 3. reported inputs have a period ----------------------------------------------------------


def _two_quarters(tmp_path: Path) -> Path:
    path = tmp_path / "scoring_inputs.csv"
    path.write_text(
        "单位,输入编号,数值,期别\n"
        "汉滨区,media_city,2,2019年一季度\n"
        "汉滨区,media_city,5,2019年1-6月\n" + "".join(f"汉滨区,{i},0,{p}\n" for i in ("media_province", "media_central") for p in ("2019Q1", "2019Q2")),
        encoding="utf-8",
    )
    return path


def test_each_period_scores_its_own_counts(tmp_path: Path) -> None:
    """汉滨区 media_city: Q1 2 × 0.3 = 0.6, H1 5 × 0.3 = 1.5 (was the same count for both)."""
    path = _two_quarters(tmp_path)
    assert read_scoring_inputs(path, RULES).frame["period"].tolist()[:2] == ["2019Q1", "2019Q2"]
    for period, points in (("2019Q1", 0.6), ("2019Q2", 1.5)):
        r = score(RULES, load_scoring_inputs(path, RULES, period))
        assert _points(r, "汉滨区", "publicity") == points


def test_a_period_the_file_does_not_have_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError) as e:
        load_scoring_inputs(_two_quarters(tmp_path), RULES, "2019Q3")
    [p] = e.value.errors
    assert (p.file, p.column) == ("scoring_inputs.csv", "期别")
    assert p.message.startswith("没有2019年前三季度（2019Q3）的评分报送数：文件中的期别为 2019Q1、2019Q2")
    with pytest.raises(InputError, match="文件中有 2 个期别（2019Q1、2019Q2）：请指定评分期别"):
        load_scoring_inputs(_two_quarters(tmp_path), RULES)


def test_a_file_without_the_period_column_is_refused_when_scored() -> None:
    old = pd.DataFrame({"unit": ["汉滨区"], "unit_kind": ["county"], "input_id": ["media_city"], "value": [3.0], "period": [None]})
    with pytest.raises(InputError) as e:
        reported_for_period(old, "2019Q2")
    msg = e.value.errors[0].message
    assert msg.startswith("没有“期别”列：报送的评分输入不知是哪一期的数，不能用于2019年上半年（2019Q2）的评分")
    assert "请在表中加一列“期别”" in msg
    assert reported_for_period(old.iloc[:0], "2019Q2").empty  # nothing reported (a fresh template): nothing to refuse


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("", "缺少期别"),
        ("二季度", "无法识别的期别“二季度”"),
    ],
)
def test_period_cells_are_checked(cell: str, message: str, tmp_path: Path) -> None:
    path = tmp_path / "scoring_inputs.csv"
    path.write_text(f"单位,输入编号,数值,期别\n汉滨区,media_city,2,{cell}\n", encoding="utf-8")
    r = read_scoring_inputs(path, RULES)
    assert [(p.row, p.column) for p in r.errors] == [(2, "期别")] and r.errors[0].message.startswith(message)


def test_quarter_inputs_need_a_quarter_and_repeat_per_period(tmp_path: Path) -> None:
    """汉中 督查 findings are per quarter (period_basis: quarter): 2022-05 is not a quarter end;
    the same unit and input in two quarters is not a duplicate, twice in one quarter is."""
    path = tmp_path / "scoring_inputs.csv"
    path.write_text(
        "单位,输入编号,数值,期别\n汉台区,inspection_plus,1,2022-05\n汉台区,inspection_plus,1,2022Q1\n"
        "汉台区,inspection_plus,2,2022Q2\n汉台区,inspection_plus,3,2022年上半年\n",
        encoding="utf-8",
    )
    r = read_scoring_inputs(path, HANZHONG)
    assert [(p.row, p.column) for p in r.errors] == [(2, "期别"), (5, "数值")]
    assert "按季度报送（该季度内的数），期别应为季度末，如 2022Q2" in r.errors[0].message
    assert "期别“2022年上半年（2022Q2）”有 2 行，数值不同：第4行为 2，第5行为 3" in r.errors[1].message


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "ankang-2019"
    shutil.copytree(ROOT / "data" / "ankang-2019", folder)
    return folder


def test_hz_score_refuses_an_old_file_without_period(data_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = data_copy / "scoring_inputs.csv"
    f = pd.read_csv(path, dtype=str, keep_default_na=False)
    f[f["期别"] == "2019Q2"].drop(columns=["期别"]).to_csv(path, index=False)
    assert main(["score", "ankang-2019", "--period", "2019Q2", "--data", str(data_copy)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "scoring_inputs.csv [期别]：没有“期别”列" in err and "2019Q2" in err


def test_hz_score_refuses_inputs_of_another_period(data_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = data_copy / "scoring_inputs.csv"
    f = pd.read_csv(path, dtype=str, keep_default_na=False)
    f[f["期别"] == "2019Q1"].to_csv(path, index=False)
    assert main(["score", "ankang-2019", "--period", "2019Q2", "--data", str(data_copy)]) == 2
    err = capsys.readouterr().err
    assert "没有2019年上半年（2019Q2）的评分报送数：文件中的期别为 2019Q1" in err and "Traceback" not in err


def test_bundled_q1_and_q2_use_their_own_rows() -> None:
    """The bundled file, 汉滨区 (cumulative counts): Q1 city 1, province 5, central 1 → 0.3 + 2.5 + 2 = 4.8;
    H1 city 3, province 10, central 3 → 0.9 + 5 + 6 = 11.9, capped at 5."""
    path = ROOT / "data" / "ankang-2019" / "scoring_inputs.csv"
    points = {p: _points(score(RULES, load_scoring_inputs(path, RULES, p)), "汉滨区", "publicity") for p in ("2019Q1", "2019Q2")}
    assert points == {"2019Q1": 4.8, "2019Q2": 5.0}


def test_a_rules_file_whose_plan_cannot_be_read_names_the_plans_problem(tmp_path: Path) -> None:
    # the plan's own problem is said, not only "计划文件有 1 处错误"
    import shutil

    from hzlib.errors import InputError

    plans = tmp_path / "plans"
    plans.mkdir()
    text = (ROOT / "params" / "plans" / "ankang-2019.yaml").read_text(encoding="utf-8")
    (plans / "ankang-2019.yaml").write_text(text.replace("year: 2019", "year: 二〇一九", 1), encoding="utf-8")
    shutil.copy(ROOT / "params" / "scoring" / "ankang-2019.yaml", tmp_path / "rules.yaml")
    with pytest.raises(InputError) as e:
        load_rules(tmp_path / "rules.yaml", plans_dir=plans)
    said = str(e.value)
    assert "无法读取计划 'ankang-2019'" in said and "year" in said and "二〇一九" in said, said
