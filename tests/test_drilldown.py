"""The bulletin's drill-down: each numbered figure opens its derivation on screen (<details>, no
script), the printed bulletin carries the same derivations as a numbered appendix, and the units
table reads why a rate is 无数据 from a field of its own."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from hzlib.evaluate.projects import NO_DATA_COLUMNS, project_status, unit_rates
from hzlib.render.html import bulletin_css
from hzlib.report.model import JUDGED, ReportModel
from hzlib.report.notebook import load_report
from hzlib.report.views import (
    DERIVATION_ROWS_SHOWN,
    derivation_refs,
    derivations_appendix,
    derivations_view,
    ref_mark,
    targets_view,
    total_derivations_view,
    unit_derivations_view,
    units_view,
)

ROOT = Path(__file__).resolve().parents[1]
_SUMMARY = re.compile(r"<details><summary>〔(\d+)〕 (.*?)</summary>(.*?)</details>", re.DOTALL)
_ITEM = re.compile(r'<div class="hz-appendix-item"><h4>〔(\d+)〕 (.*?)</h4>(.*?)</div>(?=<div class="hz-appendix-item">|</section>)', re.DOTALL)


@pytest.fixture(scope="module")
def zhenba() -> ReportModel:
    return load_report("zhenba-2024", "2024Q2")


def _body_rows(html: str) -> int:
    return len(re.findall(r"<tr>", html.split("<tbody>", 1)[1])) if "<tbody>" in html else 0


def test_one_details_per_judged_target_with_its_number_and_figure(zhenba: ReportModel) -> None:
    m = zhenba
    judged = m.targets[m.targets["status"].isin(JUDGED)]
    v = derivations_view(m, "judged")
    blocks = _SUMMARY.findall(v.data)
    assert len(blocks) == v.data.count("<details>") == len(judged) > 0
    assert "<script" not in v.data.lower()
    numbers = derivation_refs(m)
    for (n, title, _body), r in zip(blocks, judged.itertuples()):
        assert int(n) == numbers[("target", r.target_id)]
        head = m.derivations(r.target_id)[0]
        assert title == f"{head.label}：{head.shown}"
    # 县重点项目完成年度投资 17.67亿元: its formula and the plan's words are in its block
    body = next(b for _n, t, b in blocks if t == "县重点项目完成年度投资：17.67亿元")
    assert "Σ 45 个项目1-6月累计完成投资" in body and "完成年度投资55.86亿元" in body


def test_numbers_run_judged_then_other_then_units_and_the_tables_show_them(zhenba: ReportModel) -> None:
    m = zhenba
    numbers = derivation_refs(m)
    n_judged = int(m.targets["status"].isin(JUDGED).sum())
    assert list(numbers.values()) == list(range(1, len(numbers) + 1))
    traced = m.targets["status"].isin(JUDGED) | m.targets["actual"].notna()  # a target without a figure has nothing to trace
    totals = len(m.total_derivations())  # the opening sentences' figures, numbered last
    assert totals == 2 and len(numbers) == int(traced.sum()) + len(m.units) + totals < len(m.targets) + len(m.units)
    table = targets_view(m, "judged", refs=True).frame
    assert table["溯源"].tolist() == [f"〔{i}〕" for i in range(1, n_judged + 1)]
    other = targets_view(m, "other", refs=True).frame
    assert next(x for x in other["溯源"] if x) == f"〔{n_judged + 1}〕" and "" in set(other["溯源"])  # no figure, no number
    units = units_view(m, refs=True).frame
    assert units["溯源"].iloc[-1] == f"〔{len(numbers) - totals}〕"
    assert "溯源" not in targets_view(m, "judged").frame.columns  # other pages show no numbers


def test_appendix_numbers_match_the_references(zhenba: ReportModel) -> None:
    m = zhenba
    app = derivations_appendix(m)
    assert 'class="hz-appendix print-only"' in app.data and "附录：数字来源" in app.data
    items = _ITEM.findall(app.data)
    assert [int(n) for n, _t, _b in items] == list(derivation_refs(m).values())
    screen = derivations_view(m, "judged").data + derivations_view(m, "other").data + unit_derivations_view(m).data + total_derivations_view(m).data
    shown = {int(n): t for n, t, _b in _SUMMARY.findall(screen)}
    assert shown == {int(n): t for n, t, _b in items}  # the same number names the same figure on screen and on paper
    assert "<script" not in app.data.lower()


def test_row_limits_screen_and_print(zhenba: ReportModel) -> None:
    m = zhenba
    blocks = {t: b for _n, t, b in _SUMMARY.findall(derivations_view(m, "judged", limit=7).data)}
    body = blocks["县重点项目完成年度投资：17.67亿元"]
    assert _body_rows(body) == 7 and "共 45 行，此处列出前 7 行" in body
    items = {t: b for _n, t, b in _ITEM.findall(derivations_appendix(m, limit=3).data)}
    printed = items["县重点项目完成年度投资：17.67亿元"]
    assert _body_rows(printed) == 3 and "共 45 行，此处列出前 3 行" in printed and "hz explain" in printed
    # a block never lists more than the limit, whatever the ledger's size
    for _n, _t, b in _SUMMARY.findall(derivations_view(m, "other").data):
        assert _body_rows(b) <= DERIVATION_ROWS_SHOWN


def test_print_css_swaps_drill_down_for_appendix() -> None:
    css = bulletin_css()
    assert re.search(r"\.print-only \{\s*display: none;", css)
    printed = css[css.rindex("@media print") :]
    assert re.search(r"\.screen-only \{\s*display: none;", printed) and re.search(r"\.print-only \{\s*display: block;", printed)


def test_unit_line_derivation_per_unit(zhenba: ReportModel) -> None:
    m = zhenba
    v = unit_derivations_view(m)
    blocks = _SUMMARY.findall(v.data)
    assert [t for _n, t, _b in blocks] == [str(u) for u in m.units.index]
    body = dict((t, b) for _n, t, b in blocks)["泾洋街道"]
    assert "计划投资完成率" in body and "progress.csv第7行" in body


def _ledger() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "project_id": ["a", "b", "c"],
            "name": ["甲", "乙", "丙"],
            "unit": ["甲县", "甲县", "乙县"],
            "level": ["county"] * 3,
            "batch": ["start"] * 3,
            "is_new_start": [True] * 3,
            "annual_plan": [100.0, 100.0, 200.0],
            "total_investment": [500.0] * 3,
            "planned_start": pd.to_datetime(["2024-02-01"] * 3),
            "actual_start": pd.to_datetime(["2024-03-01", None, "2024-04-01"]),
            "planned_completion": pd.to_datetime(["2026-12-31"] * 3),
        }
    )


def test_why_a_rate_is_no_data_is_a_field_of_its_own() -> None:
    st = project_status(_ledger(), pd.DataFrame(columns=["project_id", "month", "completed_cum"]), "2024Q2")
    r = unit_rates(st, "2024Q2")
    # no procedure dates and no progress: those two rates say why, the start rate (1/2 and 1/1) has no reason
    assert r.loc["甲县", "start_rate"] == pytest.approx(0.5) and r.loc["乙县", "start_rate"] == pytest.approx(1.0)
    assert (r[NO_DATA_COLUMNS["start_rate"]] == "").all()
    assert r[NO_DATA_COLUMNS["procedure_rate"]].str.startswith("台账没有").all()
    assert r[NO_DATA_COLUMNS["invest_completion"]].str.contains("月度进度").all()
    # the one-line text is the same reasons joined
    parts = r.loc["甲县", "no_data"].split("；")
    assert f"前期手续办结率：{r.loc['甲县', NO_DATA_COLUMNS['procedure_rate']]}" in parts


def test_units_table_reads_the_field_not_the_text(tmp_path: Path) -> None:
    folder = tmp_path / "zhenba-2024"
    shutil.copytree(ROOT / "data" / "zhenba-2024", folder)
    (folder / "progress.csv").unlink()
    m = load_report("zhenba-2024", "2024Q2", tmp_path)
    why = m.units[NO_DATA_COLUMNS["invest_completion"]].iloc[0]
    v = units_view(m)
    assert (v.frame["完成率"] == "无数据").all() and (v.frame["开工率"] != "无数据").all()
    assert f"<caption>无数据：计划投资完成率：{why}</caption>" in v.data
    # the text column no longer decides: a model whose text says nothing shows the same table
    m.units["no_data"] = ""
    assert units_view(m).data == v.data


def test_a_scenario_figure_says_it_is_assumed_and_raises_no_warning() -> None:
    """A statistic the scenario made has no file, sheet or row: its derivation names the scenario."""
    import warnings

    from hzlib.evaluate.derivation import derive
    from hzlib.whatif import scenario_models

    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        [m] = scenario_models("xian-port-2023", "2023Q2", ["h2-target-cut"]).values()
    actual = derive(m.evaluation, "fai_growth")[0]
    assert actual.op == "statistic" and len(actual.rows) == 1
    row = actual.rows.iloc[0]
    assert pd.isna(row["source_file"]) and str(row["origin"]).startswith("情景假设：")


def test_the_opening_sentences_point_to_their_derivations(zhenba: ReportModel) -> None:
    """镇巴 2024Q2: 17.67亿 of 55.86亿 = 31.63%, 22 of 30 new starts = 73.33%; the growth sentence is the fai target's."""
    from hzlib.evaluate.derivation import recompute
    from hzlib.report.views import summary_markdown

    m = zhenba
    numbers = derivation_refs(m)
    totals = m.total_derivations()
    assert recompute(totals["completion"].op, totals["completion"].rows) == pytest.approx(176709.99 / 558600 * 100, abs=1e-6)
    assert recompute(totals["new_starts"].op, totals["new_starts"].rows) == pytest.approx(22 / 30 * 100)
    assert totals["completion"].value == pytest.approx(m.evaluation.completion.rate * 100)  # the sentence's own figure
    text = summary_markdown(m, refs=True)
    assert f"（未达标）。{ref_mark(numbers[('total', 'completion')])}" in text
    assert f"尚有8个未开工。{ref_mark(numbers[('total', 'new_starts')])}" in text
    fai = next(k for k in numbers if k[0] == "target" and m.targets.set_index("target_id").at[k[1], "indicator"] == "fai")
    assert f"8.28%。{ref_mark(numbers[fai])}" in text
    assert "〔" not in summary_markdown(m)  # other pages show no numbers
    view = total_derivations_view(m)
    assert view.data.count("<details>") == 2 and "<script" not in view.data


def test_total_derivations_are_gathered_once_per_model_and_not_pickled() -> None:
    import pickle

    from hzlib.report.load import load_report

    m = load_report("zhenba-2024", "2024Q2", None)
    first = m.total_derivations()
    assert first and m.total_derivations() is first  # the same objects: gathered once
    back = pickle.loads(pickle.dumps(m))
    assert "_memo" not in back.__dict__
    again = back.total_derivations()
    assert {k: d.value for k, d in again.items()} == {k: d.value for k, d in first.items()}
