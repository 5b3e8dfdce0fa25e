"""Every period form the README offers is one period everywhere (issue: "Nothing lost, nothing miscounted").

The bundled statistics and reported tasks are rewritten with their periods in each form
(2024Q2 / 2024年二季度 / 2024年上半年 / 2024年1-6月 / 2024-06 / 2024年6月; at year end 2024 /
2024年全年 / 2024Q4 / 2024年1-12月); the evaluation must be exactly the same as with the
files as bundled, for every bundled plan at every quarter with data. Two rows of one period
written two ways are one figure when they agree and a reported conflict when they do not.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from hzlib.cli import main
from hzlib.data import check_tasks_against_plan, load_data
from hzlib.errors import ERROR, WARNING, DataError
from hzlib.evaluate.coverage import data_coverage
from hzlib.evaluate.engine import EvaluationData, evaluate
from hzlib.ingest import read_indicators, read_tasks
from hzlib.periods import Period
from hzlib.plan import load_plan
from hzlib.plan.schema import Plan
from hzlib.report import build_report

ROOT = Path(__file__).resolve().parents[1]
PLANS = ("ankang-2019", "hanzhong-2022", "hanzhong-2023", "xian-port-2023", "zhenba-2024")
_ZH_Q = "一二三四"


def written(p: Period, form: str) -> str:
    """``p`` written in ``form`` (a month inside a quarter, which has no quarter form, as 2024年1-5月)."""
    y, m = p.year, p.end_month
    if form == "month":
        return f"{y}-{m:02d}"
    if form == "zh_month":
        return f"{y}年{m}月"
    if form == "span":
        return f"{y}年1-{m}月"
    if not p.is_quarter_end:
        return f"{y}年1-{m}月"
    q = m // 3
    if form == "quarter":
        return f"{y}Q{q}"
    if form == "zh_quarter":
        return f"{y}年{_ZH_Q[q - 1]}季度"
    # form == "named": 上半年, 前三季度, 全年 where the year part has a name, else the bare year or the half
    return {3: f"{y}年第一季度", 6: f"{y}年上半年", 9: f"{y}年前三季度", 12: f"{y}年全年"}[m]


FORMS = ("quarter", "zh_quarter", "named", "span", "month", "zh_month")
#: Year-end forms beyond those: the bare year, the half-year code.
EXTRA = {12: ("{y}", "{y}年1-12月"), 6: ("{y}H1",)}


def rewrite(text: str, form: str | int, *, q4_from_q3: bool = False) -> str:
    """A CSV's 期别 cells in ``form`` (an int: every row a different form, rotating by the int)."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    head, body = rows[0], rows[1:]
    j = head.index("期别")
    if q4_from_q3:  # a synthetic year end: the Q3 rows again at Q4, growth 0.1 point higher
        yoy = next((i for i, h in enumerate(head) if "增速" in h), None)
        for r in [r for r in body if Period.parse(r[j]).end_month == 9]:
            extra = list(r)
            extra[j] = f"{Period.parse(r[j]).year}Q4"
            if yoy is not None and extra[yoy]:
                extra[yoy] = f"{float(extra[yoy]) + 0.1:.1f}"
            body.append(extra)
    for i, r in enumerate(body):
        p = Period.parse(r[j])
        if isinstance(form, int):
            choices = [written(p, f) for f in FORMS] + [e.format(y=p.year) for e in EXTRA.get(p.end_month, ())]
            r[j] = choices[(i + form) % len(choices)]
        elif form.startswith("{"):
            r[j] = form.format(y=p.year) if p.end_month in (6, 12) and form in EXTRA.get(p.end_month, ()) else written(p, "quarter")
        else:
            r[j] = written(p, form)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([head, *body])
    return out.getvalue()


def _with_periods(plan: Plan, base: EvaluationData, folder: Path, form: str | int, tmp: Path, q4: bool = False) -> EvaluationData:
    """``base`` with its indicators and tasks read again from files whose periods are written in ``form``."""
    tmp.mkdir(parents=True, exist_ok=True)
    ind_path, task_path = tmp / "indicators.csv", tmp / "tasks.csv"
    ind_path.write_text(rewrite((folder / "indicators.csv").read_text(encoding="utf-8"), form, q4_from_q3=q4), encoding="utf-8")
    task_path.write_text(rewrite((folder / "tasks.csv").read_text(encoding="utf-8"), form, q4_from_q3=q4), encoding="utf-8")
    ind = read_indicators(ind_path)
    tasks = read_tasks(task_path)
    check_tasks_against_plan(tasks, plan)
    assert ind.errors == [] and tasks.errors == [], [str(p) for p in ind.errors + tasks.errors]
    return replace(base, indicators=ind.frame, tasks=tasks.frame)


def _quarters(plan: Plan, data: EvaluationData) -> list[Period]:
    end = data_coverage(data, plan.year).end_month or 0
    return [Period(plan.year, m, "quarter") for m in (3, 6, 9, 12) if m <= end]


def _evaluations(plan: Plan, data: EvaluationData) -> dict[Period, pd.DataFrame]:
    """The target table at every quarter the data covers."""
    return {q: evaluate(plan, q, data).targets for q in _quarters(plan, data)}


def _assert_same(plan: Plan, expected: dict[Period, pd.DataFrame], data: EvaluationData, why: str) -> None:
    assert list(expected) == _quarters(plan, data), why  # the coverage reads every form alike
    for q, targets in expected.items():
        pd.testing.assert_frame_equal(targets, evaluate(plan, q, data).targets, obj=f"{plan.id} {q} {why}")


@pytest.mark.parametrize("plan_id", ["zhenba-2024", "ankang-2019"])
def test_every_form_gives_the_same_evaluation(plan_id: str, tmp_path: Path) -> None:
    plan = load_plan(plan_id)
    folder = ROOT / "data" / plan_id
    base = load_data(plan_id, plan=plan).data
    expected = _evaluations(plan, base)
    assert len(expected) >= 2
    for form in FORMS:
        _assert_same(plan, expected, _with_periods(plan, base, folder, form, tmp_path / form), form)


@pytest.mark.parametrize("plan_id", PLANS)
def test_every_plan_reads_a_file_with_mixed_forms_the_same(plan_id: str, tmp_path: Path) -> None:
    """Each row in another form (rotating through all of them, 2024H1 and 2024 too): the same
    targets, statuses and figures at every quarter."""
    plan = load_plan(plan_id)
    folder = ROOT / "data" / plan_id
    base = load_data(plan_id, plan=plan).data
    expected = _evaluations(plan, base)
    assert len(expected) >= 2
    _assert_same(plan, expected, _with_periods(plan, base, folder, 1, tmp_path / "mixed"), "mixed forms")


def test_year_end_forms_are_one_period(tmp_path: Path) -> None:
    """2024 / 2024年全年 / 2024Q4 / 2024年1-12月 / 2024-12 / 2024年12月 are the year: the same evaluation at year end."""
    plan = load_plan("zhenba-2024")
    folder = ROOT / "data" / "zhenba-2024"
    base = load_data("zhenba-2024", plan=plan).data
    as_q4 = _with_periods(plan, base, folder, "quarter", tmp_path / "q4", q4=True)
    assert _quarters(plan, as_q4)[-1] == Period(2024, 12, "quarter")
    year_end = evaluate(plan, "2024Q4", as_q4).targets
    for form in ("named", "span", "month", "zh_month", "zh_quarter", "{y}"):
        other = _with_periods(plan, base, folder, form, tmp_path / form.strip("{}"), q4=True)
        pd.testing.assert_frame_equal(year_end, evaluate(plan, "2024Q4", other).targets, obj=form)
    # the synthetic year-end growth is read: at least one statistics target has a figure at year end
    stats = year_end[year_end["basis"] == "statistics"]
    assert stats["actual"].notna().any()


def test_half_year_statistics_are_not_no_data(tmp_path: Path) -> None:
    """The issue's case: statistics written 2024年上半年 passed validation, coverage said June, evaluation said 无数据."""
    plan = load_plan("zhenba-2024")
    folder = ROOT / "data" / "zhenba-2024"
    base = load_data("zhenba-2024", plan=plan).data
    half = _with_periods(plan, base, folder, "named", tmp_path / "named")
    assert set(half.indicators.loc[half.indicators["period"].str.endswith("Q2"), "period"]) == {"2024Q2"}  # canonical
    t = evaluate(plan, "2024Q2", half).targets
    stats = t[t["basis"] == "statistics"]
    assert len(stats) >= 5 and (stats["status"] != "no_data").all(), stats[["target_id", "note"]]
    # the report's statistics table reads the same quarters
    m_base, m_half = build_report(plan, base, "2024Q2"), build_report(plan, half, "2024Q2")
    pd.testing.assert_frame_equal(m_base.indicators, m_half.indicators)
    assert m_half.indicators[["q1", "q2"]].notna().all().all()


def test_hz_evaluate_json_is_the_same_for_a_data_folder_in_chinese_forms(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "zhenba-2024"
    shutil.copytree(ROOT / "data" / "zhenba-2024", folder)
    for name in ("indicators.csv", "tasks.csv"):
        (folder / name).write_text(rewrite((folder / name).read_text(encoding="utf-8"), "named"), encoding="utf-8")
    assert "2024年上半年" in (folder / "indicators.csv").read_text(encoding="utf-8")
    for q in ("2024Q2",):
        assert main(["evaluate", "zhenba-2024", "--quarter", q, "--format", "json"]) == 0
        bundled = json.loads(capsys.readouterr().out)
        assert main(["evaluate", "zhenba-2024", "--quarter", q, "--data", str(folder), "--format", "json"]) == 0
        assert json.loads(capsys.readouterr().out) == bundled, q


# --------------------------------------------------------------------- one period written twice


def _zhenba_with(tmp_path: Path, name: str, extra: str) -> Path:
    folder = tmp_path / "zhenba-2024"
    if not folder.exists():
        shutil.copytree(ROOT / "data" / "zhenba-2024", folder)
    path = folder / name
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + extra + "\n", encoding="utf-8")
    return folder


def _line_of(path: Path, start: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.startswith(start))


def test_a_conflicting_repeat_in_another_form_is_refused_naming_both_rows_and_values(tmp_path: Path) -> None:
    folder = _zhenba_with(tmp_path, "indicators.csv", "镇巴县,2024年上半年,fai,596195.88,7.9,县统计局")
    path = folder / "indicators.csv"
    first, second = _line_of(path, "镇巴县,2024Q2,fai,"), _line_of(path, "镇巴县,2024年上半年,fai,")
    with pytest.raises(DataError) as e:
        load_data("zhenba-2024", folder)
    bad = [p for p in e.value.problems if p.severity == ERROR]
    assert len(bad) == 1
    p = bad[0]
    assert p.file == "indicators.csv" and p.row == second and p.column == "累计同比增速（%）"
    assert f"第{first}行为 7.7，第{second}行为 7.9" in p.message
    assert "地区“镇巴县”、期别“2024年上半年（2024Q2）”、指标“fai”" in p.message and "请删去或改正其中一行" in p.message


def test_an_agreeing_repeat_in_another_form_is_one_figure_with_a_note(tmp_path: Path) -> None:
    folder = _zhenba_with(tmp_path, "indicators.csv", "镇巴县,2024年1-6月,fai,596195.88,7.7,示意数据")
    loaded = load_data("zhenba-2024", folder)
    notes = [p for p in loaded.problems if "按一行计" in p.message]
    assert len(notes) == 1 and notes[0].severity == WARNING and notes[0].file == "indicators.csv"
    assert "期别“2024年上半年（2024Q2）”、指标“fai”有 2 行（第3、" in notes[0].message
    plan = load_plan("zhenba-2024")
    bundled = load_data("zhenba-2024", plan=plan).data
    pd.testing.assert_frame_equal(evaluate(plan, "2024Q2", bundled).targets, evaluate(plan, "2024Q2", loaded.data).targets)


def test_a_conflicting_reported_task_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _zhenba_with(tmp_path, "tasks.csv", "signed_investment,招商引资签约项目总投资,2024年前三季度,12.5,亿元,镇巴县,县招商局,")
    path = folder / "tasks.csv"
    first, second = _line_of(path, "signed_investment,招商引资签约项目总投资,2024Q3"), _line_of(path, "signed_investment,招商引资签约项目总投资,2024年前三季度")
    assert main(["evaluate", "zhenba-2024", "--quarter", "2024Q3", "--data", str(folder), "--format", "json"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert f"tasks.csv 第{second}行 [完成值]" in err and f"第{first}行为 11.7，第{second}行为 12.5" in err


def test_a_conflict_shows_the_values_as_typed(tmp_path: Path) -> None:
    """Money in the header's unit, percents as percent numbers, a blank as blank; agreeing rows of another indicator are one figure."""
    p = tmp_path / "指标.csv"
    p.write_text(
        "地区,期别,指标,累计值（亿元）,累计同比增速（%）\n"
        "汉中市,2024Q2,fai,490.09,9.2\n汉中市,2024年上半年,fai,490.19,\n"
        "汉中市,2024年1-6月,private_inv,210.5,-3.1\n汉中市,2024-06,private_inv,210.5,-3.1\n",
        encoding="utf-8",
    )
    r = read_indicators(p)
    errors = {x.column: x.message for x in r.errors}
    assert set(errors) == {"累计值（亿元）", "累计同比增速（%）"} and all(x.row == 3 for x in r.errors)
    assert "第2行为 490.09 亿元，第3行为 490.19 亿元" in errors["累计值（亿元）"]
    assert "第2行为 9.2，第3行为 空（或无法识别）" in errors["累计同比增速（%）"]
    notes = [x for x in r.warnings if "按一行计" in x.message]
    assert len(notes) == 1 and notes[0].row == 5 and "指标“private_inv”有 2 行（第4、5行）" in notes[0].message


def test_a_blank_template_row_for_a_reported_period_is_not_a_conflict(tmp_path: Path) -> None:
    """A tasks-template row (完成值 blank) next to the reported row in another form: the reported value counts."""
    folder = _zhenba_with(tmp_path, "tasks.csv", "signed_investment,招商引资签约项目总投资,2024年1-9月,,亿元,镇巴县,,")
    loaded = load_data("zhenba-2024", folder)
    assert not [p for p in loaded.problems if p.file == "tasks.csv" and p.severity == ERROR]
    t = evaluate(load_plan("zhenba-2024"), "2024Q3", loaded.data).targets.set_index("target_id")
    assert t.at["signed_investment", "actual"] == pytest.approx(11.7)


def test_a_task_repeated_in_another_money_unit_is_one_figure(tmp_path: Path) -> None:
    """11.7 亿元 (2024Q3) and 117000 万元 (2024年前三季度) are the same figure: a note, not a conflict."""
    folder = _zhenba_with(tmp_path, "tasks.csv", "signed_investment,招商引资签约项目总投资,2024年前三季度,117000,万元,镇巴县,县招商局,")
    loaded = load_data("zhenba-2024", folder)
    tasks = [p for p in loaded.problems if p.file == "tasks.csv"]
    assert not [p for p in tasks if p.severity == ERROR]
    assert any("数值相同，按一行计" in p.message for p in tasks)
    t = evaluate(load_plan("zhenba-2024"), "2024Q3", loaded.data).targets.set_index("target_id")
    assert t.at["signed_investment", "actual"] == pytest.approx(11.7)
    wrong = _zhenba_with(tmp_path / "b", "tasks.csv", "signed_investment,招商引资签约项目总投资,2024年前三季度,118000,万元,镇巴县,县招商局,")
    errors = [p for p in read_tasks(wrong / "tasks.csv").errors]
    assert len(errors) == 1 and errors[0].column == "完成值" and "第2行为 11.7" in errors[0].message and "为 118000" in errors[0].message
