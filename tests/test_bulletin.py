"""The bulletin's sentences are written from the numbers (安康 2019 H1 uses the real figures)."""

from __future__ import annotations

import re

from hzlib.bulletin import build_bulletin


def test_ankang_h1_sentences_carry_the_published_figures() -> None:
    b = build_bulletin("ankang-2019", "2019Q2")
    text = "\n".join(b.sentences)
    # 239.2亿元 completed, 48.8% of the annual plan (the notice rounds it to 49%), 1.2 pp behind 50% time progress
    assert "全部200个重点项目完成投资239.2亿元，占年度计划的48.8%，低于时序进度1.2个百分点" in text
    # 17 planned new starts not started (the notice's own count)
    assert "尚有17个未开工" in text
    m = re.search(r"(\d+)个计划新开工项目已开工(\d+)个，开工率([\d.]+)%", text)
    assert m is not None
    planned, started, rate = int(m.group(1)), int(m.group(2)), float(m.group(3))
    assert planned - started == 17 and rate == round(started / planned * 100, 1)
    # the first sentence's counts add up to the number of targets
    counts = [int(x) for x in re.findall(r"(\d+) 项", b.sentences[0])]
    total, judged, met, near, missed, pending, no_data = counts
    assert judged == met + near + missed and total == judged + pending + no_data == len(b.evaluation.targets)


def test_growth_sentence_names_target_gap_and_required_growth() -> None:
    b = build_bulletin("zhenba-2024", "2024Q3")
    t = b.evaluation.targets.set_index("target_id").loc["fai_growth"]
    s = next(x for x in b.sentences if x.startswith("全社会固定资产投资"))
    gap = round(abs(t["actual"] - t["checkpoint"]), 1)
    word = "低于" if t["actual"] < t["checkpoint"] else "高于"
    assert f"累计增长{t['actual']:g}%，{word}年度目标（{t['checkpoint']:g}%）{gap:g}个百分点" in s
    assert f"其余季度需增长{round(t['required_growth'], 1):g}%" in s


def test_project_list_sentence_matches_its_table() -> None:
    b = build_bulletin("hanzhong-2022", "2022Q3")
    s = next(x for x in b.sentences if "入库规则" in x)
    table = b.tables["高质量项目清单"].set_index("类别")
    for label in ("开工项目", "竣工项目", "推进项目", "储备项目", "谋划项目"):
        assert f"{label}{int(table.loc[label, '项目数（个）'])}个" in s
    assert f"{int(table.loc['不入清单', '项目数（个）'])}个未达到入库门槛" in s
    assert len(b.tables["未入清单项目"]) == int(table.loc["不入清单", "项目数（个）"] + table.loc["无法判定", "项目数（个）"])


def test_behind_schedule_list_says_how_far_behind_without_a_sign() -> None:
    from hzlib.evaluate import projects as pj
    from hzlib.present import project_list_display

    b = build_bulletin("hanzhong-2022", "2022Q3")
    behind = pj.behind_schedule(b.evaluation.status, b.plan.tolerances.near_pp)
    shown = project_list_display(behind, "behind")
    assert len(shown) > 0
    expected = [f"{-g:.1f}".rstrip("0").rstrip(".") + "个百分点" for g in behind["gap_pp"]]
    assert shown["落后时序进度"].tolist() == expected
    assert (behind["gap_pp"] < 0).all()
