"""The report model: each figure measures exactly its target's scope and basis, computed once.

Cases from the issue "Every figure measures exactly what its target says", then the
bulletin's sentences against the model's numbers (安康 2019 H1 uses the real figures).
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from hzlib.data import load_data
from hzlib.errors import CoverageError, PlanError
from hzlib.evaluate import EvaluationData
from hzlib.plan import load_plan, read_plan_file
from hzlib.report import build_report, load_report
from hzlib.report.views import actions_view, target_rows

# --------------------------------------------------------------------- one basis, no substitution


def test_hanzhong_2023_shares_use_the_key_project_basis_the_plan_chose() -> None:
    """ambiguities.share_base chose 重点项目; the target table and the 偏离度 table agree."""
    m = load_report("hanzhong-2023", "2023Q3")
    st = m.evaluation.status
    done = st["completed_cum"]
    for tid, part in (("industry_inv_share", st["is_industry"].astype(bool)), ("private_inv_share", st["ownership"].eq("private"))):
        row = m.target(tid)
        assert row["basis"] == "ledger" and row["basis_zh"].startswith("重点项目台账")
        assert row["actual"] == pytest.approx(done[part].sum() / done.sum() * 100)
    dev = m.deviations.set_index("deviation_id")
    detail = dev.at["investment_structure", "detail"]
    for tid in ("industry_inv_share", "private_inv_share"):
        row = m.target(tid)
        assert f"{row['label']} {row['actual']:.1f}%" in detail and f"（{row['status_zh']}）" in detail


def test_hanzhong_2023_progress_deviation_follows_its_targets_not_a_hard_coded_rule() -> None:
    m = load_report("hanzhong-2023", "2023Q3")
    start = m.target("new_start_rate")
    assert start["status"] == "missed" and start["actual"] < 100  # new starts short of the 100% requirement
    dev = m.deviations.set_index("deviation_id")
    # 偏离 on the missed target; the due target without a figure is named, never passed over
    assert dev.at["progress", "judgement"] == "偏离（数据不全：新开工项目前期要件限时办结无数据）"
    assert dev.at["progress", "missing"] == "prelim_work_done"
    # dimensions the plan gives no number for are not judged, and no 60% is invented
    assert dev.at["industry_structure", "judgement"] == "方案未给出量化标准，不作判断"
    assert "60%" not in dev.at["industry_structure", "detail"]


def test_a_ledger_that_cannot_tell_the_subset_gives_no_data_with_the_reason() -> None:
    plan = load_plan("hanzhong-2023")
    loaded = load_data("hanzhong-2023", year=2023)
    ledger = loaded.data.ledger.drop(columns=["is_industry"])
    data = EvaluationData(
        ledger=ledger, progress=loaded.data.progress, indicators=loaded.data.indicators, profiles=loaded.data.profiles, tasks=loaded.data.tasks
    )
    m = build_report(plan, data, "2023Q3")
    row = m.target("industry_inv_share")
    assert row["status"] == "no_data" and pd.isna(row["actual"])
    assert row["note"] == "台账没有“是否产业项目”列，无法区分产业投资占比"
    # the city-wide statistic in the same data is not used in its place
    assert not m.indicators[m.indicators["indicator"] == "industry_inv"].empty


def test_xian_port_infrastructure_target_is_measured_on_its_key_projects() -> None:
    m = load_report("xian-port-2023", "2023Q3")
    row = m.target("infrastructure_investment")
    st = m.evaluation.status
    infra = st["sector"].eq("基础设施")
    assert row["basis_zh"] == "重点项目台账（基础设施项目）"
    assert row["actual"] == pytest.approx(st.loc[infra, "completed_cum"].sum() / 1e4)
    stat = m.indicators[(m.indicators["indicator"] == "infrastructure_inv") & (m.indicators["jurisdiction"] == "西安国际港务区")]
    assert not stat.empty and row["actual"] != pytest.approx(float(stat["level"].iloc[0]) / 1e4)


def test_zhenba_completed_projects_count_actual_completions_not_planned_ones() -> None:
    m = load_report("zhenba-2024", "2024Q3")
    row = m.target("completed_projects")
    st = m.evaluation.status_all
    done = pd.to_datetime(st["actual_completion"])
    actual = int(((done.dt.year == 2024) & (done <= "2024-09-30")).sum())
    planned = int(st["batch"].eq("complete").sum())
    assert row["actual"] == actual and actual < planned
    # planned to complete by the period end but not completed: listed
    listed = actions_view(m, "missed_completion").frame
    assert len(listed) == len(m.actions["missed_completion"]) > 0


def test_an_empty_action_list_says_so_instead_of_an_empty_table() -> None:
    m = load_report("ankang-2019", "2019Q2")
    assert m.actions["missed_completion"].empty
    shown = actions_view(m, "missed_completion")
    assert len(shown) == 0 and "<table" not in shown.data and "本期无此类项目" in shown.data


def test_reported_value_for_a_ledger_target_is_not_used() -> None:
    plan = load_plan("zhenba-2024")
    loaded = load_data("zhenba-2024", year=2024)
    tasks = pd.DataFrame({"target_id": ["city_new_start_rate"], "period": ["2024Q3"], "value": [100.0], "unit": ["%"]})
    data = EvaluationData(ledger=loaded.data.ledger, progress=loaded.data.progress, tasks=tasks)
    row = build_report(plan, data, "2024Q3").target("city_new_start_rate")
    assert row["basis"] == "ledger" and row["actual"] < 100


def test_fallback_only_where_the_plan_asks_and_labelled(tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = load_plan_text("hanzhong-2023").replace(
        "    basis: ledger\n    responsible: [市工信局", "    basis: ledger\n    fallback: statistics\n    responsible: [市工信局", 1
    )
    path = tmp_path / "hanzhong-2023.yaml"
    path.write_text(text, encoding="utf-8")
    plan, problems = read_plan_file(path)
    assert plan is not None, problems
    loaded = load_data("hanzhong-2023", year=2023)
    data = EvaluationData(ledger=loaded.data.ledger.drop(columns=["is_industry"]), progress=loaded.data.progress, indicators=loaded.data.indicators)
    row = build_report(plan, data, "2023Q3").target("industry_inv_share")
    assert row["basis_zh"].startswith("统计数据") and "按计划文件的 fallback 改用统计数据" in row["basis_zh"]


def load_plan_text(plan_id: str) -> str:
    from hzlib.paths import PLANS_DIR

    return (PLANS_DIR / f"{plan_id}.yaml").read_text(encoding="utf-8")


# --------------------------------------------------------------------- the data's end


def test_a_quarter_past_the_data_is_refused_naming_the_last_month() -> None:
    with pytest.raises(CoverageError) as e:
        load_report("ankang-2019", "2019Q4")
    assert "数据截至2019年6月" in e.value.render() and "2019Q2" in e.value.render() and "--allow-partial" in e.value.render()


def test_allow_partial_evaluates_at_the_data_end_and_says_so_everywhere() -> None:
    m = load_report("ankang-2019", "2019Q4", allow_partial=True)
    assert m.partial and m.period.label() == "2019Q2"
    assert "数据截至2019年6月" in m.banner and "全年" in m.banner
    full = load_report("ankang-2019", "2019Q2")
    inv, inv_h1 = m.target("city_key_investment"), full.target("city_key_investment")
    assert inv["actual"] == inv_h1["actual"] and inv["checkpoint"] == inv_h1["checkpoint"]  # June is never shown as the year
    # the year-end projection is not the June figure itself
    assert inv["projection"] > inv["actual"] * 1.5 and inv["projection_method"]


def test_ledger_figures_after_the_ledger_end_are_no_data() -> None:
    plan = load_plan("zhenba-2024")
    loaded = load_data("zhenba-2024", year=2024)
    progress = loaded.data.progress[loaded.data.progress["month"] <= "2024-06"]
    data = EvaluationData(ledger=loaded.data.ledger, progress=progress, indicators=loaded.data.indicators, tasks=loaded.data.tasks)
    m = build_report(plan, data, "2024Q3")  # statistics reach September, the ledger June
    row = m.target("city_new_start_rate")
    assert row["status"] == "no_data" and "截至2024年6月" in row["note"]
    assert m.target("fai_growth")["status"] in ("met", "near", "missed")
    assert m.units.empty and not m.actions


# --------------------------------------------------------------------- what the data says


def test_fai_growth_is_shown_even_without_a_growth_target() -> None:
    m = load_report("ankang-2019", "2019Q2")
    assert not any(t.indicator == "fai" for t in m.plan.targets)
    fai = m.indicators[(m.indicators["jurisdiction"] == "安康市") & (m.indicators["indicator"] == "fai")].iloc[0]
    assert fai["q2"] == pytest.approx(9.2)
    assert any("安康市固定资产投资累计增长9.2%" in s for s in m.sentences)


# --------------------------------------------------------------------- plans say what they mean


def test_an_unknown_indicator_is_an_error_with_the_closest_names(tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = load_plan_text("hanzhong-2023").replace("indicator: start_rate", "indicator: new_start_rate", 1)
    path = tmp_path / "hanzhong-2023.yaml"
    path.write_text(text, encoding="utf-8")
    plan, problems = read_plan_file(path)
    assert plan is None
    msg = next(p for p in problems if p.column and p.column.endswith(".indicator"))
    assert "未知指标 'new_start_rate'" in msg.message and "start_rate" in msg.message and "basis: report" in msg.message


def test_a_percent_target_typed_as_a_fraction_is_an_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = load_plan_text("zhenba-2024").replace("value: 8\n", "value: 0.08\n", 1)
    path = tmp_path / "zhenba-2024.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlanError) as e:
        load_plan(path)
    assert "像是把比例写成了小数" in e.value.render()


# --------------------------------------------------------------------- sentences carry the model's numbers


def test_ankang_h1_sentences_carry_the_published_figures() -> None:
    m = load_report("ankang-2019", "2019Q2")
    text = "\n".join(m.sentences)
    # 239.2亿元 completed, 48.8% of the annual plan (the notice rounds it to 49%), 1.2 pp behind 50% time progress
    assert "全部200个重点项目完成投资239.2亿元，占年度计划的48.8%，低于时序进度1.2个百分点" in text
    assert "尚有17个未开工" in text  # the notice's own count
    found = re.search(r"(\d+)个计划新开工项目已开工(\d+)个，开工率([\d.]+)%", text)
    assert found is not None
    planned, started, rate = int(found.group(1)), int(found.group(2)), float(found.group(3))
    assert planned - started == 17 and rate == round(started / planned * 100, 1)
    counts = [int(x) for x in re.findall(r"(\d+) 项", m.sentences[0])]
    total, judged, met, near, missed, pending, no_data = counts
    assert judged == met + near + missed and total == judged + pending + no_data == len(m.targets)


def test_growth_sentence_names_target_gap_and_required_growth() -> None:
    m = load_report("zhenba-2024", "2024Q3")
    t = m.target("fai_growth")
    s = next(x for x in m.sentences if x.startswith("镇巴县固定资产投资"))
    gap = round(abs(t["actual"] - t["checkpoint"]), 1)
    word = "低于" if t["actual"] < t["checkpoint"] else "高于"
    assert f"累计增长{t['actual']:g}%，{word}年度目标（{t['checkpoint']:g}%）{gap:g}个百分点" in s
    assert f"其余季度需增长{round(t['required_growth'], 2):g}%" in s  # the target table's digits


def test_project_list_sentence_matches_its_table() -> None:
    m = load_report("hanzhong-2022", "2022Q3")
    s = next(x for x in m.sentences if "入库规则" in x)
    table = m.project_list["summary"].set_index("label")
    for label in ("开工项目", "竣工项目", "推进项目", "储备项目", "谋划项目"):
        assert f"{label}{int(table.loc[label, 'projects'])}个" in s
    assert f"{int(table.loc['不入清单', 'projects'])}个未达到入库门槛" in s
    assert len(m.project_list["outside"]) == int(table.loc["不入清单", "projects"] + table.loc["无法判定", "projects"])


def test_behind_schedule_list_says_how_far_behind_without_a_sign() -> None:
    m = load_report("hanzhong-2022", "2022Q3")
    behind = m.actions["behind"]
    shown = actions_view(m, "behind").frame
    assert len(shown) > 0 and (behind["gap_pp"] < 0).all()
    expected = [f"{-g:.1f}".rstrip("0").rstrip(".") + "个百分点" for g in behind["gap_pp"]]
    assert shown["落后时序进度"].tolist() == expected


def test_target_rows_name_the_basis_next_to_the_figure() -> None:
    m = load_report("hanzhong-2023", "2023Q3")
    shown = target_rows(m.targets).set_index("目标")
    assert shown.loc["产业项目投资占比（力争）", "口径"] == "重点项目台账（市级）"


def test_a_models_charts_are_drawn_once_and_dropped_with_the_model() -> None:
    import gc
    import weakref

    from hzlib.report import figures

    m = load_report("ankang-2019", "2019Q2")
    first = figures.status_chart(m)
    assert figures.status_chart(m) is first  # the notebooks of one report share the drawing
    assert figures.growth_charts(m, limit=1) is not figures.growth_charts(m)  # arguments are part of the key
    other = load_report("ankang-2019", "2019Q2")
    assert figures.status_chart(other) is not first and figures.status_chart(other).png == first.png
    gone = weakref.ref(m)
    del m, first
    gc.collect()
    assert gone() is None  # no chart keeps its model alive
