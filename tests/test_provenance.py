"""Every published figure traced to its rows: provenance from the file edge, derivations, ``hz explain``."""

from __future__ import annotations

import csv
import functools
import json
import math
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from hzlib.arithmetic import required_growth
from hzlib.cli import main
from hzlib.data import load_data
from hzlib.errors import CoverageError
from hzlib.evaluate.derivation import Derivation, derive_all, recompute
from hzlib.ingest.provenance import SOURCE_COLUMNS, is_source_column, origin, strip
from hzlib.paths import project
from hzlib.plan import load_plan
from hzlib.report import load_report
from hzlib.report.model import ReportModel, build_report
from hzlib.report.tables import excel_tables
from hzlib.targets import cumulative_profile_share
from hzlib.textfmt import fmt_number

PLANS = sorted(p.stem for p in project().plans_dir.glob("*.yaml"))
ROW_OPS = ("sum", "ratio", "count", "count_ratio", "statistic", "statistic_ratio", "report")


def _models(plan_id: str) -> list[ReportModel]:
    year = load_plan(plan_id).year
    out = []
    for q in range(1, 5):
        try:
            out.append(load_report(plan_id, f"{year}Q{q}"))
        except CoverageError:  # no data for this quarter yet
            continue
    return out


@functools.cache
def _csv_rows(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030")
    return list(csv.reader(text.splitlines()))


def _csv_cell(folder: Path, file: str, row: int, header: str) -> str:
    """The cell of a CSV data file at ``row`` (as Excel numbers rows) under ``header``."""
    rows = _csv_rows(folder / file)
    head = next(r for r in rows if header in r)
    return rows[row - 1][head.index(header)]


# ----------------------------------------------------------------------------- hand-worked formulas


def test_recompute_hand_worked() -> None:
    # 1200 + 800 万元 = 2000 万元 = 0.2 亿元
    rows = pd.DataFrame({"role": ["合计项", "合计项"], "value": [1200.0, 800.0]})
    assert recompute("sum", rows, scale=1e-4) == pytest.approx(0.2)
    # completed 300 + 150 of planned 600 + 300: 450 / 900 = 50%
    ratio = pd.DataFrame({"role": ["分子", "分子", "分母", "分母"], "value": [300.0, 150.0, 600.0, 300.0]})
    assert recompute("ratio", ratio) == pytest.approx(50.0)
    # 2 of 3 new starts started: 66.67%
    counted = pd.DataFrame({"role": ["分子", "分子", "分母", "分母", "分母"], "value": [1.0] * 5})
    assert recompute("count_ratio", counted) == pytest.approx(200 / 3)
    # published cumulative growth 0.092 → 9.2%; a share of two levels 37 / 100 → 37%
    assert recompute("statistic", pd.DataFrame({"role": ["统计"], "value": [0.092]}), scale=100.0) == pytest.approx(9.2)
    assert recompute("statistic_ratio", pd.DataFrame({"role": ["分子", "分母"], "value": [37.0, 100.0]}), scale=100.0) == pytest.approx(37.0)
    assert recompute("count", pd.DataFrame({"role": ["计数"] * 4, "value": [1.0] * 4})) == 4.0
    assert recompute("text", rows) is None


def test_origins_of_many_rows_and_the_sheet_limit() -> None:
    from hzlib.evaluate.derivation import _origins, provenance_sheet

    got = _origins(
        pd.Series(["a.csv", "b.xlsx", None], dtype=object),
        pd.Series(["", "汉台区", None], dtype=object),
        pd.Series([3, 7, None], dtype=object),
        "无进度记录，按0计",
    )
    assert got.tolist() == ["a.csv第3行", "b.xlsx（工作表“汉台区”）第7行", "无进度记录，按0计"]
    d = Derivation("t", "目标", "actual", 5.0, "5个", "5个 = 5 个项目", "count", pd.DataFrame({"role": ["计数"] * 5, "value": [1.0] * 5}))
    sheet = provenance_sheet([d], limit=3)
    assert len(sheet) == 3 and "另有 3 行未列出" in str(sheet["算式"].iloc[-1])


def test_origin_and_strip() -> None:
    assert origin("ledger.csv", "", 3) == "ledger.csv第3行"
    assert origin("台账.xlsx", "汉台区", 12) == "台账.xlsx（工作表“汉台区”）第12行"
    df = pd.DataFrame({"project_id": ["a"], "_src_file": ["x.csv"], "_src_row": [2]})
    assert list(strip(df).columns) == ["project_id"]
    assert is_source_column("_src_sheet") and not is_source_column("source")


# ----------------------------------------------------------------------------- every figure of every bulletin


def _check_figures(m: ReportModel, folder: Path) -> int:
    ds = derive_all(m.evaluation)
    by = {(d.target_id, d.figure): d for d in ds}
    targets = m.targets.set_index("target_id")
    checked = 0
    for d in ds:
        row = targets.loc[d.target_id]
        if d.figure == "actual" and d.op in ROW_OPS:
            assert d.value is not None
            got = recompute(d.op, d.rows, d.scale)
            assert got is not None and math.isclose(got, d.value, rel_tol=1e-9, abs_tol=1e-9), (d.target_id, d.formula)
            assert math.isclose(d.value, float(row["actual"]), rel_tol=1e-12), d.target_id  # the published figure
            assert (d.rows["origin"].astype(str).str.len() > 0).all(), d.target_id  # every row says where it is
            _check_cells(d, folder)
            checked += 1
        elif d.figure == "checkpoint":
            assert d.op == "quote" and load_plan(m.plan.id).targets  # the plan's words
            t = next(t for t in m.plan.targets if t.id == d.target_id)
            assert t.source.quote in d.quote
            if d.value is not None:
                assert d.shown.startswith(fmt_number(d.value)) and d.formula.startswith(d.shown)
                assert math.isclose(d.value, float(row["checkpoint"]), rel_tol=1e-12)
        elif d.figure == "gap":
            a, c = by[(d.target_id, "actual")], by[(d.target_id, "checkpoint")]
            assert a.value is not None and c.value is not None and d.value is not None
            assert math.isclose(d.value, a.value - c.value, abs_tol=1e-9), d.target_id
            assert d.rows.equals(a.rows)
        elif d.figure == "projection":
            a = by[(d.target_id, "actual")]
            assert a.shown in d.formula and d.value is not None
            assert math.isclose(d.value, float(row["projection"]), rel_tol=1e-12)
            assert math.isclose(d.value, d.inputs["actual"] / d.inputs["share"], rel_tol=1e-12)
            base = d.rows[d.rows["role"] == "季度基数"]
            if len(base):  # the share is last year's quarterly levels, as listed
                share = cumulative_profile_share(base["value"].astype(float).tolist(), m.period.end_month)
                assert math.isclose(share, d.inputs["share"], rel_tol=1e-12)
            checked += 1
        elif d.figure == "required_growth":
            base = d.rows[d.rows["role"] == "季度基数"]
            assert len(base) == 4 and d.value is not None
            again = required_growth(d.inputs["target"] / 100, base["value"].astype(float).tolist(), d.inputs["actual"] / 100, m.period.quarter)
            assert math.isclose(again * 100, d.value, rel_tol=1e-12, abs_tol=1e-9)  # a percent keeps 10 decimals (units.to_percent)
            checked += 1
    return checked


def _check_cells(d: Derivation, folder: Path) -> None:
    """Each listed row's value is in its source file at the listed row and column (CSV files)."""
    for r in d.rows.itertuples(index=False):
        if not isinstance(r.source_file, str) or not str(r.source_file).endswith(".csv") or r.quantity == "项目（计1个）":
            continue
        header = str(r.source_column)
        cell = _csv_cell(folder, str(r.source_file), int(r.source_row), header)
        if d.op == "report" or d.op.startswith("statistic"):
            continue  # converted on reading (units, percent) — the row and column are what is checked
        if pd.isna(r.value):
            assert cell.strip() == "", (d.target_id, r.origin)
        else:
            assert float(cell.replace(",", "")) == pytest.approx(float(r.value)), (d.target_id, r.origin, header)


@pytest.mark.parametrize("plan_id", PLANS)
def test_every_figure_recomputes_from_its_rows(plan_id: str) -> None:
    models = _models(plan_id)
    assert models, f"{plan_id}: no quarter with data"
    folder = project().data_dir / plan_id
    checked = sum(_check_figures(m, folder) for m in models)
    assert checked > 0


@pytest.mark.parametrize("plan_id", PLANS)
def test_unit_lines_recompute(plan_id: str) -> None:
    m = _models(plan_id)[-1]
    if m.units.empty:
        pytest.skip("no units table")
    checked_inputs = 0
    for unit in m.units.index.astype(str):
        for d in m.unit_derivations(unit):
            if d.op in ROW_OPS:
                got = recompute(d.op, d.rows, d.scale)
                assert got is not None and d.value is not None and math.isclose(got, d.value, rel_tol=1e-9), (unit, d.figure)
                assert set(d.rows["unit"].astype(str)) <= {unit}
            if d.figure.startswith("score:"):  # each ledger input of an assessment item is the sum of its listed rows
                for key, value in d.inputs.items():
                    rows = d.rows[d.rows["role"] == f"输入：{key}"] if len(d.rows) else d.rows
                    if len(rows) == 0:
                        continue
                    total = float(rows["value"].astype(float).sum())
                    if "年度计划投资 × 时序进度" in d.note and key == "scheduled_investment":
                        total *= float(m.period.progress)
                    assert math.isclose(total, value, rel_tol=1e-9, abs_tol=1e-9), (unit, d.figure, key)
                    checked_inputs += 1
    if m.scores is not None:
        assert checked_inputs > 0


# ----------------------------------------------------------------------------- one cell of a ledger workbook


def _workbook_folder(tmp_path: Path, plan_id: str) -> Path:
    """The plan's data with its ledger as a workbook: a title row, then the CSV's header and rows."""
    folder = tmp_path / plan_id
    shutil.copytree(project().data_dir / plan_id, folder)
    rows = list(csv.reader((folder / "ledger.csv").read_text(encoding="utf-8-sig").splitlines()))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "重点项目"
    ws.append([f"{load_plan(plan_id).year}年重点项目台账"])
    for r in rows:
        ws.append([float(x) if x.replace(".", "", 1).isdigit() else x for x in r])
    wb.save(folder / "ledger.xlsx")
    (folder / "ledger.csv").unlink()
    return folder


def _model(folder: Path, plan_id: str, quarter: str) -> ReportModel:
    plan = load_plan(plan_id)
    return build_report(plan, load_data(plan_id, folder, plan=plan).data, quarter)


def _figures(m: ReportModel) -> dict[tuple[str, str], Derivation]:
    out = {(d.target_id, d.figure): d for d in derive_all(m.evaluation)}
    for unit in m.units.index.astype(str):
        out |= {(unit, d.figure): d for d in m.unit_derivations(unit)}
    return out


def _cites(d: Derivation, file: str, sheet: str, row: int, header: str) -> bool:
    r = d.rows
    if r.empty:
        return False
    hit = (
        (r["source_file"] == file) & (r["source_sheet"] == sheet) & (r["source_row"] == row) & r["source_column"].astype(str).str.contains(header, regex=False)
    )
    return bool(hit.any())


def test_edit_one_ledger_cell_is_found_where_it_changed_figures(tmp_path: Path) -> None:
    plan_id, quarter = "hanzhong-2023", "2023Q3"
    folder = _workbook_folder(tmp_path, plan_id)
    before = _figures(_model(folder, plan_id, quarter))
    wb = openpyxl.load_workbook(folder / "ledger.xlsx")
    ws = wb["重点项目"]
    header = [c.value for c in ws[2]]
    col = header.index("年度计划投资（万元）") + 1
    excel_row = 5  # the third project (title row 1, header row 2)
    ws.cell(excel_row, col).value = float(ws.cell(excel_row, col).value) * 3 + 1000
    wb.save(folder / "ledger.xlsx")
    after = _figures(_model(folder, plan_id, quarter))
    changed = {k for k in before if (before[k].value, before[k].formula) != (after[k].value, after[k].formula)}
    assert changed, "the edit changed no figure"
    assert any(k[1] == "actual" for k in changed)
    for k, d in after.items():
        cites = _cites(d, "ledger.xlsx", "重点项目", excel_row, "年度计划投资")
        assert cites == (k in changed), (k, d.formula)


def test_workbook_rows_are_numbered_as_excel_shows_them(tmp_path: Path) -> None:
    folder = _workbook_folder(tmp_path, "hanzhong-2023")
    data = load_data("hanzhong-2023", folder, plan=load_plan("hanzhong-2023")).data
    led = data.ledger
    assert led["_src_row"].iloc[0] == 3 and set(led["_src_sheet"].astype(str)) == {"重点项目"}
    assert set(led["_src_file"].astype(str)) == {"ledger.xlsx"}
    assert data.source_columns["ledger.xlsx"]["annual_plan"] == "年度计划投资（万元）"
    assert all(c in data.progress.columns for c in SOURCE_COLUMNS)


# ----------------------------------------------------------------------------- nothing shows provenance unless asked


def test_tables_do_not_show_provenance_columns() -> None:
    m = load_report("hanzhong-2023", "2023Q3")
    for name, df in excel_tables(m).items():
        if name == "溯源":
            continue
        assert not any(is_source_column(c) for c in df.columns), name
    assert not any(is_source_column(c) for c in m.targets.columns)


# ----------------------------------------------------------------------------- hz explain, model.explain


def test_model_explain_frame() -> None:
    m = load_report("hanzhong-2023", "2023Q3")
    df = m.explain("city_key_invest_over")
    actual = df[df["figure"] == "actual"]
    assert set(actual["role"]) == {"分子", "分母"}
    assert actual["source_file"].isin(["ledger.csv", "progress.csv"]).all()
    num = actual.loc[actual["role"] == "分子", "value"].sum()
    den = actual.loc[actual["role"] == "分母", "value"].sum()
    assert num / den * 100 == pytest.approx(float(m.target("city_key_invest_over")["actual"]))
    assert not m.explain(unit="汉台区").empty


def test_hz_explain_formats(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "hanzhong-2023", "city_key_invest_over", "--quarter", "2023Q3"]) == 0
    out = capsys.readouterr().out
    assert "【实际值】" in out and "算式：" in out and "计划原文：" in out and "progress.csv第" in out
    assert main(["explain", "hanzhong-2023", "city_key_invest_over", "--quarter", "2023Q3", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data[0]["figure"] == "actual" and data[0]["rows"][0]["source_row"] is not None
    assert main(["explain", "hanzhong-2023", "city_key_invest_over", "--quarter", "2023Q3", "--format", "csv"]) == 0
    assert "source_file" in capsys.readouterr().out.splitlines()[0]
    assert main(["explain", "hanzhong-2023", "--unit", "汉台区", "--quarter", "2023Q3"]) == 0
    assert "计划投资完成率" in capsys.readouterr().out


def test_hz_explain_unknown_target_is_a_chinese_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "hanzhong-2023", "city_key_invest", "--quarter", "2023Q3"]) == 2
    err = capsys.readouterr().err
    assert "没有目标“city_key_invest”" in err and "city_key_invest_over" in err and "Traceback" not in err
    assert main(["explain", "hanzhong-2023", "--unit", "不存在的单位", "--quarter", "2023Q3"]) == 2
    assert "不存在的单位" in capsys.readouterr().err


def test_html_drill_down_and_excel_sheet() -> None:
    from hzlib.report.views import derivations_view

    m = load_report("hanzhong-2023", "2023Q3")
    v = derivations_view(m, "other", limit=5)
    html = v.data
    assert html.count("<details>") == len(v.frame) > 0
    assert "<script" not in html and "计划原文：" in html
    assert "全部行见 Excel 通报的“溯源”表" in html  # 300 rows behind the investment rate, 5 shown
    sheet = excel_tables(m)["溯源"]
    rate = sheet[(sheet["目标编号"] == "city_key_invest_over") & (sheet["数字"] == "实际值")]
    assert len(rate) == 300 and set(rate["来源文件"]) == {"ledger.csv", "progress.csv"}
    assert rate["行号"].notna().all()


def test_office_sheet_cells_and_derived_values(tmp_path: Path) -> None:
    """An office's own sheet (title, 合计 row, sections, no 项目编号): each completed investment of a
    derivation is the cell at the listed sheet, row and column, and made values say so."""
    folder = tmp_path / "ankang-2019"
    folder.mkdir()
    shutil.copy(Path(__file__).parent / "workbook_corpus" / "office_h1.xlsx", folder / "ledger.xlsx")
    m = _model(folder, "ankang-2019", "2019Q2")
    d = next(d for d in derive_all(m.evaluation) if d.figure == "actual" and d.op == "sum")
    ws = openpyxl.load_workbook(folder / "ledger.xlsx", data_only=True)
    assert len(d.rows) > 0
    for r in d.rows.itertuples(index=False):
        assert r.source_file == "ledger.xlsx" and "读作月度进度" in r.source_column
        sheet = ws[r.source_sheet]
        header = str(r.source_column).split("（台账累计列")[0]
        col = next(c.column for row in sheet.iter_rows(max_row=10) for c in row if c.value == header)
        assert float(sheet.cell(int(r.source_row), col).value or 0) == pytest.approx(float(r.value)), r.origin
    counted = next(d for d in derive_all(m.evaluation) if d.op == "count_ratio")
    assert counted.rows["source_column"].str.contains("推导").all()  # 是否新开工 inferred, not read


def test_edit_one_progress_cell_is_found_where_it_changed_figures(tmp_path: Path) -> None:
    plan_id, quarter = "hanzhong-2023", "2023Q3"
    folder = tmp_path / plan_id
    shutil.copytree(project().data_dir / plan_id, folder)
    before = _figures(_model(folder, plan_id, quarter))
    path = folder / "progress.csv"
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    excel_row = next(i for i, r in enumerate(rows, start=1) if r[:2] == ["HZ2023-0002", "2023-09"])  # read at 2023Q3
    rows[excel_row - 1][2] = str(float(rows[excel_row - 1][2]) + 12345.0)
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    after = _figures(_model(folder, plan_id, quarter))
    changed = {k for k in before if (before[k].value, before[k].formula) != (after[k].value, after[k].formula)}
    assert any(k[1] == "actual" for k in changed)
    for k, d in after.items():
        assert _cites(d, "progress.csv", "", excel_row, "累计完成投资") == (k in changed), (k, d.formula)
